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
import dev.rtca.segments.OpenTranscript;
import dev.rtca.segments.Operation;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.PartialTranscript;
import dev.rtca.segments.Permission;
import dev.rtca.segments.RequestRejected;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.SegmentType;
import dev.rtca.segments.StoredSegment;
import dev.rtca.segments.TokenCodec;
import dev.rtca.segments.Utterance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Push delivery of new segments to WebSocket subscribers, under the same paging rules and policies as the list
 * operation the subscription names: ListRealtimeContactAnalysisSegmentsV2 for a chat contact (the default), or
 * ListRealtimeContactAnalysisSegments for a voice contact (V1's stream choice, authorization and NextTokens). Each
 * segment reaches each subscriber once in the normal course; it comes again only after a failure (a retried fan-out, a
 * lease taken over), and never past one not sent. A voice subscriber may also ask for the partial transcripts of its
 * stream ({@link #partialsChanged}): provisional frames, superseded by the next and closed by the final Transcript.
 *
 * <p><b>Subscribe.</b> A {@code subscribe} message names a contact, an OutputType, SegmentTypes and optionally a
 * NextToken, validated and authorized exactly as the list operation's request. The subscriber catches up through the
 * read path from its token, then goes live holding the stream up to where its catch-up ended ({@link PushStore#goLive}),
 * in one step with a check that the contact is still in progress and the stream's counter has not moved since: what is
 * written from then on is fanned out to it, and what was written before, it has. If the check fails it reads on and
 * tries again. A join posts to nobody else.
 *
 * <p><b>Fan-out.</b> When a contact changes (its stream records), the fan-out takes the stream's {@link Lease} (waiting
 * while another fan-out holds it), reads the live subscriptions, reads the stream from the cursor through the same
 * read path, sends each subscription the segments of its types past both the cursor and its own {@code from}, and moves
 * the cursor, checking its version: a subscription that went live meanwhile makes the move fail, and the fan-out reads
 * the subscriptions again and sends each only what it has not sent it yet. A stream nobody listens to is not read.
 *
 * <p>A COMPLETED or FAILED contact ends its subscriptions with an {@code End} frame once everything was sent. Every
 * push is authorized again under the subscriber's current policy; a revoked one ends with an {@code Error} frame.
 */
public final class Pusher {
    /**
     * Segments read at a time by catch-up and fan-out: ten of the list operation's pages, so a subscriber catching up
     * on a long contact makes a tenth of the round trips (frames still stay under their size limit).
     */
    static final int PAGE = 1_000;
    /** Posts in flight at once during a fan-out (the deployed function's HTTP client keeps as many connections). */
    static final int SENDERS = 16;
    /** How long a fan-out's lease lasts without a move of the cursor: a dead holder blocks its stream this long. */
    static final Duration LEASE = Duration.ofSeconds(5);
    /** How often a fan-out waiting for the lease looks again. */
    static final Duration CLAIM_RETRY = Duration.ofMillis(20);
    private static final Set<SegmentType> ALL_TYPES = EnumSet.allOf(SegmentType.class);

    /** How a waiting fan-out waits (tests move a clock instead). */
    @FunctionalInterface
    public interface Pause {
        Pause SLEEP = duration -> {
            try {
                Thread.sleep(duration);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OutOfTime("interrupted while waiting for the stream's fan-out lease");
            }
        };

        void sleep(Duration duration);
    }

    /** The work did not finish before its deadline (the caller answers or retries; nothing was left half-done). */
    public static final class OutOfTime extends RuntimeException {
        public OutOfTime(String message) {
            super(message);
        }
    }

    /** The Utterances kept for an open transcript: the contact store's {@link dev.rtca.segments.ContactStore#utterances}. */
    @FunctionalInterface
    public interface Utterances {
        List<Utterance> of(ContactKey contact, OpenTranscript transcript);

        /** For a pusher of chat contacts only: asking it is a wiring error. */
        Utterances NONE = (contact, transcript) -> {
            throw new IllegalStateException("this Pusher was built without the Utterances of voice contacts");
        };
    }

    private final SegmentLister lister;
    private final TokenCodec tokens;
    private final ListAuthorizer authorizer;
    private final PushStore store;
    private final Connections connections;
    private final Utterances utterances;
    private final Clock clock;
    private final Pause pause;

    public Pusher(SegmentLister lister, TokenCodec tokens, ListAuthorizer authorizer, PushStore store, Connections connections) {
        this(lister, tokens, authorizer, store, connections, Utterances.NONE);
    }

    public Pusher(SegmentLister lister, TokenCodec tokens, ListAuthorizer authorizer, PushStore store, Connections connections,
                  Utterances utterances) {
        this(lister, tokens, authorizer, store, connections, utterances, Clock.systemUTC(), Pause.SLEEP);
    }

    public Pusher(SegmentLister lister, TokenCodec tokens, ListAuthorizer authorizer, PushStore store, Connections connections,
                  Clock clock, Pause pause) {
        this(lister, tokens, authorizer, store, connections, Utterances.NONE, clock, pause);
    }

    public Pusher(SegmentLister lister, TokenCodec tokens, ListAuthorizer authorizer, PushStore store, Connections connections,
                  Utterances utterances, Clock clock, Pause pause) {
        this.lister = lister;
        this.tokens = tokens;
        this.authorizer = authorizer;
        this.store = store;
        this.connections = connections;
        this.utterances = utterances;
        this.clock = clock;
        this.pause = pause;
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
        refuse(connectionId, "InvalidRequestException", "Unknown action: send {\"action\":\"subscribe\", ...}.");
    }

    /** A binary frame: the protocol is JSON text. */
    public void binaryMessage(String connectionId) {
        refuse(connectionId, "InvalidRequestException",
                "Binary frames are not supported: send the message as a text frame of JSON.");
    }

    /** An Error frame that names no subscription. */
    private void refuse(String connectionId, String errorType, String message) {
        connections.post(connectionId, Frames.error(null, null, errorType, message));
    }

    /**
     * A message whose handling failed (an internal error, throttling, running out of time): an Error frame naming
     * the subscription the message asked for, when it names one.
     */
    public void failed(String connectionId, byte[] message, String errorType, String text) {
        ContactKey contact = null;
        Operation operation = Operation.V2;
        OutputType stream = null;
        try {
            JsonNode root = Json.tree(message);
            if (root.path("InstanceId").isTextual() && root.path("ContactId").isTextual()) {
                contact = new ContactKey(root.path("InstanceId").textValue(), root.path("ContactId").textValue());
                operation = Frames.V1_OPERATION.equals(root.path("Operation").textValue()) ? Operation.V1 : Operation.V2;
                // A voice subscription's stream is V1's choice, not the message's.
                stream = operation == Operation.V1 ? null : OutputType.parse(root.path("OutputType").asText("")).orElse(null);
            }
        } catch (MalformedJsonException | IllegalArgumentException unnamed) {
            // an Error frame that names no subscription
        }
        connections.post(connectionId, Frames.error(contact, operation, stream, errorType, text));
    }

    /**
     * A {@code subscribe} message: {@code {"action":"subscribe","InstanceId","ContactId","OutputType","SegmentTypes","NextToken"?}}
     * for a chat contact (V2), or
     * {@code {"action":"subscribe","Operation":"ListRealtimeContactAnalysisSegments","InstanceId","ContactId","NextToken"?,"Partials"?}}
     * for a voice contact (V1: its stream is V1's choice, its NextTokens V1's).
     *
     * @throws OutOfTime when the catch-up has not gone live by {@code deadline} (the caller answers with an Error frame)
     */
    public void subscribe(String connectionId, byte[] message, Instant deadline) {
        Optional<String> principal = store.principal(connectionId);
        if (principal.isEmpty()) {
            refuse(connectionId, "InvalidRequestException", "The connection is not open.");
            return;
        }
        Request asked;
        try {
            asked = request(message);
        } catch (RequestRejected e) {
            refuse(connectionId, Frames.errorType(e), e.getMessage());
            return;
        }
        SegmentLister.Query request = asked.query();
        // A V1 subscription's stream is null until its first page says which one V1 chose.
        Subscription subscription = new Subscription(connectionId, request.contact(), request.requested(), request.types(),
                principal.get(), 0, request.operation(), asked.partials());
        Permission permission = authorizer.permission(Caller.of(principal.get()), request.operation(), request.contact(),
                request.types());
        String token = request.nextToken();
        try {
            for (boolean first = true; ; first = false) {
                if (clock.instant().isAfter(deadline)) {
                    throw new OutOfTime("the subscription did not catch up with contact " + request.contact().contactId()
                            + " in time");
                }
                SegmentLister.Page page = lister.list(page(request, token), permission);
                if (first) {
                    subscription = subscription.on(page.stream());
                    if (!connections.post(connectionId, Frames.subscribed(subscription, page.channel(), page.status()))) {
                        store.disconnect(connectionId);
                        return;
                    }
                }
                if (!send(subscription, page.segments(), page.status())) {
                    return;
                }
                if (page.nextToken() == null) {
                    connections.post(connectionId, Frames.end(subscription, page.status()));
                    return;
                }
                token = page.nextToken();
                if (page.position() < page.end()) {
                    continue; // more stored: catch up before trying to go live
                }
                switch (store.goLive(subscription.from(page.position()))) {
                    case LIVE, GONE -> {
                        return;
                    }
                    case BEHIND -> {
                        // written to (or ended) since the read: read on from the token
                    }
                }
            }
        } catch (RequestRejected e) {
            connections.post(connectionId, Frames.error(subscription, Frames.errorType(e), e.getMessage()));
        }
    }

    /**
     * A contact changed (new segments, a new status): sends what is new on those streams to their live subscriptions.
     *
     * @throws OutOfTime when a stream's lease could not be had, or its fan-out not finished, by {@code deadline} (the
     *                   caller fails its batch, to be retried)
     */
    public void fanOut(ContactKey contact, Set<OutputType> streams, Instant deadline) {
        for (OutputType stream : streams) {
            fanOut(contact, stream, deadline);
        }
    }

    private void fanOut(ContactKey contact, OutputType stream, Instant deadline) {
        if (!store.anyLive(contact, stream)) {
            return; // nobody listens: the stream is not read, the cursor idles
        }
        String owner = UUID.randomUUID().toString();
        Cursor cursor = claim(contact, stream, owner, deadline);
        Lease lease = new Lease(owner, clock.instant().plus(LEASE));
        boolean released = false;
        try {
            Map<String, Long> sent = new HashMap<>(); // connection -> the position this fan-out sent it up to
            List<Subscription> live = store.live(contact, stream);
            while (!live.isEmpty()) {
                if (clock.instant().isAfter(deadline)) {
                    throw new OutOfTime("the fan-out of contact " + contact.contactId() + " did not finish in time");
                }
                long start = cursor.position();
                // Read with the operation that serves the subscribers: V1 for a voice contact, V2 for a chat one. They
                // all share it, as each one's catch-up read the contact with it (a contact's channel never changes).
                Operation operation = live.getFirst().operation();
                SegmentLister.Page page;
                try {
                    page = lister.list(new SegmentLister.Query(operation, contact, operation == Operation.V2 ? stream : null,
                            ALL_TYPES, PAGE, tokens.seal(contact, operation, stream, ALL_TYPES, start)), Permission.EVERY_STREAM);
                } catch (RequestRejected notPushed) {
                    return; // no such contact or stream
                }
                boolean ended = page.nextToken() == null;
                if (page.position() == start && !ended) {
                    return; // nothing new
                }
                Set<Subscription> over = ConcurrentHashMap.newKeySet(); // ended, revoked or gone: nothing more for them
                // Posts are network round trips: a thousand one after another would hold every subscriber back by the sum.
                SideBySide.forEach(live, SENDERS, subscription -> {
                    if (!push(subscription, page, ended,
                            Math.max(start, Math.max(subscription.from(), sent.getOrDefault(subscription.connectionId(), 0L))))) {
                        over.add(subscription);
                    }
                });
                live.forEach(subscription -> sent.put(subscription.connectionId(), page.position()));
                live = live.stream().filter(subscription -> !over.contains(subscription)).toList();
                // Caught up: everything committed before this read was sent, so every segment this fan-out's records
                // name was; a segment committed since has its own record, and that record its own fan-out.
                boolean done = ended || page.position() >= page.end();
                lease = new Lease(lease.owner(), clock.instant().plus(LEASE));
                switch (store.advance(contact, stream, cursor, page.position(), lease, done)) {
                    case MOVED -> {
                        if (done) {
                            released = true;
                            return;
                        }
                        cursor = new Cursor(page.position(), cursor.version());
                    }
                    case STALE -> {
                        // A subscription went live meanwhile: read them again; each gets only what it lacks.
                        cursor = store.cursor(contact, stream);
                        live = store.live(contact, stream);
                    }
                    case LOST -> {
                        released = true; // another fan-out holds the stream now, and goes on from the cursor
                        return;
                    }
                }
            }
        } finally {
            if (!released) {
                store.release(contact, stream, lease);
            }
        }
    }

    /** The stream's lease, once no other fan-out holds it; the cursor it was taken at. */
    private Cursor claim(ContactKey contact, OutputType stream, String owner, Instant deadline) {
        while (true) {
            Instant now = clock.instant();
            Optional<Cursor> cursor = store.claim(contact, stream, new Lease(owner, now.plus(LEASE)), now);
            if (cursor.isPresent()) {
                return cursor.get();
            }
            if (now.isAfter(deadline)) {
                throw new OutOfTime("another fan-out held contact " + contact.contactId() + "'s " + stream + " stream");
            }
            pause.sleep(CLAIM_RETRY);
        }
    }

    /**
     * One subscriber's share of a page past {@code sent}: authorized again, filtered to its types, ended with the
     * contact. False when the subscription is over (ended, revoked, or its connection gone).
     */
    private boolean push(Subscription subscription, SegmentLister.Page page, boolean ended, long sent) {
        if (!authorized(subscription)) {
            return false;
        }
        List<StoredSegment> theirs = page.segments().stream()
                .filter(s -> s.sequence() >= sent && subscription.types().contains(s.segment().type())).toList();
        if (!send(subscription, theirs, page.status())) {
            return false;
        }
        if (ended) {
            connections.post(subscription.connectionId(), Frames.end(subscription, page.status()));
            store.remove(subscription);
            return false;
        }
        return true;
    }

    /**
     * Whether the subscriber's current policy still allows reading its stream, as its operation authorizes it; if not,
     * the subscription ends with an Error frame.
     */
    private boolean authorized(Subscription subscription) {
        if (authorizer.permission(Caller.of(subscription.principal()), subscription.operation(), subscription.contact(),
                subscription.types()).allows(subscription.stream())) {
            return true;
        }
        connections.post(subscription.connectionId(), Frames.error(subscription, "AccessDeniedException",
                "The subscriber's policy no longer allows reading this stream."));
        store.remove(subscription);
        return false;
    }

    /**
     * Open transcripts of a voice contact changed (Utterances kept): each subscriber live on a transcript's stream that
     * asked for partials gets its words so far, as one {@code Partial} frame, authorized again like the stream's
     * segments. Partials are provisional: one that comes after its transcript's final is stale, and the client drops it.
     *
     * @throws OutOfTime when the transcripts were not all sent by {@code deadline} (the caller fails its batch, to be retried)
     */
    public void partialsChanged(ContactKey contact, Set<OpenTranscript> transcripts, Instant deadline) {
        Map<OutputType, List<Subscription>> listening = new EnumMap<>(OutputType.class);
        Set<Subscription> over = ConcurrentHashMap.newKeySet(); // revoked or gone: nothing more for them
        for (OpenTranscript transcript : transcripts) {
            if (clock.instant().isAfter(deadline)) {
                throw new OutOfTime("the partials of contact " + contact.contactId() + " were not sent in time");
            }
            List<Subscription> theirs = listening.computeIfAbsent(transcript.stream(), stream ->
                    store.live(contact, stream).stream().filter(Subscription::partials).toList());
            theirs = theirs.stream().filter(subscription -> !over.contains(subscription)).toList();
            if (theirs.isEmpty()) {
                continue; // nobody asked for this stream's partials: its Utterances are not read
            }
            List<Utterance> kept = utterances.of(contact, transcript);
            if (kept.isEmpty()) {
                continue;
            }
            PartialTranscript partial = PartialTranscript.assemble(kept);
            SideBySide.forEach(theirs, SENDERS, subscription -> {
                if (!authorized(subscription)) {
                    over.add(subscription);
                    return;
                }
                byte[] frame = Frames.partial(subscription, partial);
                if (frame != null && !connections.post(subscription.connectionId(), frame)) {
                    store.disconnect(subscription.connectionId());
                    over.add(subscription);
                }
            });
        }
    }

    /** Sends segments to a subscriber; false (and the connection forgotten) when it is gone. */
    private boolean send(Subscription subscription, List<StoredSegment> segments, ContactStatus status) {
        for (byte[] frame : Frames.segments(subscription, segments, status, position -> tokens.seal(subscription.contact(),
                subscription.operation(), subscription.stream(), subscription.types(), position))) {
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

    /** A validated subscribe message: the list request it is, and whether it asks for partials. */
    record Request(SegmentLister.Query query, boolean partials) {
    }

    /**
     * The subscribe message, validated as the list request its {@code Operation} names, with its path in the body:
     * ListRealtimeContactAnalysisSegmentsV2 (absent, or named) or ListRealtimeContactAnalysisSegments (voice, V1; the
     * only one that takes {@code Partials}). Members neither models ({@code action}, {@code Operation}, {@code Partials})
     * are ignored by the request's own validation, as the list operation ignores unknown members.
     */
    static Request request(byte[] message) {
        JsonNode root;
        try {
            root = Json.tree(message);
        } catch (MalformedJsonException e) {
            throw RequestRejected.invalid("The message is not valid JSON: " + e.getMessage());
        }
        if (!root.isObject()) {
            throw RequestRejected.invalid("The message must be a JSON object.");
        }
        JsonNode named = root.path("Operation");
        Operation operation;
        if (named.isMissingNode() || named.isNull() || Frames.V2_OPERATION.equals(named.textValue())) {
            operation = Operation.V2;
        } else if (Frames.V1_OPERATION.equals(named.textValue())) {
            operation = Operation.V1;
        } else {
            throw RequestRejected.invalid("Operation must be one of [" + Frames.V1_OPERATION + ", " + Frames.V2_OPERATION
                    + "] (absent: " + Frames.V2_OPERATION + ").");
        }
        JsonNode partials = root.path("Partials");
        boolean asked = !partials.isMissingNode() && !partials.isNull();
        if (asked && !partials.isBoolean()) {
            throw RequestRejected.invalid("Partials must be a boolean.");
        }
        if (asked && operation != Operation.V1) {
            throw RequestRejected.invalid("Partials applies to voice subscriptions (Operation " + Frames.V1_OPERATION + ").");
        }
        if (operation == Operation.V1) {
            return new Request(ListRequests.v1(message), asked && partials.booleanValue());
        }
        String instance = root.path("InstanceId").isTextual() ? root.path("InstanceId").textValue() : null;
        String contact = root.path("ContactId").isTextual() ? root.path("ContactId").textValue() : null;
        return new Request(ListRequests.v2(instance, contact, message), false);
    }
}
