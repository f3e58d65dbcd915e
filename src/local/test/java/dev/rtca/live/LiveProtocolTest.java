package dev.rtca.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.fixtures.Envelopes;
import dev.rtca.ingest.Batches;
import dev.rtca.local.LocalRuntime;
import dev.rtca.local.TestRuntime;
import dev.rtca.segments.ContactKey;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The live API end to end on the local runtime: subscribe, catch up, receive new segments in order as the writers
 * store them, resume after a reconnect without a gap or a duplicate, end with the contact, and refuse what the list
 * operation would refuse, with an Error frame and never data.
 */
public class LiveProtocolTest {
    private static final TestRuntime RUNTIME = TestRuntime.shared();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<String> TRANSCRIPTS = List.of("Transcript");

    public static URI live(LocalRuntime runtime) {
        return URI.create(runtime.endpoint().toString().replace("http:", "ws:") + "/live");
    }

    /** Writes an envelope through the EventBridge writer (Invoke API), as an analysis job would. */
    public static void write(LocalRuntime runtime, ObjectNode envelope) throws Exception {
        runtime.invoke("EventBridgeIngestFunction", Envelopes.bytes(Batches.eventBridge(envelope)));
    }

    public static List<ObjectNode> transcripts(String tag, int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> Envelopes.v2Transcript(tag + "-" + i, false)).toList();
    }

    private static List<String> ids(List<JsonNode> segments) {
        return segments.stream().map(s -> s.path("Transcript").path("Id").asText()).toList();
    }

    @Test
    void subscribeCatchUpGoLiveAndEndWithTheContact() throws Exception {
        ContactKey contact = Envelopes.newContact();
        write(RUNTIME.runtime(), Envelopes.chat(contact, "STARTED", "Raw"));
        write(RUNTIME.runtime(), Envelopes.chatSegments(contact, "Raw", transcripts("a", 0, 3)));

        try (LiveClient client = LiveClient.connect(live(RUNTIME.runtime()), Map.of())) {
            client.subscribe(contact.instanceId(), contact.contactId(), "Raw", TRANSCRIPTS, null);
            JsonNode subscribed = client.next(WAIT);
            assertEquals("Subscribed", subscribed.path("Type").asText(), subscribed.toString());
            assertEquals("CHAT", subscribed.path("Channel").asText());
            assertEquals("IN_PROGRESS", subscribed.path("Status").asText());
            client.awaitSegments(3, WAIT);

            // Live: what the writers store from now on arrives, in order.
            for (int batch = 0; batch < 5; batch++) {
                write(RUNTIME.runtime(), Envelopes.chatSegments(contact, "Raw", transcripts("b", batch * 2, 2)));
            }
            client.awaitSegments(13, WAIT);
            assertEquals(ids(Envelopes.stored(transcripts("a", 0, 3))), ids(client.segments().subList(0, 3)));
            assertEquals(ids(Envelopes.stored(transcripts("b", 0, 10))), ids(client.segments().subList(3, 13)));

            write(RUNTIME.runtime(), Envelopes.chat(contact, "COMPLETED", "Raw"));
            JsonNode end = client.until("End", WAIT);
            assertEquals("COMPLETED", end.path("Status").asText());
            assertEquals(13, client.segments().size(), "nothing after the end");
        }
    }

    @Test
    void aReconnectWithTheLastTokenMissesNothingAndRepeatsNothing() throws Exception {
        ContactKey contact = Envelopes.newContact();
        write(RUNTIME.runtime(), Envelopes.chat(contact, "STARTED", "Raw"));
        write(RUNTIME.runtime(), Envelopes.chatSegments(contact, "Raw", transcripts("c", 0, 4)));
        String token;
        try (LiveClient first = LiveClient.connect(live(RUNTIME.runtime()), Map.of())) {
            first.subscribe(contact.instanceId(), contact.contactId(), "Raw", TRANSCRIPTS, null);
            first.awaitSegments(4, WAIT);
            token = first.nextToken();
        }
        // While nobody listens, more is written.
        write(RUNTIME.runtime(), Envelopes.chatSegments(contact, "Raw", transcripts("c", 4, 3)));
        try (LiveClient second = LiveClient.connect(live(RUNTIME.runtime()), Map.of())) {
            second.subscribe(contact.instanceId(), contact.contactId(), "Raw", TRANSCRIPTS, token);
            second.awaitSegments(3, WAIT);
            write(RUNTIME.runtime(), Envelopes.chatSegments(contact, "Raw", transcripts("c", 7, 2)));
            second.awaitSegments(5, WAIT);
            assertEquals(ids(Envelopes.stored(transcripts("c", 4, 5))), ids(second.segments()));
            // Anything sent again (a retried or handed-over fan-out) is at or below the position held: dropped.
            for (JsonNode more = second.poll(Duration.ofMillis(300)); more != null; more = second.poll(Duration.ofMillis(300))) {
                assertTrue(more.path("Segments").findValues("Position").stream().allMatch(p -> p.asLong() <= 9), more.toString());
            }
            assertEquals(5, second.segments().size(), "and nothing else");
        }
    }

    /**
     * The hand-over under load: a writer stores segments as fast as it can, so the fan-out runs behind the stream,
     * while subscribers join one after another, each catching up past the fan-out's cursor; each gets all, in order.
     */
    @Test
    void subscribersJoiningWhileTheContactIsWrittenEachGetEverythingInOrder() throws Exception {
        ContactKey contact = Envelopes.newContact();
        write(RUNTIME.runtime(), Envelopes.chat(contact, "STARTED", "Raw"));
        int segments = 100;
        List<LiveClient> clients = new java.util.ArrayList<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < segments; i++) {
                    write(RUNTIME.runtime(), Envelopes.chatSegments(contact, "Raw", transcripts("j", i, 1)));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            for (int i = 0; i < 10; i++) {
                LiveClient client = LiveClient.connect(live(RUNTIME.runtime()), Map.of());
                client.subscribe(contact.instanceId(), contact.contactId(), "Raw", TRANSCRIPTS, null);
                clients.add(client);
                Thread.sleep(20);
            }
            writer.join();
            write(RUNTIME.runtime(), Envelopes.chat(contact, "COMPLETED", "Raw"));
            List<String> all = ids(Envelopes.stored(transcripts("j", 0, segments)));
            for (LiveClient client : clients) {
                client.until("End", WAIT);
                assertEquals(all, ids(client.segments()), "every segment once, in order");
            }
        } finally {
            clients.forEach(LiveClient::close);
        }
    }

    @Test
    void aSubscriptionGetsOnlyItsSegmentTypes() throws Exception {
        ContactKey contact = Envelopes.newContact();
        write(RUNTIME.runtime(), Envelopes.chat(contact, "STARTED", "Raw"));
        try (LiveClient client = LiveClient.connect(live(RUNTIME.runtime()), Map.of())) {
            client.subscribe(contact.instanceId(), contact.contactId(), "Raw", List.of("Event"), null);
            client.until("Subscribed", WAIT);
            write(RUNTIME.runtime(), Envelopes.chatSegments(contact, "Raw", List.of(Envelopes.v2Transcript("t", false),
                    Envelopes.v2Event("e1"), Envelopes.v2Transcript("u", false), Envelopes.v2Event("e2"))));
            client.awaitSegments(2, WAIT);
            assertTrue(client.segments().stream().allMatch(s -> s.has("Event")), client.segments().toString());
        }
    }

    @Test
    void whatTheListOperationRefusesIsAnErrorFrameAndNoData() throws Exception {
        ContactKey contact = Envelopes.newContact();
        write(RUNTIME.runtime(), Envelopes.chat(contact, "STARTED", "Raw"));
        try (LiveClient client = LiveClient.connect(live(RUNTIME.runtime()), Map.of())) {
            client.subscribe(contact.instanceId(), contact.contactId(), "Redacted", TRANSCRIPTS, null);
            JsonNode error = client.next(WAIT);
            assertEquals("Error", error.path("Type").asText(), error.toString());
            assertEquals("OutputTypeNotFoundException", error.path("ErrorType").asText());

            client.subscribe(contact.instanceId(), "nobody-" + UUID.randomUUID(), "Raw", TRANSCRIPTS, null);
            assertEquals("ResourceNotFoundException", client.next(WAIT).path("ErrorType").asText());

            client.send("{\"action\":\"subscribe\",\"InstanceId\":\"" + contact.instanceId() + "\",\"ContactId\":\"" + contact.contactId()
                    + "\",\"OutputType\":\"Cooked\",\"SegmentTypes\":[\"Transcript\"]}");
            assertEquals("InvalidRequestException", client.next(WAIT).path("ErrorType").asText());

            client.send("{\"action\":\"dance\"}");
            assertEquals("InvalidRequestException", client.next(WAIT).path("ErrorType").asText());
            assertTrue(client.segments().isEmpty());
        }
    }

    /** A binary message (the protocol is JSON text) is answered with an Error frame, and the connection stays usable. */
    @Test
    void binaryMessagesAreRefusedWithAnErrorFrameAndTheConnectionStaysUsable() throws Exception {
        ContactKey contact = Envelopes.newContact();
        write(RUNTIME.runtime(), Envelopes.chat(contact, "STARTED", "Raw"));
        String subscribe = "{\"action\":\"subscribe\",\"InstanceId\":\"" + contact.instanceId() + "\",\"ContactId\":\""
                + contact.contactId() + "\",\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"]}";
        try (LiveClient client = LiveClient.connect(live(RUNTIME.runtime()), Map.of())) {
            for (byte[] binary : List.of(new byte[10], subscribe.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    new byte[1024 * 1024])) {
                client.sendBinary(binary);
                JsonNode error = client.next(WAIT);
                assertEquals("Error", error.path("Type").asText(), error.toString());
                assertEquals("InvalidRequestException", error.path("ErrorType").asText());
                assertEquals("Binary frames are not supported: send the message as a text frame of JSON.",
                        error.path("Message").asText());
            }
            client.send(subscribe);
            assertEquals("Subscribed", client.next(WAIT).path("Type").asText());
            assertEquals(null, client.closedWith(), "still open");
        }
    }
}
