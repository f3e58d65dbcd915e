package dev.rtca.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.fixtures.Access;
import dev.rtca.fixtures.Envelopes;
import dev.rtca.fixtures.Samples;
import dev.rtca.local.LocalDynamo;
import dev.rtca.push.Connections;
import dev.rtca.push.Cursor;
import dev.rtca.push.Lease;
import dev.rtca.push.PushStore;
import dev.rtca.push.Pusher;
import dev.rtca.push.Subscription;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.SegmentType;
import dev.rtca.segments.TokenCodec;
import dev.rtca.store.DynamoContactStore;
import dev.rtca.store.DynamoPushStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The pusher's races made to happen on DynamoDB Local with the real stores (a table no stream poller watches, so the
 * test decides when a fan-out runs), so that the conditions DynamoDB checks are the ones under test: a joiner whose
 * catch-up the stream or the fan-out overtook reads on before going live; a join while a fan-out is under way makes
 * its move of the cursor fail, and the fan-out serves the joiner only what it lacks; a stream's lease lets one
 * fan-out at a time post. Each subscriber gets the positions 1..n exactly once.
 */
class PusherRaceTest {
    private static final String TABLE = "rtca-pusher-race";
    private static final String PRINCIPAL = "arn:aws:iam::123456789012:user/race";
    private static final Set<OutputType> RAW = Set.of(OutputType.Raw);

    private final DynamoDbClient client = client();
    private final DynamoContactStore contacts = new DynamoContactStore(client, TABLE, Duration.ofHours(24), Clock.systemUTC());
    private final DynamoPushStore real = new DynamoPushStore(client, TABLE, Clock.systemUTC());
    private final TokenCodec tokens = new TokenCodec("pusher-race-test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8),
            Duration.ofHours(24), Clock.systemUTC());
    private final ContactKey contact = Envelopes.newContact();
    /** Connection ID and frame; the fan-out posts to its subscribers side by side, from several threads. */
    private final List<String[]> frames = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Connections connections = (id, frame) -> frames.add(new String[] {id, new String(frame, StandardCharsets.UTF_8)});
    private int written;

    private static synchronized DynamoDbClient client() {
        LocalDynamo.shared().table(TABLE);
        return LocalDynamo.shared().client();
    }

    private Pusher pusher(PushStore store) {
        return new Pusher(new SegmentLister(contacts, tokens), tokens, Access.allowAll(), store, connections);
    }

    private static Instant soon() {
        return Instant.now().plusSeconds(30);
    }

    private void append(int n) {
        List<dev.rtca.segments.Segment> segments = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            segments.add(Samples.v2Transcript(written++, "CUSTOMER"));
        }
        contacts.append(contact, Channel.CHAT, OutputType.Raw, "event-" + written, segments);
    }

    private void join(Pusher pusher, String connectionId) {
        pusher.connected(connectionId, PRINCIPAL);
        pusher.subscribe(connectionId, ("{\"action\":\"subscribe\",\"InstanceId\":\"" + contact.instanceId() + "\",\"ContactId\":\""
                + contact.contactId() + "\",\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"]}").getBytes(StandardCharsets.UTF_8), soon());
    }

    /** Every Position posted to the connection, repeats included. */
    private List<Long> positions(String connectionId) {
        List<Long> positions = new ArrayList<>();
        for (String[] frame : frames) {
            if (frame[0].equals(connectionId)) {
                Envelopes.parse(frame[1]).path("Segments").forEach(entry -> positions.add(entry.path("Position").asLong()));
            }
        }
        return positions;
    }

    private List<String> types(String connectionId) {
        return frames.stream().filter(f -> f[0].equals(connectionId)).map(f -> Envelopes.parse(f[1]).path("Type").asText()).toList();
    }

    private static List<Long> oneTo(long n) {
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    /** The stream is written between a joiner's catch-up and its going live, and fanned out to the one already live. */
    @Test
    void aJoinerTheFanOutOvertookReadsOnBeforeGoingLive() {
        contacts.open(contact, Channel.CHAT, RAW);
        Pusher pusher = pusher(real);
        join(pusher, "c-early");
        append(2);
        HookedPushStore racing = new HookedPushStore(real);
        AtomicInteger attempts = new AtomicInteger();
        racing.beforeGoLive(subscription -> {
            if (attempts.getAndIncrement() == 0) {
                append(2);
                pusher.fanOut(contact, RAW, soon());
            }
        });
        join(pusher(racing), "c-late");
        assertEquals(2, attempts.get(), "DynamoDB refused the first try: the stream's counter had moved");
        append(1);
        pusher.fanOut(contact, RAW, soon());

        assertEquals(oneTo(5), positions("c-early"));
        assertEquals(oneTo(5), positions("c-late"));
    }

    /** A segment whose fan-out ran (and found nobody) between its subscriber's catch-up and its going live. */
    @Test
    void aSegmentFannedOutJustBeforeItsSubscriberWentLiveIsStillPushed() {
        contacts.open(contact, Channel.CHAT, RAW);
        append(1);
        HookedPushStore racing = new HookedPushStore(real);
        Pusher fanOut = pusher(real);
        AtomicInteger attempts = new AtomicInteger();
        racing.beforeGoLive(subscription -> {
            if (attempts.getAndIncrement() == 0) {
                append(1);
                fanOut.fanOut(contact, RAW, soon());
            }
        });
        join(pusher(racing), "c-race");
        assertEquals(oneTo(2), positions("c-race"), "both segments, without another write");
    }

    /** The contact completes between a joiner's catch-up and its going live: it reads on and ends itself. */
    @Test
    void aJoinerWhoseContactCompletesMeanwhileGetsItsEnd() {
        contacts.open(contact, Channel.CHAT, RAW);
        append(1);
        HookedPushStore racing = new HookedPushStore(real);
        racing.beforeGoLive(subscription -> contacts.close(contact, Channel.CHAT, ContactStatus.COMPLETED));
        join(pusher(racing), "c-end");
        assertEquals(List.of("Subscribed", "Segments", "End"), types("c-end"));
        assertTrue(real.live(contact, OutputType.Raw).isEmpty());
    }

    /**
     * A subscriber goes live while a fan-out has read the subscriptions but not moved the cursor: DynamoDB refuses the
     * move (the version changed), and the fan-out sends the newcomer what it lacks and the others nothing again.
     */
    @Test
    void aJoinDuringAFanOutCostsNoRepeats() {
        contacts.open(contact, Channel.CHAT, RAW);
        Pusher pusher = pusher(real);
        join(pusher, "c-a");
        join(pusher, "c-b");
        append(2);
        HookedPushStore racing = new HookedPushStore(real);
        AtomicInteger advances = new AtomicInteger();
        racing.beforeAdvance(() -> {
            if (advances.getAndIncrement() == 0) {
                join(pusher, "c-new");
                append(1); // only this fan-out, reading the subscriptions again, sends it to the newcomer
            }
        });
        pusher(racing).fanOut(contact, RAW, soon());
        assertTrue(advances.get() >= 2, "the first move was refused");
        contacts.close(contact, Channel.CHAT, ContactStatus.COMPLETED);
        pusher.fanOut(contact, RAW, soon());

        for (String subscriber : List.of("c-a", "c-b", "c-new")) {
            assertEquals(oneTo(3), positions(subscriber), subscriber);
            assertEquals("End", types(subscriber).getLast(), subscriber);
        }
    }

    /** Two fan-outs of one stream at once: DynamoDB gives the lease to one; the other waits, and posts nothing again. */
    @Test
    void oneFanOutAtATimeHoldsTheStream() throws Exception {
        contacts.open(contact, Channel.CHAT, RAW);
        Pusher pusher = pusher(real);
        join(pusher, "c-one");
        append(3);
        Lease held = new Lease("elsewhere", Instant.now().plusSeconds(5));
        assertTrue(real.claim(contact, OutputType.Raw, held, Instant.now()).isPresent());
        assertTrue(real.claim(contact, OutputType.Raw, new Lease("second", Instant.now().plusSeconds(5)), Instant.now()).isEmpty(),
                "a held lease is not given twice");
        Thread waiting = Thread.ofPlatform().start(() -> pusher.fanOut(contact, RAW, soon()));
        Thread.sleep(300);
        assertTrue(positions("c-one").isEmpty(), "nothing posted while another holds the lease");
        Cursor cursor = real.cursor(contact, OutputType.Raw);
        assertEquals(PushStore.Advance.MOVED, real.advance(contact, OutputType.Raw, cursor, 0, held, true));
        waiting.join(10_000);
        assertEquals(oneTo(3), positions("c-one"));
        assertEquals(PushStore.Advance.LOST, real.advance(contact, OutputType.Raw, real.cursor(contact, OutputType.Raw), 3, held, true),
                "a lease given back is not the giver's any more");
    }

    /** A lease whose holder stopped renewing it is taken over once it has run out. */
    @Test
    void aLeaseThatRanOutIsTakenOver() {
        contacts.open(contact, Channel.CHAT, RAW);
        Instant now = Instant.now();
        assertTrue(real.claim(contact, OutputType.Raw, new Lease("dead", now.plusSeconds(5)), now).isPresent());
        assertTrue(real.claim(contact, OutputType.Raw, new Lease("next", now.plusSeconds(10)), now.plusSeconds(5)).isEmpty(),
                "not before it ran out");
        assertTrue(real.claim(contact, OutputType.Raw, new Lease("next", now.plusSeconds(11)), now.plusMillis(5_001)).isPresent());
        Cursor cursor = real.cursor(contact, OutputType.Raw);
        assertEquals(PushStore.Advance.LOST, real.advance(contact, OutputType.Raw, cursor, 1, new Lease("dead", now.plusSeconds(9)), false));
        assertEquals(PushStore.Advance.MOVED, real.advance(contact, OutputType.Raw, cursor, 1, new Lease("next", now.plusSeconds(12)), false));
        assertEquals(1, real.cursor(contact, OutputType.Raw).position());
    }

    /** The subscription item keeps where its subscriber went live; the fan-out reads it back. */
    @Test
    void aLiveSubscriptionKeepsItsTypesPrincipalAndFrom() {
        contacts.open(contact, Channel.CHAT, RAW);
        append(3);
        join(pusher(real), "c-kept");
        assertEquals(List.of(new Subscription("c-kept", contact, OutputType.Raw, Set.of(SegmentType.Transcript), PRINCIPAL, 3)),
                real.live(contact, OutputType.Raw));
        real.disconnect("c-kept");
        assertEquals(PushStore.Join.GONE, real.goLive(new Subscription("c-kept", contact, OutputType.Raw,
                Set.of(SegmentType.Transcript), PRINCIPAL, 3)), "a connection that is gone does not go live");
        real.connect("c-other", PRINCIPAL);
        assertEquals(PushStore.Join.BEHIND, real.goLive(new Subscription("c-other", contact, OutputType.Raw,
                Set.of(SegmentType.Transcript), PRINCIPAL, 2)));
        JsonNode subscribed = Envelopes.parse(frames.getFirst()[1]);
        assertEquals("Subscribed", subscribed.path("Type").asText());
    }
}
