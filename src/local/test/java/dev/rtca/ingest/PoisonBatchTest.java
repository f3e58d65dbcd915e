package dev.rtca.ingest;

import dev.rtca.fixtures.Envelopes;
import dev.rtca.local.Handlers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.OutputType;
import dev.rtca.writers.EventBridgeIngestHandler;
import dev.rtca.store.DynamoContactStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Batches mixing valid records with every kind of invalid one, each invalid record on a contact of its own
 * (so the per-contact ordering rule hides nothing): the valid ones are stored, exactly the invalid ones are
 * reported, and each failure is logged once with its reason, record and an excerpt.
 */
class PoisonBatchTest {
    private final DynamoContactStore store = TestStores.store();

    /** A mixed batch: the data of each record, and which records must be reported. */
    private static final class Mixed {
        final List<Batches.Data> data = new ArrayList<>();
        final List<Integer> invalid = new ArrayList<>();
        final List<ContactKey> poisonContacts = new ArrayList<>();
        final ContactKey valid = Envelopes.newContact();
        final ContactKey otherChannel = Envelopes.newContact();
        final List<ObjectNode> validSegments = Envelopes.allV2("ok", false);

        Mixed() {
            good(Envelopes.chat(valid, "STARTED", "Raw"));
            good(Envelopes.voice(otherChannel, "STARTED"));
            bad(Batches.Data.raw("{\"Version\":\"2.0.0\",\"Channel\":", UUID.randomUUID().toString()));  // invalid JSON
            bad(Batches.Data.raw("", UUID.randomUUID().toString()));                                    // empty record
            bad(Batches.Data.raw("[{\"Version\":\"2.0.0\"}]", UUID.randomUUID().toString()));           // not an object
            bad(change(Envelopes.chat(contact(), "STARTED", "Raw"), e -> e.put("Version", "3.0.0")));   // unknown version
            good(Envelopes.chatSegments(valid, "Raw", validSegments.subList(0, 4)));
            bad(change(Envelopes.chat(contact(), "STARTED", "Raw"), e -> e.remove("StreamingEventType")));
            bad(change(Envelopes.chat(contact(), "STARTED", "Raw"), e -> e.put("StreamingEventType", "PAUSED")));
            bad(change(Envelopes.chat(contact(), "STARTED", "Raw"), e -> e.put("Channel", "TASK")));
            // bad IDs: what a regression would store is under the envelope's own key, so that key is the one checked
            bad(Envelopes.chat(contact(new ContactKey(Envelopes.INSTANCE, " ")), "STARTED", "Raw"));
            bad(Envelopes.chat(contact(new ContactKey("i".repeat(300), "c-" + UUID.randomUUID())), "STARTED", "Raw"));
            bad(change(Envelopes.chat(contact(), "STARTED", "Raw"), e -> e.put("EventId", "e".repeat(257))));
            ObjectNode breaksModel = Envelopes.chatSegments(contact(), "Raw", Envelopes.allV2("m", false));
            ((ObjectNode) breaksModel.get("Segments").get(3).get("Event")).remove("Time");
            bad(breaksModel);
            ObjectNode oversized = Envelopes.chatSegments(contact(), "Raw", List.of(Envelopes.v2Transcript("big", false)));
            ((ObjectNode) oversized.get("Segments").get(0).get("Transcript")).put("Content", "x".repeat(16_385));
            bad(oversized);
            bad(Envelopes.chatSegments(otherChannel, "Raw", List.of(Envelopes.v2Transcript("x", false)))); // VOICE contact
            good(Envelopes.chatSegments(valid, "Raw", validSegments.subList(4, 7)));
            good(Envelopes.chat(valid, "COMPLETED", "Raw"));
        }

        private ContactKey contact() {
            return contact(Envelopes.newContact());
        }

        /** A contact a poison event names: nothing may ever be stored for it. */
        private ContactKey contact(ContactKey key) {
            poisonContacts.add(key);
            return key;
        }

        private static ObjectNode change(ObjectNode envelope, java.util.function.Consumer<ObjectNode> change) {
            change.accept(envelope);
            return envelope;
        }

        private void good(ObjectNode envelope) {
            data.add(Batches.Data.of(envelope));
        }

        private void bad(ObjectNode envelope) {
            bad(Batches.Data.of(envelope));
        }

        private void bad(Batches.Data d) {
            invalid.add(data.size());
            data.add(d);
        }

        List<String> invalidIds(JsonNode batch) {
            List<String> ids = Batches.ids(batch);
            return invalid.stream().map(ids::get).toList();
        }

        void assertValidStored(DynamoContactStore store) {
            assertEquals(List.copyOf(validSegments), Readback.stream(store, valid, OutputType.Raw));
            assertEquals(ContactStatus.COMPLETED, store.find(valid).orElseThrow().status());
            assertEquals(List.of(), Readback.stream(store, otherChannel, OutputType.Raw));
            for (ContactKey poisoned : poisonContacts) {
                assertTrue(store.find(poisoned).isEmpty(), "nothing stored for " + poisoned);
            }
        }
    }

    @Test
    void kinesisReportsExactlyTheInvalidRecords() {
        Mixed mixed = new Mixed();
        JsonNode batch = Batches.kinesisData(mixed.data);
        assertEquals(mixed.invalidIds(batch), Deliveries.kinesis(store, batch));
        mixed.assertValidStored(store);
        // Poison stays poison: a retry reports the same records and stores nothing more.
        assertEquals(mixed.invalidIds(batch), Deliveries.kinesis(store, batch));
        mixed.assertValidStored(store);
    }

    @Test
    void sqsReportsExactlyTheInvalidMessages() {
        Mixed mixed = new Mixed();
        JsonNode batch = Batches.sqsData(mixed.data);
        assertEquals(mixed.invalidIds(batch), Deliveries.sqs(store, batch));
        mixed.assertValidStored(store);
    }

    @Test
    void afterAFailureTheContactsLaterRecordsWaitAndOtherContactsGoOn() {
        for (boolean kinesis : new boolean[] {true, false}) {
            afterAFailureTheContactsLaterRecordsWait(kinesis);
        }
    }

    private void afterAFailureTheContactsLaterRecordsWait(boolean kinesis) {
        ContactKey x = Envelopes.newContact();
        ContactKey y = Envelopes.newContact();
        ObjectNode poison = Envelopes.chatSegments(x, "Raw", List.of(Envelopes.v2Transcript("1", false)));
        ((ObjectNode) poison.get("Segments").get(0).get("Transcript")).put("Sentiment", "HAPPY");
        List<ObjectNode> envelopes = List.of(
                Envelopes.chat(x, "STARTED", "Raw"),
                Envelopes.voice(y, "STARTED"),
                poison,
                Envelopes.voiceSegments(y, List.of(Envelopes.v1Transcript("y1", false))),
                Envelopes.chatSegments(x, "Raw", List.of(Envelopes.v2Transcript("2", false))),
                Envelopes.chat(x, "COMPLETED", "Raw"),
                Envelopes.voice(y, "COMPLETED"));
        JsonNode batch = kinesis ? Batches.kinesis(envelopes) : Batches.sqs(envelopes);
        List<String> ids = Batches.ids(batch);
        List<String> failed = kinesis ? Deliveries.kinesis(store, batch) : Deliveries.sqs(store, batch);
        assertEquals(List.of(ids.get(2), ids.get(4), ids.get(5)), failed, kinesis ? "kinesis" : "sqs");
        assertEquals(ContactStatus.IN_PROGRESS, store.find(x).orElseThrow().status(), "x did not overtake its failure");
        assertEquals(List.of(), Readback.stream(store, x, OutputType.Raw));
        assertEquals(ContactStatus.COMPLETED, store.find(y).orElseThrow().status());
        assertEquals(List.of(Envelopes.v1Transcript("y1", false)), Readback.stream(store, y, OutputType.Raw));
    }

    @Test
    void sqsOrdersByMessageGroupEvenAcrossContacts() {
        // A job that puts two contacts in one message group: the group, not the contact, is the unit of order.
        ContactKey a = Envelopes.newContact();
        ContactKey b = Envelopes.newContact();
        ObjectNode poison = Envelopes.chat(a, "STARTED", "Raw");
        poison.put("Version", "2.1.0");
        String group = "job-" + UUID.randomUUID();
        List<Batches.Data> data = List.of(new Batches.Data(Envelopes.bytes(poison), group),
                new Batches.Data(Envelopes.bytes(Envelopes.chat(b, "STARTED", "Raw")), group),
                Batches.Data.of(Envelopes.chat(Envelopes.newContact(), "STARTED", "Raw")));
        JsonNode batch = Batches.sqsData(data);
        assertEquals(Batches.ids(batch).subList(0, 2), Deliveries.sqs(store, batch));
        assertTrue(store.find(b).isEmpty());
    }

    @Test
    void eachFailureIsLoggedOnceWithReasonRecordAndExcerpt() {
        ContactKey x = Envelopes.newContact();
        ObjectNode poison = Envelopes.chatSegments(x, "Raw", List.of(Envelopes.v2Transcript("1", false)));
        ((ObjectNode) poison.get("Segments").get(0).get("Transcript")).put("Content", "y".repeat(20_000));
        JsonNode batch = Batches.kinesis(List.of(poison, Envelopes.chat(x, "COMPLETED", "Raw")));
        List<String> ids = Batches.ids(batch);
        String[] out = new String[1];
        List<String> failed = IngestorTest.captureStdout(out, () -> Deliveries.kinesis(store, batch));
        assertEquals(ids, failed);

        List<JsonNode> lines = out[0].lines().filter(l -> l.startsWith("{")).map(Envelopes::parse).toList();
        List<JsonNode> first = lines.stream().filter(l -> ids.get(0).equals(l.path("sequenceNumber").asText())).toList();
        assertEquals(1, first.size(), out[0]);
        JsonNode line = first.get(0);
        assertEquals("ERROR", line.path("level").asText());
        assertEquals("poison", line.path("failure").asText());
        assertEquals("kinesis", line.path("source").asText());
        assertEquals(x.contactId(), line.path("contactId").asText());
        assertEquals("Segments[0].Transcript.Content length must be 1..16384, was 20000", line.path("reason").asText());
        assertEquals("Segments[0].Transcript.Content", line.path("member").asText());
        assertEquals(DeliveryKeys.of("kinesis", Envelopes.bytes(poison)), line.path("eventKey").asText());
        assertEquals(Envelopes.bytes(poison).length, line.path("size").asInt());
        String excerpt = line.path("excerpt").asText();
        assertTrue(excerpt.startsWith("{\"Version\":\"*** (5 chars)\",\"Channel\":\"*** (4 chars)\""), excerpt);
        assertTrue(excerpt.length() < 400, "the excerpt is bounded: " + excerpt.length());

        List<JsonNode> second = lines.stream().filter(l -> ids.get(1).equals(l.path("sequenceNumber").asText())).toList();
        assertEquals(1, second.size(), out[0]);
        assertEquals(ids.get(0), second.get(0).path("blockedBy").asText());
        assertEquals(x.contactId(), second.get(0).path("contactId").asText());
    }

    /** Everything the process writes, standard output and error, while {@code action} runs. */
    private static String logsOf(Runnable action) {
        java.io.PrintStream out = System.out;
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        java.io.PrintStream both = new java.io.PrintStream(buffer, true, java.nio.charset.StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
        try {
            action.run();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String logs = buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
        out.print(logs);
        return logs;
    }

    /**
     * A custom job's events whose Segments come first (member order is free), each carrying a customer's name and a card
     * number where a rejection or an excerpt could pick them up: rejected, held back, or failing the function, through
     * the Invoke API of each writer. Not one log line, nor the function error, holds a word of them.
     */
    @Test
    void noWordOfAPoisonRecordReachesTheLogs() {
        String name = "Zebulon Quartermaine";
        String card = "4111 1111 1111 1111";
        String phrase = "my card is " + card;
        ContactKey key = Envelopes.newContact();
        java.util.function.Function<java.util.function.Consumer<ObjectNode>, ObjectNode> segmentsFirst = change -> {
            ObjectNode transcript = Envelopes.v2Transcript("pii", false);
            ((ObjectNode) transcript.get("Transcript")).put("DisplayName", name).put("Content", "Hello, " + phrase);
            change.accept((ObjectNode) transcript.get("Transcript"));
            ObjectNode event = Envelopes.JSON.createObjectNode();
            event.putArray("Segments").add(transcript);
            event.setAll((ObjectNode) Envelopes.chatSegments(key, "Raw", List.of()).without("Segments"));
            return event;
        };
        ObjectNode badSentiment = segmentsFirst.apply(t -> t.put("Sentiment", phrase));
        ObjectNode hugeContent = segmentsFirst.apply(t -> t.put("Content", (phrase + " ").repeat(29_000)));
        ObjectNode heldBack = segmentsFirst.apply(t -> { });
        String notJson = "{\"Segments\":[{\"Transcript\":{\"DisplayName\":\"" + name + "\",\"Content\":\"" + phrase + "\"}}],";
        ObjectNode badChannel = segmentsFirst.apply(t -> { });
        badChannel.put("Channel", phrase);
        // The card number as a JSON number where a string belongs: masked as well.
        ObjectNode numericContent = segmentsFirst.apply(t -> t.put("Content", 4111111111111111L));

        String logs = logsOf(() -> {
            JsonNode kinesis = Batches.kinesisData(List.of(Batches.Data.of(hugeContent), Batches.Data.of(badSentiment),
                    Batches.Data.of(heldBack), Batches.Data.raw(notJson, "p"), Batches.Data.of(numericContent)));
            assertEquals(Batches.ids(kinesis), Readback.invokeBatch("KinesisIngestFunction", kinesis));
            JsonNode sqs = Batches.sqsData(List.of(Batches.Data.of(badSentiment), Batches.Data.raw(notJson, "p")));
            assertEquals(Batches.ids(sqs), Readback.invokeBatch("SqsIngestFunction", sqs));
            Readback.Invocation bus = Readback.invoke("EventBridgeIngestFunction", Batches.eventBridge(badChannel));
            assertEquals("Unhandled", bus.functionError());
            assertTrue(!bus.payload().toString().contains(card), bus.payload().toString());
        });

        for (String word : List.of(card, "4111", name, "Zebulon", "my card")) {
            assertTrue(logs.lines().noneMatch(l -> l.contains(word)), "'" + word + "' in the logs:\n" + logs);
        }
        // The failures are still there, each naming its record, contact, reason and size.
        List<JsonNode> poison = logs.lines().filter(l -> l.startsWith("{") && l.contains("\"poison\""))
                .map(Envelopes::parse).filter(l -> key.contactId().equals(l.path("contactId").asText())).toList();
        assertTrue(poison.size() >= 3, logs);
        for (JsonNode line : poison) {
            assertTrue(line.path("reason").asText().startsWith("Segments[0].Transcript.") || line.path("reason").asText().startsWith("Channel"),
                    line.toString());
            assertTrue(line.path("size").asInt() > 0 && line.hasNonNull("eventKey") && line.hasNonNull("excerpt"), line.toString());
        }
        assertTrue(dev.rtca.local.TestRuntime.shared().store().find(key).isEmpty());
    }

    @Test
    void eventBridgeThrowsOnPoisonAndOnTransientFailures() {
        ContactKey key = Envelopes.newContact();
        ObjectNode poison = Envelopes.chatSegments(key, "Raw", List.of(Envelopes.v2Transcript("1", false)));
        poison.put("OutputType", "Both");
        EventBridgeIngestHandler handler = new EventBridgeIngestHandler(store);
        PoisonEventException e = assertThrows(PoisonEventException.class,
                () -> Handlers.invoke(handler, Envelopes.bytes(Batches.eventBridge(poison))));
        assertTrue(e.reason().contains("OutputType"), e.reason());
        assertTrue(store.find(key).isEmpty());

        ObjectNode noDetail = Batches.eventBridge(poison);
        noDetail.remove("detail");
        assertThrows(PoisonEventException.class, () -> Handlers.invoke(handler, Envelopes.bytes(noDetail)));

        // Throttled on its write: thrown (Lambda retries the async event); the retry stores it once.
        JsonNode event = Batches.eventBridge(Envelopes.chatSegments(key, "Raw", Envelopes.allV2("eb", false)));
        FaultyDynamo throttled = FaultyDynamo.failingOperation("transactWriteItems", 1, FaultyDynamo.When.AFTER);
        EventBridgeIngestHandler flaky = new EventBridgeIngestHandler(TestStores.store(throttled.client()));
        RuntimeException transientFailure = assertThrows(RuntimeException.class,
                () -> Handlers.invoke(flaky, Envelopes.bytes(event)));
        assertTrue(!(transientFailure instanceof PoisonEventException), transientFailure.toString());
        JsonNode summary = Envelopes.parse(Handlers.invoke(handler, Envelopes.bytes(event)));
        assertEquals(0, summary.path("appended").asInt(-1), "the lost-response write was already there");
        assertEquals(7, summary.path("duplicates").asInt(-1));
        assertEquals(List.copyOf(Envelopes.allV2("eb", false)), Readback.stream(store, key, OutputType.Raw));
    }

    @Test
    void throttlingIsTransientReportedAndLogged() {
        ContactKey key = Envelopes.newContact();
        JsonNode batch = Batches.sqs(List.of(Envelopes.chat(key, "STARTED", "Raw")));
        FaultyDynamo faults = FaultyDynamo.throttling("putItem", 1);
        String[] out = new String[1];
        List<String> failed = IngestorTest.captureStdout(out, () -> Deliveries.sqs(TestStores.store(faults.client()), batch));
        assertEquals(Batches.ids(batch), failed);
        JsonNode line = out[0].lines().filter(l -> l.contains(Batches.ids(batch).get(0))).map(Envelopes::parse)
                .findFirst().orElseThrow(() -> new AssertionError(out[0]));
        assertEquals("transient", line.path("failure").asText());
        // The store reports DynamoDB throttling as its own throttled failure: transient, retried by the source.
        assertEquals("DynamoDB throttled the request", line.path("reason").asText());
        assertTrue(line.path("throttled").asBoolean(), line.toString());
        assertEquals(key.contactId(), line.path("contactId").asText());
        assertEquals(List.of(), Deliveries.sqs(store, batch));
        assertEquals(ContactStatus.IN_PROGRESS, store.find(key).orElseThrow().status());
    }
}
