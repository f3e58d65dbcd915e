package dev.rtca.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.access.ListAuthorizer;
import dev.rtca.access.Policies;
import dev.rtca.fixtures.Access;
import dev.rtca.fixtures.Envelopes;
import dev.rtca.fixtures.MemoryPushStore;
import dev.rtca.fixtures.MemoryStore;
import dev.rtca.fixtures.MutableClock;
import dev.rtca.fixtures.Samples;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.Operation;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.Segment;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.SegmentType;
import dev.rtca.segments.TokenCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Push delivery's rules with the races forced at chosen points (the in-memory stores check what DynamoDB checks, and a
 * test overrides one of their steps to make something happen there): every subscriber gets every segment of its types
 * exactly once, in order, and its End; a join costs its own catch-up and nothing for the others; two fan-outs of one
 * stream never post the same segment; a revoked reader is cut off; no frame is over 120 KB.
 */
class PusherTest {
    private static final String PRINCIPAL = "arn:aws:iam::123456789012:user/supervisor";
    private static final Set<OutputType> RAW = Set.of(OutputType.Raw);

    private final MemoryStore contacts = new MemoryStore();
    private final TokenCodec tokens = new TokenCodec("pusher-test-key-0123456789abcdef0123".getBytes(StandardCharsets.UTF_8),
            Duration.ofHours(24), Clock.systemUTC());
    private final SegmentLister lister = new SegmentLister(contacts, tokens);
    private final ContactKey contact = Envelopes.newContact();
    private final Posts posts = new Posts();
    private final AtomicInteger appends = new AtomicInteger();
    private int written;

    /** Every frame posted, by connection, in order; connections named in {@code gone} answer 410 (and are counted). */
    static final class Posts implements Connections {
        final List<Map.Entry<String, byte[]>> all = new CopyOnWriteArrayList<>();
        final Set<String> gone = ConcurrentHashMap.newKeySet();
        final AtomicInteger refused = new AtomicInteger();

        @Override
        public boolean post(String connectionId, byte[] frame) {
            if (gone.contains(connectionId)) {
                refused.incrementAndGet();
                return false;
            }
            all.add(Map.entry(connectionId, frame));
            return true;
        }

        List<JsonNode> frames(String connectionId) {
            return all.stream().filter(e -> e.getKey().equals(connectionId)).map(e -> Envelopes.parse(e.getValue())).toList();
        }

        List<String> types(String connectionId) {
            return frames(connectionId).stream().map(f -> f.path("Type").asText()).toList();
        }

        /** Every Position posted to the connection, repeats included, in the order posted. */
        List<Long> positions(String connectionId) {
            List<Long> positions = new ArrayList<>();
            for (JsonNode frame : frames(connectionId)) {
                frame.path("Segments").forEach(entry -> positions.add(entry.path("Position").asLong()));
            }
            return positions;
        }

        /** The size of the largest frame posted to the connection. */
        int largest(String connectionId) {
            return all.stream().filter(e -> e.getKey().equals(connectionId)).mapToInt(e -> e.getValue().length).max().orElse(0);
        }
    }

    private Pusher pusher(PushStore store) {
        return new Pusher(lister, tokens, Access.allowAll(), store, posts);
    }

    private static Instant soon() {
        return Instant.now().plusSeconds(60);
    }

    private void start() {
        contacts.open(contact, Channel.CHAT, RAW);
    }

    /** Appends {@code n} transcripts (numbered on from the last), as one event. */
    private void append(int n) {
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            segments.add(Samples.v2Transcript(written++, "CUSTOMER"));
        }
        contacts.append(contact, Channel.CHAT, OutputType.Raw, "event-" + appends.incrementAndGet(), segments);
    }

    private byte[] subscribe(String types, String token) {
        return subscribe(contact, types, token);
    }

    private static byte[] subscribe(ContactKey key, String types, String token) {
        return ("{\"action\":\"subscribe\",\"InstanceId\":\"" + key.instanceId() + "\",\"ContactId\":\""
                + key.contactId() + "\",\"OutputType\":\"Raw\",\"SegmentTypes\":" + types
                + (token == null ? "" : ",\"NextToken\":\"" + token + "\"") + "}").getBytes(StandardCharsets.UTF_8);
    }

    private void join(Pusher pusher, String connectionId) {
        pusher.connected(connectionId, PRINCIPAL);
        pusher.subscribe(connectionId, subscribe("[\"Transcript\"]", null), soon());
    }

    private static List<Long> oneTo(long n) {
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    @Test
    void aSubscriberCatchesUpGoesLiveAndEndsWithTheContact() {
        start();
        append(3);
        MemoryPushStore store = new MemoryPushStore(contacts);
        Pusher pusher = pusher(store);
        join(pusher, "a");
        JsonNode subscribed = posts.frames("a").getFirst();
        assertEquals("Subscribed", subscribed.path("Type").asText());
        assertEquals(contact.instanceId(), subscribed.path("InstanceId").asText());
        assertEquals(contact.contactId(), subscribed.path("ContactId").asText());
        assertEquals("Raw", subscribed.path("OutputType").asText());
        assertEquals("[\"Transcript\"]", subscribed.path("SegmentTypes").toString());
        assertEquals("CHAT", subscribed.path("Channel").asText());
        assertEquals("IN_PROGRESS", subscribed.path("Status").asText());
        assertEquals(List.of(new Subscription("a", contact, OutputType.Raw, Set.of(SegmentType.Transcript), PRINCIPAL, 3)),
                store.live(contact, OutputType.Raw), "live, holding the stream up to its catch-up's end");

        append(2);
        pusher.fanOut(contact, RAW, soon());
        contacts.close(contact, Channel.CHAT, ContactStatus.COMPLETED);
        pusher.fanOut(contact, RAW, soon());

        assertEquals(List.of("Subscribed", "Segments", "Segments", "End"), posts.types("a"));
        assertEquals(oneTo(5), posts.positions("a"));
        JsonNode live = posts.frames("a").get(2);
        assertEquals("t-3", live.path("Segments").get(0).path("Segment").path("Transcript").path("Id").asText());
        assertEquals("IN_PROGRESS", live.path("Status").asText());
        assertEquals("COMPLETED", posts.frames("a").getLast().path("Status").asText());
        assertTrue(store.live(contact, OutputType.Raw).isEmpty(), "the subscription is over");
        assertNull(store.leaseHolder(contact, OutputType.Raw), "the lease was given back");

        // A frame's NextToken resumes after its last segment, with the list operation too.
        String token = live.path("NextToken").asText();
        SegmentLister.Page rest = lister.list(new SegmentLister.Query(Operation.V2, contact, OutputType.Raw,
                Set.of(SegmentType.Transcript), 100, token), Access.all());
        assertTrue(rest.segments().isEmpty());
        assertNull(rest.nextToken(), "everything was read");
    }

    @Test
    void aJoinPostsToNobodyElse() {
        start();
        MemoryPushStore store = new MemoryPushStore(contacts);
        Pusher pusher = pusher(store);
        for (String early : List.of("a", "b", "c")) {
            join(pusher, early);
        }
        append(4);
        pusher.fanOut(contact, RAW, soon());
        int before = posts.all.size();

        join(pusher, "late");
        assertEquals(before + 2, posts.all.size(), "the joiner's Subscribed and its catch-up, nothing else: "
                + posts.types("late"));
        assertEquals(oneTo(4), posts.positions("late"));

        append(1);
        pusher.fanOut(contact, RAW, soon());
        for (String subscriber : List.of("a", "b", "c", "late")) {
            assertEquals(oneTo(5), posts.positions(subscriber), subscriber);
        }
    }

    /**
     * The fan-out passes the joiner's catch-up end while others are live: a segment is written and pushed to them
     * between the joiner's read and its going live. The joiner must read on, or it would miss that segment.
     */
    @Test
    void aJoinerTheFanOutOvertookReadsOnBeforeGoingLive() {
        start();
        MemoryPushStore store = new MemoryPushStore(contacts);
        Pusher pusher = pusher(store);
        join(pusher, "a");
        append(2);
        AtomicInteger attempts = new AtomicInteger();
        store.beforeGoLive(subscription -> {
            if (attempts.getAndIncrement() == 0) {
                append(2);
                pusher.fanOut(contact, RAW, soon()); // the cursor passes the joiner's catch-up end
            }
        });
        join(pusher, "b");
        assertEquals(2, attempts.get(), "it tried again after reading on");

        append(1);
        pusher.fanOut(contact, RAW, soon());
        assertEquals(oneTo(5), posts.positions("a"));
        assertEquals(oneTo(5), posts.positions("b"), "nothing missed, nothing twice");
    }

    /** The contact ends between a joiner's read and its going live: it reads on and gets the End itself. */
    @Test
    void aJoinerWhoseContactEndsMeanwhileGetsTheEnd() {
        start();
        append(2);
        MemoryPushStore store = new MemoryPushStore(contacts);
        store.beforeGoLive(subscription -> contacts.close(contact, Channel.CHAT, ContactStatus.COMPLETED));
        join(pusher(store), "a");
        assertEquals(List.of("Subscribed", "Segments", "End"), posts.types("a"));
        assertTrue(store.live(contact, OutputType.Raw).isEmpty(), "never live: it ended with its catch-up");
    }

    /**
     * Joins interleaved with appends and fan-outs at chosen points: one joins while a fan-out is between reading the
     * subscriptions and moving the cursor, one while the stream is written between its read and its going live. Each
     * subscriber gets exactly the positions 1..n once, in order, and the End.
     */
    @Test
    void joinsInterleavedWithAppendsEachGetEverySegmentOnceInOrder() {
        start();
        MemoryPushStore store = new MemoryPushStore(contacts);
        Pusher pusher = pusher(store);
        join(pusher, "a");
        append(3);
        pusher.fanOut(contact, RAW, soon());

        // "b" joins while a fan-out has read the subscriptions but not moved the cursor, and one more segment is
        // written: only this fan-out, reading the subscriptions again, can send it to "b" (no other fan-out runs).
        AtomicInteger advances = new AtomicInteger();
        store.beforeAdvance(() -> {
            if (advances.getAndIncrement() == 0) {
                join(pusher, "b");
                append(1);
            }
        });
        append(2);
        pusher.fanOut(contact, RAW, soon());
        assertTrue(advances.get() >= 2, "the first move failed: a subscription went live meanwhile");
        store.beforeAdvance(() -> { });

        // "c" joins while the stream is written (and fanned out) between its read and its going live.
        AtomicInteger attempts = new AtomicInteger();
        store.beforeGoLive(subscription -> {
            if (attempts.getAndIncrement() == 0) {
                append(2);
                pusher.fanOut(contact, RAW, soon());
            }
        });
        join(pusher, "c");
        append(1);
        pusher.fanOut(contact, RAW, soon());
        contacts.close(contact, Channel.CHAT, ContactStatus.COMPLETED);
        pusher.fanOut(contact, RAW, soon());

        for (String subscriber : List.of("a", "b", "c")) {
            assertEquals(oneTo(written), posts.positions(subscriber), subscriber + ": " + posts.types(subscriber));
            List<String> types = posts.types(subscriber);
            assertEquals("Subscribed", types.getFirst(), subscriber);
            assertEquals("End", types.getLast(), subscriber);
            assertEquals(1, types.stream().filter("End"::equals).count(), subscriber);
        }
    }

    /**
     * A fan-out ends once it has sent what was committed before its read: a contact written without pause does not
     * hold its fan-out (and the other contacts of its batch) forever; what comes meanwhile has its own records.
     */
    @Test
    void aFanOutEndsOnceCaughtUpAndLeavesLaterSegmentsToTheirOwnFanOut() {
        start();
        MemoryPushStore store = new MemoryPushStore(contacts);
        Pusher pusher = pusher(store);
        join(pusher, "a");
        append(2);
        AtomicInteger advances = new AtomicInteger();
        store.beforeAdvance(() -> {
            advances.incrementAndGet();
            append(1); // written while every fan-out posts
        });
        pusher.fanOut(contact, RAW, soon());
        assertEquals(1, advances.get(), "one read, one move");
        assertEquals(oneTo(2), posts.positions("a"));
        assertNull(store.leaseHolder(contact, OutputType.Raw), "the lease was given back with the move");
        pusher.fanOut(contact, RAW, soon()); // the next segment's own fan-out
        assertEquals(oneTo(3), posts.positions("a"));
    }

    /** Two fan-outs of one stream at once (two stream batches, a retry): the second waits, and nothing is posted twice. */
    @Test
    void twoFanOutsOfOneStreamAtOncePostEachSegmentOnce() throws Exception {
        start();
        MemoryPushStore store = new MemoryPushStore(contacts);
        CountDownLatch posting = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        AtomicInteger waits = new AtomicInteger();
        Connections slow = (id, frame) -> {
            if (id.equals("a") && Envelopes.parse(frame).path("Type").asText().equals("Segments") && posting.getCount() > 0) {
                posting.countDown();
                try {
                    assertTrue(letGo.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return posts.post(id, frame);
        };
        Pusher.Pause counting = duration -> {
            waits.incrementAndGet();
            Pusher.Pause.SLEEP.sleep(duration);
        };
        Pusher pusher = new Pusher(lister, tokens, Access.allowAll(), store, slow, Clock.systemUTC(), counting);
        join(pusher, "a");
        join(pusher, "b");
        append(3);
        Thread first = Thread.ofPlatform().start(() -> pusher.fanOut(contact, RAW, soon()));
        assertTrue(posting.await(10, TimeUnit.SECONDS), "the first fan-out is posting");
        Thread second = Thread.ofPlatform().start(() -> pusher.fanOut(contact, RAW, soon()));
        for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); waits.get() == 0 && second.isAlive()
                && System.nanoTime() < until; ) {
            Thread.sleep(5);
        }
        letGo.countDown();
        first.join();
        second.join();

        assertEquals(oneTo(3), posts.positions("a"));
        assertEquals(oneTo(3), posts.positions("b"));
        assertTrue(waits.get() > 0, "the second waited for the first's lease");
        assertNull(store.leaseHolder(contact, OutputType.Raw));
    }

    /** A fan-out claims its stream for 5 seconds, and holds it 5 seconds more from each move of its cursor. */
    @Test
    void aFanOutsLeaseLastsFiveSeconds() {
        start();
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
        MemoryPushStore store = new MemoryPushStore(contacts);
        Pusher pusher = new Pusher(lister, tokens, Access.allowAll(), store, posts, clock, clock::advance);
        join(pusher, "a");
        append(2);
        List<Instant> held = new ArrayList<>();
        store.beforeAdvance(() -> {
            held.add(store.leaseUntil(contact, OutputType.Raw));
            clock.advance(Duration.ofSeconds(2));
        });
        Instant claimed = clock.instant();
        pusher.fanOut(contact, RAW, clock.instant().plusSeconds(60));
        assertEquals(List.of(claimed.plusSeconds(5)), held, "claimed until 5 s after the claim");
        assertEquals(oneTo(2), posts.positions("a"));
    }

    /**
     * A fan-out posts to up to 16 subscribers at once, never more (the deployed function keeps 16 connections): each
     * post here waits until 16 are in flight (or half a second), so a higher bound would show and a lower one too.
     */
    @Test
    void aFanOutPostsToSixteenSubscribersAtOnce() {
        start();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean counting = new java.util.concurrent.atomic.AtomicBoolean();
        Pusher pusher = new Pusher(lister, tokens, Access.allowAll(), new MemoryPushStore(contacts), (id, frame) -> {
            if (counting.get()) {
                most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try {
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
                    while (inFlight.get() < 16 && System.nanoTime() < until) {
                        Thread.sleep(1);
                    }
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    inFlight.decrementAndGet();
                }
            }
            return posts.post(id, frame);
        });
        for (int i = 0; i < 40; i++) {
            join(pusher, "s-" + i);
        }
        append(1);
        counting.set(true);
        pusher.fanOut(contact, RAW, soon());
        assertEquals(16, most.get(), "posts in flight at once");
        for (int i = 0; i < 40; i++) {
            assertEquals(List.of(1L), posts.positions("s-" + i));
        }
    }

    /** A fan-out died holding the lease: the next one waits the lease's 5 seconds out, then takes over. */
    @Test
    void aDeadFanOutsLeaseIsTakenOverAfterFiveSeconds() {
        start();
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
        MemoryPushStore store = new MemoryPushStore(contacts);
        List<Duration> waited = new ArrayList<>();
        Pusher pusher = new Pusher(lister, tokens, Access.allowAll(), store, posts, clock, duration -> {
            waited.add(duration);
            clock.advance(duration);
        });
        join(pusher, "a");
        append(2);
        assertTrue(store.claim(contact, OutputType.Raw, new Lease("dead", clock.instant().plusSeconds(5)), clock.instant())
                .isPresent());

        pusher.fanOut(contact, RAW, clock.instant().plusSeconds(60));
        assertEquals(oneTo(2), posts.positions("a"));
        Duration total = waited.stream().reduce(Duration.ZERO, Duration::plus);
        assertTrue(total.compareTo(Duration.ofSeconds(5)) > 0 && total.compareTo(Duration.ofMillis(5_100)) <= 0,
                "waited just past the lease: " + total);
        assertTrue(waited.stream().allMatch(Duration.ofMillis(20)::equals), "looked again every 20 ms: " + waited.getFirst());
        assertNull(store.leaseHolder(contact, OutputType.Raw));
    }

    @Test
    void aFanOutThatCannotHaveTheLeaseInTimeFailsWithoutPosting() {
        start();
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
        MemoryPushStore store = new MemoryPushStore(contacts);
        Pusher pusher = new Pusher(lister, tokens, Access.allowAll(), store, posts, clock, clock::advance);
        join(pusher, "a");
        append(2);
        store.claim(contact, OutputType.Raw, new Lease("busy", clock.instant().plusSeconds(30)), clock.instant());
        int before = posts.all.size();
        assertThrows(Pusher.OutOfTime.class, () -> pusher.fanOut(contact, RAW, clock.instant().plusSeconds(2)));
        assertEquals(before, posts.all.size());
        assertEquals("busy", store.leaseHolder(contact, OutputType.Raw), "another's lease is left alone");
    }

    /** A fan-out whose lease ran out and was taken over stops at its next move, and leaves the new holder's lease alone. */
    @Test
    void aFanOutThatLostItsLeaseStops() {
        start();
        MemoryPushStore store = new MemoryPushStore(contacts);
        Pusher pusher = pusher(store);
        join(pusher, "a");
        append(2);
        store.beforeAdvance(() -> {
            // The lease ran out while the fan-out posted, and another took it.
            store.release(contact, OutputType.Raw, new Lease(store.leaseHolder(contact, OutputType.Raw), Instant.now()));
            store.claim(contact, OutputType.Raw, new Lease("other", Instant.now().plusSeconds(5)), Instant.now());
        });
        pusher.fanOut(contact, RAW, soon());
        assertEquals(oneTo(2), posts.positions("a"));
        assertEquals("other", store.leaseHolder(contact, OutputType.Raw));
        assertEquals(0, store.cursor(contact, OutputType.Raw).position(), "the cursor is the new holder's to move");
    }

    /** A policy change revokes a live reader: its next push is an AccessDeniedException frame, and nothing after it. */
    @Test
    void aRevokedReaderGetsAccessDeniedAndNothingMore() {
        start();
        MutableClock clock = new MutableClock(Instant.now());
        String other = "arn:aws:iam::123456789012:user/other";
        Map<String, String> documents = new ConcurrentHashMap<>(Map.of(PRINCIPAL, Access.ALLOW_ALL, other, Access.ALLOW_ALL));
        ListAuthorizer authorizer = new ListAuthorizer(new Policies(key -> Optional.ofNullable(documents.get(key)),
                Access.DEPLOYMENT, clock, (k, r) -> {
        }), Access.DEPLOYMENT);
        MemoryPushStore store = new MemoryPushStore(contacts);
        Pusher pusher = new Pusher(lister, tokens, authorizer, store, posts);
        pusher.connected("a", PRINCIPAL);
        pusher.subscribe("a", subscribe("[\"Transcript\"]", null), soon());
        pusher.connected("b", other);
        pusher.subscribe("b", subscribe("[\"Transcript\"]", null), soon());
        append(1);
        pusher.fanOut(contact, RAW, soon());
        assertEquals(List.of(1L), posts.positions("a"), "allowed: " + posts.types("a"));

        documents.put(PRINCIPAL, "{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\"}]}");
        clock.advance(Duration.ofSeconds(61)); // past the policies' staleness
        append(1_001); // more than one read (1,000 segments): the fan-out reads twice
        AtomicInteger advances = new AtomicInteger();
        store.beforeAdvance(advances::incrementAndGet);
        pusher.fanOut(contact, RAW, soon());
        assertEquals(2, advances.get(), "the fan-out read twice");
        assertEquals(List.of("Subscribed", "Segments", "Error"), posts.types("a"), "one refusal, nothing after it");
        JsonNode error = posts.frames("a").getLast();
        assertEquals("AccessDeniedException", error.path("ErrorType").asText());
        assertEquals(contact.contactId(), error.path("ContactId").asText());
        assertEquals(List.of("b"), store.live(contact, OutputType.Raw).stream().map(Subscription::connectionId).toList(),
                "the revoked subscription is over");

        append(1);
        pusher.fanOut(contact, RAW, soon());
        assertEquals(List.of(1L), posts.positions("a"), "nothing after the refusal");
        assertEquals(oneTo(1_003), posts.positions("b"), "the other reader is still served");
    }

    /** Segments the subscriber did not ask for are not sent; positions still count every segment of the stream. */
    @Test
    void aSubscriptionGetsOnlyItsTypes() {
        start();
        MemoryPushStore store = new MemoryPushStore(contacts);
        Pusher pusher = pusher(store);
        pusher.connected("events", PRINCIPAL);
        pusher.subscribe("events", subscribe("[\"Event\"]", null), soon());
        contacts.append(contact, Channel.CHAT, OutputType.Raw, "mixed", List.of(Samples.v2Transcript(0, "AGENT"),
                Samples.v2Event(1), Samples.v2Transcript(2, "AGENT"), Samples.v2Event(3)));
        pusher.fanOut(contact, RAW, soon());
        assertEquals(List.of(2L, 4L), posts.positions("events"));
    }

    /**
     * Frames stay within API Gateway's 128 KB message limit, at most 120 KB (122,880 bytes) each, in the catch-up and
     * live; a segment too large for a frame comes as Omitted with a NextToken that reads it with the list operation.
     */
    @Test
    void noFrameIsOver120KilobytesAndASegmentTooLargeForOneIsOmitted() {
        start();
        List<Segment> large = framesWorth("c");

        contacts.append(contact, Channel.CHAT, OutputType.Raw, "catch-up", large);
        MemoryPushStore store = new MemoryPushStore(contacts);
        Pusher pusher = pusher(store);
        pusher.connected("a", PRINCIPAL);
        pusher.subscribe("a", subscribe("[\"Transcript\",\"Issues\"]", null), soon());
        contacts.append(contact, Channel.CHAT, OutputType.Raw, "live", framesWorth("l")); // other Ids: not a retry
        pusher.fanOut(contact, RAW, soon());

        for (Map.Entry<String, byte[]> post : posts.all) {
            assertTrue(post.getValue().length <= 122_880, "a frame of " + post.getValue().length + " bytes");
        }
        assertEquals(oneTo(664), posts.positions("a"));
        assertTrue(posts.frames("a").stream().filter(f -> f.path("Type").asText().equals("Segments")).count() >= 6,
                "the segments are spread over frames");
        List<JsonNode> omitted = new ArrayList<>();
        posts.frames("a").forEach(f -> f.path("Segments").forEach(entry -> {
            if (entry.path("Omitted").asBoolean()) {
                omitted.add(entry);
            }
        }));
        assertEquals(List.of(31L, 363L), omitted.stream().map(e -> e.path("Position").asLong()).toList());
        for (JsonNode entry : omitted) {
            assertFalse(entry.has("Segment"));
            SegmentLister.Page page = lister.list(new SegmentLister.Query(Operation.V2, contact, OutputType.Raw,
                    Set.of(SegmentType.Transcript, SegmentType.Issues), 1, entry.path("NextToken").asText()), Access.all());
            assertEquals("huge", Envelopes.parse(page.segments().getFirst().segment().json()).path("Issues")
                    .path("IssuesDetected").get(0).path("TranscriptItems").get(0).path("Id").asText());
        }
    }

    /** Whatever the segments' sizes, frames pack up to the bound and never past it. */

    /** 30 large transcripts, a segment too large for a frame, and 301 small ones; Ids prefixed so two calls differ. */
    private static List<Segment> framesWorth(String prefix) {
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            segments.add(transcript(prefix + "m-" + i, 10_000));
        }
        segments.add(issues("huge", 9, 16_000)); // about 144 KB
        segments.add(transcript(prefix + "after", 10));
        for (int i = 0; i < 300; i++) {
            segments.add(transcript(prefix + "s-" + i, 1_000)); // small ones fill frames to the brim
        }
        return segments;
    }
    @Test
    void framesOfSegmentsOfAnySizeStayWithin120Kilobytes() {
        MemoryPushStore store = new MemoryPushStore(contacts);
        Pusher pusher = pusher(store);
        int largest = 0;
        // Sizes around ten segments to a frame, one character apart, so that some pack to the byte.
        for (int length = 11_800; length <= 12_110; length++) {
            ContactKey key = Envelopes.newContact();
            List<Segment> segments = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                segments.add(transcript("x-" + i, length));
            }
            contacts.append(key, Channel.CHAT, OutputType.Raw, "sized", segments);
            String connection = "c-" + length;
            pusher.connected(connection, PRINCIPAL);
            pusher.subscribe(connection, subscribe(key, "[\"Transcript\"]", null), soon());
            assertEquals(11, posts.positions(connection).size());
            largest = Math.max(largest, posts.largest(connection));
        }
        // A segment alone near the bound: inline only if it fits with the frame's own members.
        for (int length = 15_200; length <= 15_400; length += 4) {
            ContactKey key = Envelopes.newContact();
            contacts.append(key, Channel.CHAT, OutputType.Raw, "alone", List.of(issues("big", 8, length)));
            String connection = "i-" + length;
            pusher.connected(connection, PRINCIPAL);
            pusher.subscribe(connection, subscribe(key, "[\"Issues\"]", null), soon());
            assertEquals(List.of(1L), posts.positions(connection));
            largest = Math.max(largest, posts.largest(connection));
        }
        assertTrue(largest <= 122_880, "a frame of " + largest + " bytes");
        assertTrue(largest > 120_000, "frames are packed: the largest is " + largest + " bytes");
    }

    private static Segment issues(String id, int items, int length) {
        StringBuilder json = new StringBuilder("{\"Issues\":{\"IssuesDetected\":[{\"TranscriptItems\":[");
        for (int i = 0; i < items; i++) {
            json.append(i == 0 ? "" : ",").append("{\"Id\":\"").append(id).append("\",\"Content\":\"")
                    .append("y".repeat(length)).append("\"}");
        }
        return Samples.v2(json.append("]}]}}").toString());
    }

    private static Segment transcript(String id, int length) {
        return Samples.v2("{\"Transcript\":{\"Id\":\"" + id + "\",\"ParticipantId\":\"p-1\",\"ParticipantRole\":\"AGENT\","
                + "\"Content\":\"" + "x".repeat(length) + "\",\"Time\":{\"AbsoluteTime\":\"2024-03-14T19:39:26.715Z\"}}}");
    }

    @Test
    void aCatchUpLongerThanOneReadGoesLiveAfterReadingItAll() {
        start();
        for (int i = 0; i < 3; i++) {
            append(1_000);
        }
        append(5);
        MemoryPushStore store = new MemoryPushStore(contacts);
        join(pusher(store), "a");
        assertEquals(oneTo(3_005), posts.positions("a"));
        assertEquals(3_005, store.live(contact, OutputType.Raw).getFirst().from());
    }

    @Test
    void aGoneSubscriberIsForgottenAndTheOthersStillServed() {
        start();
        MemoryPushStore store = new MemoryPushStore(contacts);
        Pusher pusher = pusher(store);
        join(pusher, "a");
        join(pusher, "b");
        posts.gone.add("a");
        append(1_001); // more than one read (1,000 segments): the fan-out reads twice
        AtomicInteger advances = new AtomicInteger();
        store.beforeAdvance(advances::incrementAndGet);
        pusher.fanOut(contact, RAW, soon());
        assertEquals(2, advances.get(), "the fan-out read twice");
        assertEquals(oneTo(1_001), posts.positions("b"));
        assertEquals(1, posts.refused.get(), "a gone connection is posted to once");
        assertTrue(store.principal("a").isEmpty(), "the gone connection is forgotten");
        assertEquals(List.of("b"), store.live(contact, OutputType.Raw).stream().map(Subscription::connectionId).toList());
    }

    @Test
    void aConnectionGoneBeforeItsSubscriptionWentLiveIsNotTriedAgain() {
        start();
        append(1);
        MemoryPushStore store = new MemoryPushStore(contacts);
        AtomicInteger attempts = new AtomicInteger();
        store.beforeGoLive(subscription -> {
            attempts.incrementAndGet();
            store.disconnect(subscription.connectionId());
        });
        join(pusher(store), "a");
        assertEquals(1, attempts.get());
        assertTrue(store.live(contact, OutputType.Raw).isEmpty());
    }

    @Test
    void aSubscriberGoneAtItsSubscribedFrameIsForgotten() {
        start();
        MemoryPushStore store = new MemoryPushStore(contacts);
        posts.gone.add("a");
        join(pusher(store), "a");
        assertTrue(store.principal("a").isEmpty());
        assertTrue(store.live(contact, OutputType.Raw).isEmpty());
    }

    @Test
    void aStreamNobodyListensToIsNotRead() {
        start();
        append(2);
        MemoryPushStore store = new MemoryPushStore(contacts);
        store.beforeClaim(() -> {
            throw new AssertionError("claimed a stream nobody listens to");
        });
        pusher(store).fanOut(contact, RAW, soon());
        assertTrue(posts.all.isEmpty());
    }

    @Test
    void aVoiceContactIsNotPushed() {
        ContactKey voice = Envelopes.newContact();
        contacts.append(voice, Channel.VOICE, OutputType.Raw, "v", List.of(Samples.v1Transcript(0)));
        MemoryPushStore store = new MemoryPushStore(contacts);
        Pusher pusher = pusher(store);
        pusher.connected("a", PRINCIPAL);
        pusher.subscribe("a", subscribe(voice, "[\"Transcript\"]", null), soon());
        JsonNode error = posts.frames("a").getFirst();
        assertEquals("InvalidRequestException", error.path("ErrorType").asText());
        assertEquals(voice.contactId(), error.path("ContactId").asText());
        assertEquals("Raw", error.path("OutputType").asText());
    }

    @Test
    void refusalsAreErrorFramesThatNameWhatTheyCan() {
        start();
        MemoryPushStore store = new MemoryPushStore(contacts);
        Pusher pusher = pusher(store);
        pusher.subscribe("nobody", subscribe("[\"Transcript\"]", null), soon());
        assertEquals("The connection is not open.", posts.frames("nobody").getFirst().path("Message").asText());

        pusher.connected("a", PRINCIPAL);
        pusher.subscribe("a", "not json".getBytes(StandardCharsets.UTF_8), soon());
        pusher.subscribe("a", "[1]".getBytes(StandardCharsets.UTF_8), soon());
        pusher.unknownAction("a");
        pusher.binaryMessage("a");
        List<JsonNode> frames = posts.frames("a");
        assertTrue(frames.get(0).path("Message").asText().startsWith("The message is not valid JSON"), frames.get(0).toString());
        assertEquals("The message must be a JSON object.", frames.get(1).path("Message").asText());
        assertTrue(frames.get(2).path("Message").asText().startsWith("Unknown action"));
        assertEquals("Binary frames are not supported: send the message as a text frame of JSON.", frames.get(3).path("Message").asText());
        for (JsonNode frame : frames) {
            assertEquals("Error", frame.path("Type").asText());
            assertEquals("InvalidRequestException", frame.path("ErrorType").asText());
            assertFalse(frame.has("ContactId"), frame.toString());
        }

        pusher.failed("a", subscribe("[\"Transcript\"]", null), "ThrottlingException", "Rate exceeded");
        JsonNode failed = posts.frames("a").getLast();
        assertEquals("ThrottlingException", failed.path("ErrorType").asText());
        assertEquals(contact.contactId(), failed.path("ContactId").asText());
        assertEquals(contact.instanceId(), failed.path("InstanceId").asText());
        assertEquals("Raw", failed.path("OutputType").asText());
        pusher.failed("a", "{\"InstanceId\":1}".getBytes(StandardCharsets.UTF_8), "InternalServiceException", "x");
        assertFalse(posts.frames("a").getLast().has("ContactId"));
        pusher.failed("a", "{oops".getBytes(StandardCharsets.UTF_8), "InternalServiceException", "x");
        assertEquals("InternalServiceException", posts.frames("a").getLast().path("ErrorType").asText());
    }

    @Test
    void aSubscribeOutOfTimeThrowsForTheCallerToAnswer() {
        start();
        append(1);
        MemoryPushStore store = new MemoryPushStore(contacts);
        Pusher pusher = pusher(store);
        pusher.connected("a", PRINCIPAL);
        assertThrows(Pusher.OutOfTime.class,
                () -> pusher.subscribe("a", subscribe("[\"Transcript\"]", null), Instant.now().minusSeconds(1)));
        assertTrue(store.live(contact, OutputType.Raw).isEmpty());
    }

    @Test
    void aResumedSubscriptionStartsAfterItsToken() {
        start();
        append(4);
        String token = lister.list(new SegmentLister.Query(Operation.V2, contact, OutputType.Raw, Set.of(SegmentType.Transcript),
                2, null), Access.all()).nextToken();
        MemoryPushStore store = new MemoryPushStore(contacts);
        Pusher pusher = pusher(store);
        pusher.connected("a", PRINCIPAL);
        pusher.subscribe("a", subscribe("[\"Transcript\"]", token), soon());
        assertEquals(List.of(3L, 4L), posts.positions("a"));
    }

    @Test
    void disconnectForgetsTheSubscriptions() {
        start();
        MemoryPushStore store = new MemoryPushStore(contacts);
        Pusher pusher = pusher(store);
        join(pusher, "a");
        pusher.disconnected("a");
        assertTrue(store.live(contact, OutputType.Raw).isEmpty());
        append(1);
        pusher.fanOut(contact, EnumSet.of(OutputType.Raw), soon());
        assertTrue(posts.positions("a").isEmpty());
    }
}
