package dev.rtca.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.fixtures.Access;
import dev.rtca.fixtures.Envelopes;
import dev.rtca.fixtures.Samples;
import dev.rtca.local.LocalDynamo;
import dev.rtca.push.Connections;
import dev.rtca.push.Cursor;
import dev.rtca.push.PushStore;
import dev.rtca.push.Pusher;
import dev.rtca.push.Subscription;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.TokenCodec;
import dev.rtca.store.DynamoContactStore;
import dev.rtca.store.DynamoPushStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The pusher's races, made to happen on DynamoDB Local with the real stores (a table no stream poller watches, so the
 * test decides when a fan-out runs): a segment whose fan-out ran while its subscriber was between catching up and
 * going live still reaches it, without waiting for the next write; a subscriber joining ahead of the fan-out does not
 * make the others skip what it already has.
 */
class PusherRaceTest {
    private static final String TABLE = "rtca-pusher-race";
    private static final String PRINCIPAL = "arn:aws:iam::123456789012:user/race";

    private final DynamoDbClient client = client();
    private final DynamoContactStore contacts = new DynamoContactStore(client, TABLE, Duration.ofHours(24), Clock.systemUTC());
    private final TokenCodec tokens = new TokenCodec("pusher-race-test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8),
            Duration.ofHours(24), Clock.systemUTC());
    /** Connection ID and frame; the fan-out posts to its subscribers side by side, from several threads. */
    private final List<String[]> frames = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Connections connections = (id, frame) -> frames.add(new String[] {id, new String(frame, StandardCharsets.UTF_8)});

    private static synchronized DynamoDbClient client() {
        LocalDynamo.shared().table(TABLE);
        return LocalDynamo.shared().client();
    }

    private Pusher pusher(PushStore store) {
        return new Pusher(new SegmentLister(contacts, tokens), tokens, Access.allowAll(), store, connections);
    }

    /** What a client holding positions would show: each segment once, repeats (at or below the held Position) dropped. */
    private List<String> pushedIds(String connectionId) {
        List<String> ids = new ArrayList<>();
        long held = 0;
        for (String[] frame : frames) {
            if (!frame[0].equals(connectionId)) {
                continue;
            }
            for (JsonNode entry : Envelopes.parse(frame[1]).path("Segments")) {
                if (entry.path("Position").asLong() > held) {
                    held = entry.path("Position").asLong();
                    ids.add(entry.path("Segment").path("Transcript").path("Id").asText());
                }
            }
        }
        return ids;
    }

    private static byte[] subscribe(ContactKey contact) {
        return ("{\"action\":\"subscribe\",\"InstanceId\":\"" + contact.instanceId() + "\",\"ContactId\":\""
                + contact.contactId() + "\",\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"]}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A subscriber joins while the fan-out is behind the stream (a segment stored, its fan-out not run yet): it must
     * join where the cursor is, not where its own catch-up ended, or the subscriber already live would never get
     * the segment in between.
     */
    @Test
    void aSubscriberJoiningAheadOfTheFanOutDoesNotMoveTheCursorPastTheOthers() {
        ContactKey contact = Envelopes.newContact();
        contacts.open(contact, Channel.CHAT, Set.of(OutputType.Raw));
        contacts.append(contact, Channel.CHAT, OutputType.Raw, "first", List.of(Samples.v2Transcript(0, "AGENT")));
        Pusher pusher = pusher(new DynamoPushStore(client, TABLE, Clock.systemUTC()));
        pusher.connected("c-early", PRINCIPAL);
        pusher.subscribe("c-early", subscribe(contact));
        contacts.append(contact, Channel.CHAT, OutputType.Raw, "second", List.of(Samples.v2Transcript(1, "CUSTOMER")));
        pusher.connected("c-late", PRINCIPAL);
        pusher.subscribe("c-late", subscribe(contact)); // its catch-up reads the second segment; no fan-out has yet
        pusher.fanOut(contact, Set.of(OutputType.Raw)); // the second segment's own fan-out, late

        assertEquals(List.of(id(0), id(1)), pushedIds("c-early"), "the early subscriber misses nothing: " + frames.size() + " frames");
        assertEquals(List.of(id(0), id(1)), pushedIds("c-late"));
    }

    @Test
    void aSegmentFannedOutJustBeforeItsSubscriberWentLiveIsStillPushed() {
        ContactKey contact = Envelopes.newContact();
        contacts.open(contact, Channel.CHAT, Set.of(OutputType.Raw));
        contacts.append(contact, Channel.CHAT, OutputType.Raw, "first", List.of(Samples.v2Transcript(0, "AGENT")));
        DynamoPushStore real = new DynamoPushStore(client, TABLE, Clock.systemUTC());
        Pusher[] fanOut = new Pusher[1];
        // Between the subscriber's catch-up and its going live, a writer stores a segment and the stream's fan-out
        // runs for it: it finds nobody live yet.
        PushStore racing = new PushStore() {
            private boolean raced;

            @Override
            public boolean goLive(Subscription subscription, Cursor at, long position) {
                if (!raced) {
                    raced = true;
                    contacts.append(contact, Channel.CHAT, OutputType.Raw, "second", List.of(Samples.v2Transcript(1, "CUSTOMER")));
                    fanOut[0].fanOut(contact, Set.of(OutputType.Raw));
                }
                return real.goLive(subscription, at, position);
            }

            @Override
            public void connect(String connectionId, String principal) {
                real.connect(connectionId, principal);
            }

            @Override
            public Optional<String> principal(String connectionId) {
                return real.principal(connectionId);
            }

            @Override
            public void disconnect(String connectionId) {
                real.disconnect(connectionId);
            }

            @Override
            public Cursor cursor(ContactKey key, OutputType stream) {
                return real.cursor(key, stream);
            }

            @Override
            public List<Subscription> live(ContactKey key, OutputType stream) {
                return real.live(key, stream);
            }

            @Override
            public boolean anyLive(ContactKey key, OutputType stream) {
                return real.anyLive(key, stream);
            }

            @Override
            public boolean advance(ContactKey key, OutputType stream, Cursor from, long to) {
                return real.advance(key, stream, from, to);
            }

            @Override
            public void remove(Subscription subscription) {
                real.remove(subscription);
            }
        };
        Pusher pusher = pusher(racing);
        fanOut[0] = pusher(real);
        pusher.connected("c-race", PRINCIPAL);
        pusher.subscribe("c-race", subscribe(contact));

        assertEquals(List.of(id(0), id(1)), pushedIds("c-race"),
                "both segments, without another write: " + frames);
    }

    private static String id(int n) {
        return "t-" + n; // Samples.v2Transcript's IDs
    }
}
