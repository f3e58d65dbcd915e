package dev.rtca.push;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.access.Caller;
import dev.rtca.access.ListAuthorizer;
import dev.rtca.concurrent.SideBySide;
import dev.rtca.model.Json;
import dev.rtca.model.ListRequests;
import dev.rtca.model.MalformedJsonException;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.Operation;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.Permission;
import dev.rtca.segments.RequestRejected;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.SegmentType;
import dev.rtca.segments.StoredSegment;
import dev.rtca.segments.TokenCodec;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Push delivery of new segments to WebSocket subscribers, under the same paging rules and policies as
 * ListRealtimeContactAnalysisSegmentsV2.
 *
 * <p><b>Subscribe.</b> A {@code subscribe} message names a contact, an OutputType, SegmentTypes and optionally a
 * NextToken, validated and authorized exactly as the list operation's request. The subscriber first catches up through
 * the read path from its token, then goes live at the stream's fan-out cursor (or, alone on the stream, moves the idle
 * cursor to where it caught up), in one step with a check that the cursor did not move (nor, when it moves it, did
 * another subscription go live) meanwhile ({@link PushStore#goLive}); else it catches up further first. Once live, it
 * runs one fan-out of its stream itself, for a segment whose own fan-out ran while nobody was live yet.
 *
 * <p><b>Fan-out.</b> When a contact changes (its stream records), the fan-out reads the stream from its cursor through
 * the same read path, sends each live subscription the segments of its types, and moves the cursor; a subscription
 * that went live meanwhile makes the move fail, and the fan-out reads again and sends each subscription what it has
 * not sent it yet. A stream nobody listens to is not read: its cursor idles. So a subscriber gets every segment from its position on, in order; it may get one again (after a retry or
 * a hand-over), never past one it did not get: it drops any segment at or below the Position it holds.
 *
 * <p>A COMPLETED or FAILED contact ends its subscriptions with an {@code End} frame once everything was sent. Every
 * push is authorized again under the subscriber's current policy; a revoked one ends with an {@code Error} frame.
 */
public final class Pusher {
    /**
     * Segments read at a time by catch-up and fan-out: ten of the list operation's pages, so a subscriber catching up
     * on a long contact makes a tenth of the round trips (frames still stay under their size limit).
     */
    private static final int PAGE = 1_000;
    /** Posts in flight at once during a fan-out (the deployed function's HTTP client keeps as many connections). */
    static final int SENDERS = 16;
    /** A bound on catch-up and hand-over rounds, so a pathological race cannot spin forever. */
    private static final int MAX_ROUNDS = 10_000;
    private static final Set<SegmentType> ALL_TYPES = EnumSet.allOf(SegmentType.class);
    private final SegmentLister lister;
    private final TokenCodec tokens;
    private final ListAuthorizer authorizer;
    private final PushStore store;
    private final Connections connections;

    public Pusher(SegmentLister lister, TokenCodec tokens, ListAuthorizer authorizer, PushStore store, Connections connections) {
        this.lister = lister;
        this.tokens = tokens;
        this.authorizer = authorizer;
        this.store = store;
        this.connections = connections;
    }

    /** {@code $connect}: the principal API Gateway authenticated owns the connection. */
    public void connected(String connectionId, String principal) {
        store.connect(connectionId, principal);
    }

    /** {@code $disconnect}. */
    public void disconnected(String connectionId) {
        store.disconnect(connectionId);
    }

    /** A message whose {@code action} names no route ({@code $default}): an Error frame. */
    public void unknownAction(String connectionId) {
        connections.post(connectionId, Frames.error(null, null, "InvalidRequestException",
                "Unknown action: send {\"action\":\"subscribe\", ...}."));
    }

    /** A {@code subscribe} message: {@code {"action":"subscribe","InstanceId","ContactId","OutputType","SegmentTypes","NextToken"?}}. */
    public void subscribe(String connectionId, byte[] message) {
        Optional<String> principal = store.principal(connectionId);
        if (principal.isEmpty()) {
            connections.post(connectionId, Frames.error(null, null, "InvalidRequestException", "The connection is not open."));
            return;
        }
        SegmentLister.Query request;
        try {
            request = request(message);
        } catch (RequestRejected e) {
            connections.post(connectionId, Frames.error(null, null, Frames.errorType(e), e.getMessage()));
            return;
        }
        Subscription subscription = new Subscription(connectionId, request.contact(), request.requested(), request.types(),
                principal.get());
        Permission permission = authorizer.permission(Caller.of(principal.get()), Operation.V2, request.contact(), request.types());
        String token = request.nextToken();
        try {
            for (int round = 0; round < MAX_ROUNDS; round++) {
                SegmentLister.Page page = lister.list(page(request, token), permission);
                if (round == 0 && !connections.post(connectionId, Frames.subscribed(subscription, page.channel(), page.status()))) {
                    store.disconnect(connectionId);
                    return;
                }
                if (!send(subscription, page.segments(), page.status())) {
                    return;
                }
                if (page.nextToken() == null) {
                    connections.post(connectionId, Frames.end(subscription, page.status()));
                    return;
                }
                token = page.nextToken();
                if (page.segments().size() == PAGE) {
                    continue; // more stored: catch up before looking at the fan-out
                }
                // The cursor is read after the page: if the fan-out has not passed the page's end, nothing after it
                // was sent yet, and the conditional goLive proves the cursor still has not moved.
                Cursor cursor = store.cursor(subscription.contact(), subscription.stream());
                if (page.position() >= cursor.position()) {
                    // Alone on the stream, it goes live where its catch-up ended (the cursor idles while nobody
                    // listens); with others, where the cursor is, for the fan-out serves them from there.
                    long from = store.anyLive(subscription.contact(), subscription.stream()) ? cursor.position() : page.position();
                    if (store.goLive(subscription, cursor, from)) {
                        // A segment stored meanwhile may have had its fan-out before this subscription was live (it
                        // found nobody): one fan-out now, after going live, sends whatever that was.
                        fanOut(subscription.contact(), subscription.stream());
                        return;
                    }
                }
            }
            throw new IllegalStateException("the subscription did not catch up with the fan-out in " + MAX_ROUNDS + " rounds");
        } catch (RequestRejected e) {
            connections.post(connectionId, Frames.error(subscription.contact(), subscription.stream(), Frames.errorType(e), e.getMessage()));
        }
    }

    /** A contact changed (new segments, a new status): sends what is new on those streams to their live subscriptions. */
    public void fanOut(ContactKey contact, Set<OutputType> streams) {
        for (OutputType stream : streams) {
            fanOut(contact, stream);
        }
    }

    private void fanOut(ContactKey contact, OutputType stream) {
        Map<String, Long> sentUpTo = new HashMap<>(); // connection -> the position this fan-out sent it up to
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Cursor cursor = store.cursor(contact, stream);
            if (!store.anyLive(contact, stream)) {
                return; // nobody listens: the cursor idles, and the next subscriber moves it to where it caught up
            }
            SegmentLister.Page page;
            try {
                page = lister.list(new SegmentLister.Query(Operation.V2, contact, stream, ALL_TYPES, PAGE,
                        tokens.seal(contact, Operation.V2, stream, ALL_TYPES, cursor.position())), Permission.EVERY_STREAM);
            } catch (RequestRejected notPushed) {
                return; // no such contact or stream, or a voice contact (V1 is read, not pushed)
            }
            boolean ended = page.nextToken() == null;
            if (page.position() == cursor.position() && !ended) {
                return; // nothing new
            }
            List<Subscription> live = store.live(contact, stream);
            if (live.isEmpty()) {
                return; // the last one left meanwhile
            }
            if (ended || !page.segments().isEmpty()) {
                SegmentLister.Page read = page;
                // Posts are network round trips: a thousand one after another would hold every subscriber back by the sum.
                SideBySide.forEach(live, SENDERS, subscription -> push(subscription, read, ended,
                        sentUpTo.getOrDefault(subscription.connectionId(), 0L)));
                live.forEach(subscription -> sentUpTo.put(subscription.connectionId(), read.position()));
            }
            if (store.advance(contact, stream, cursor, page.position()) && (ended || page.segments().isEmpty())) {
                return;
            }
            // Moved on (more may follow), or a subscription went live meanwhile: read again, and send each one only
            // what this fan-out has not sent it yet.
        }
    }

    /** One subscriber's share of a page: authorized again, filtered to its types, ended with the contact. */
    private void push(Subscription subscription, SegmentLister.Page page, boolean ended, long sent) {
        if (!authorizer.permission(Caller.of(subscription.principal()), Operation.V2, subscription.contact(), subscription.types())
                .allows(subscription.stream())) {
            connections.post(subscription.connectionId(), Frames.error(subscription.contact(), subscription.stream(),
                    "AccessDeniedException", "The subscriber's policy no longer allows reading this stream."));
            store.remove(subscription);
            return;
        }
        List<StoredSegment> theirs = page.segments().stream()
                .filter(s -> s.sequence() >= sent && subscription.types().contains(s.segment().type())).toList();
        if (send(subscription, theirs, page.status()) && ended) {
            connections.post(subscription.connectionId(), Frames.end(subscription, page.status()));
            store.remove(subscription);
        }
    }

    /** Sends segments to a subscriber; false (and the connection forgotten) when it is gone. */
    private boolean send(Subscription subscription, List<StoredSegment> segments, ContactStatus status) {
        for (byte[] frame : Frames.segments(subscription, segments, status, position -> tokens.seal(subscription.contact(),
                Operation.V2, subscription.stream(), subscription.types(), position))) {
            if (!connections.post(subscription.connectionId(), frame)) {
                store.disconnect(subscription.connectionId());
                return false;
            }
        }
        return true;
    }

    private static SegmentLister.Query page(SegmentLister.Query request, String token) {
        return new SegmentLister.Query(request.operation(), request.contact(), request.requested(), request.types(), PAGE, token);
    }

    /** The subscribe message, validated as a ListRealtimeContactAnalysisSegmentsV2 request with its path in the body. */
    static SegmentLister.Query request(byte[] message) {
        JsonNode root;
        try {
            root = Json.tree(message);
        } catch (MalformedJsonException e) {
            throw RequestRejected.invalid("The message is not valid JSON: " + e.getMessage());
        }
        if (!root.isObject()) {
            throw RequestRejected.invalid("The message must be a JSON object.");
        }
        String instance = root.path("InstanceId").isTextual() ? root.path("InstanceId").textValue() : null;
        String contact = root.path("ContactId").isTextual() ? root.path("ContactId").textValue() : null;
        return ListRequests.v2(instance, contact, new String(message, StandardCharsets.UTF_8));
    }
}
