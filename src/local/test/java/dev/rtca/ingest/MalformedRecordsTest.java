package dev.rtca.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.fixtures.Envelopes;
import dev.rtca.local.TestRuntime;
import dev.rtca.runtime.Events;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Records no event source would send, but a hostile or broken producer might, through the Invoke API.
 * <ul>
 *   <li>A record that names itself but cannot be applied (data that is not base64, no data, a body that is not text, a
 *       Kinesis eventID that is not its shard and sequence number, so no idempotency key) is reported by its identifier,
 *       as poison; the rest of the batch is applied.</li>
 *   <li>A record that cannot name itself (no {@code kinesis}, no {@code sequenceNumber}, no {@code messageId}, or one
 *       that is not a string) makes the batch no Kinesis or SQS event: a batch response could only name it with a null
 *       identifier, which Lambda takes as the whole batch failed, after the rest had been applied. The invocation fails
 *       instead, naming the record and the member, and nothing of the batch is applied.</li>
 *   <li>The same record twice in a batch is applied once; another record under an earlier one's identifier is poison.</li>
 * </ul>
 */
class MalformedRecordsTest {
    private static final TestRuntime RUNTIME = TestRuntime.shared();

    private static ObjectNode kinesis(ContactKey... contacts) {
        return Batches.kinesis(List.of(contacts).stream().map(c -> Envelopes.chat(c, "STARTED", "Raw")).toList());
    }

    private static ObjectNode record(JsonNode batch, int index) {
        return (ObjectNode) batch.get("Records").get(index);
    }

    @Test
    void kinesisRecordsThatNameThemselvesButCannotBeAppliedAreReported() {
        ContactKey valid = Envelopes.newContact();
        ContactKey noEventId = Envelopes.newContact();
        ContactKey otherEventId = Envelopes.newContact();
        ObjectNode event = kinesis(valid, Envelopes.newContact(), noEventId, Envelopes.newContact(), otherEventId,
                Envelopes.newContact());
        ((ObjectNode) record(event, 1).get("kinesis")).put("data", "%%% not base64 %%%");
        record(event, 2).remove("eventID");
        ((ObjectNode) record(event, 3).get("kinesis")).remove("data");
        record(event, 4).put("eventID", "shardId-000000000000:1");
        // Data that is not UTF-8 (an overlong '/'): poison, and its log line's excerpt says it is unreadable.
        ((ObjectNode) record(event, 5).get("kinesis")).put("data", java.util.Base64.getEncoder().encodeToString(
                new byte[] {'{', '"', 'V', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'}));
        List<String> ids = Batches.ids(event);

        assertEquals(List.of(ids.get(1), ids.get(2), ids.get(3), ids.get(4), ids.get(5)),
                Readback.invokeBatch("KinesisIngestFunction", event));
        assertStored(valid);
        assertNotStored(noEventId);
        assertNotStored(otherEventId);
    }

    @Test
    void aKinesisRecordThatCannotNameItselfFailsTheInvocationAndNothingIsApplied() {
        assertUnreadable("Records[1].kinesis is required: the event is not a Kinesis event",
                r -> record(r, 1).remove("kinesis"));
        assertUnreadable("Records[1].kinesis.sequenceNumber is required: a batch response names a failed record by it",
                r -> ((ObjectNode) record(r, 1).get("kinesis")).remove("sequenceNumber"));
        assertUnreadable("Records[1].kinesis.sequenceNumber is required: a batch response names a failed record by it",
                r -> ((ObjectNode) record(r, 1).get("kinesis")).put("sequenceNumber", ""));
        assertUnreadable("member Records[1].kinesis.sequenceNumber has a value of the wrong type",
                r -> ((ObjectNode) record(r, 1).get("kinesis")).put("sequenceNumber", 49590338));
        assertUnreadable("Records[1] is required: the event is not a Kinesis event", r -> ((com.fasterxml.jackson.databind.node.ArrayNode)
                r.get("Records")).set(1, Envelopes.JSON.nullNode()));
        assertUnreadable("Records is required: the event is not a Kinesis event", r -> r.remove("Records"));
    }

    /** The change makes the batch's second record nameless: the invocation fails with {@code message}, nothing stored. */
    private static void assertUnreadable(String message, Consumer<ObjectNode> change) {
        ContactKey first = Envelopes.newContact();
        ObjectNode event = kinesis(first, Envelopes.newContact());
        change.accept(event);
        assertFunctionError("KinesisIngestFunction", event, message);
        assertNotStored(first);
    }

    private static void assertFunctionError(String function, JsonNode event, String message) {
        Readback.Invocation result = Readback.invoke(function, event);
        assertEquals(200, result.status());
        assertEquals("Unhandled", result.functionError(), result.payload().toString());
        assertEquals(Events.UnreadableEventException.class.getName(), result.payload().path("errorType").asText());
        assertEquals(message, result.payload().path("errorMessage").asText());
    }

    @Test
    void sqsMessagesWithABodyThatIsNotTextAreReportedAndOnesWithoutAnIdFailTheInvocation() {
        ContactKey valid = Envelopes.newContact();
        ObjectNode event = Batches.sqs(List.of(Envelopes.chat(valid, "STARTED", "Raw"), Envelopes.chat(Envelopes.newContact(), "STARTED", "Raw")));
        record(event, 1).putObject("body").put("not", "text");
        assertEquals(List.of(Batches.ids(event).get(1)), Readback.invokeBatch("SqsIngestFunction", event));
        assertStored(valid);

        for (Consumer<ObjectNode> nameless : List.<Consumer<ObjectNode>>of(m -> m.remove("messageId"), m -> m.put("messageId", " "))) {
            ContactKey first = Envelopes.newContact();
            ObjectNode batch = Batches.sqs(List.of(Envelopes.chat(first, "STARTED", "Raw"), Envelopes.chat(Envelopes.newContact(), "STARTED", "Raw")));
            nameless.accept(record(batch, 1));
            assertFunctionError("SqsIngestFunction", batch, "Records[1].messageId is required: a batch response names a failed message by it");
            assertNotStored(first);
        }
        ObjectNode numeric = Batches.sqs(List.of(Envelopes.chat(Envelopes.newContact(), "STARTED", "Raw")));
        record(numeric, 0).put("messageId", 7);
        assertFunctionError("SqsIngestFunction", numeric, "member Records[0].messageId has a value of the wrong type");
    }

    @Test
    void theSameRecordTwiceIsAppliedOnceAndAnotherUnderItsSequenceNumberIsReported() {
        ContactKey key = Envelopes.newContact();
        ObjectNode event = Batches.kinesis(List.of(Envelopes.chatSegments(key, "Raw", List.of(Envelopes.v2Transcript("1", false))),
                Envelopes.chatSegments(key, "Raw", List.of(Envelopes.v2Transcript("2", false)))));
        ((com.fasterxml.jackson.databind.node.ArrayNode) event.get("Records")).insert(1, record(event, 0).deepCopy());
        String[] out = new String[1];
        assertEquals(List.of(), IngestorTest.captureStdout(out, () -> Readback.invokeBatch("KinesisIngestFunction", event)));
        assertEquals(List.of(Envelopes.v2Transcript("1", false), Envelopes.v2Transcript("2", false)),
                Readback.stream(RUNTIME.store(), key, OutputType.Raw));
        assertTrue(out[0].lines().anyMatch(l -> l.contains("record repeated in the batch") && l.contains(Batches.ids(event).get(0))), out[0]);

        ContactKey other = Envelopes.newContact();
        ObjectNode conflict = Batches.kinesis(List.of(Envelopes.chat(other, "STARTED", "Raw"),
                Envelopes.chatSegments(other, "Raw", List.of(Envelopes.v2Transcript("x", false)))));
        ((ObjectNode) record(conflict, 1).get("kinesis")).put("sequenceNumber", Batches.ids(conflict).get(0));
        record(conflict, 1).put("eventID", record(conflict, 0).path("eventID").asText());
        assertEquals(List.of(Batches.ids(conflict).get(0)), Readback.invokeBatch("KinesisIngestFunction", conflict));
        assertEquals(List.of(), Readback.stream(RUNTIME.store(), other, OutputType.Raw), "the other record is not lost under the first's key");
    }

    private static void assertStored(ContactKey contact) {
        assertTrue(RUNTIME.store().read(contact, OutputType.Raw, 0, 10).contact().isPresent(), contact + " is stored");
    }

    private static void assertNotStored(ContactKey contact) {
        assertTrue(RUNTIME.store().find(contact).isEmpty(), contact + " is not stored");
    }

    @Test
    void anEventThatIsNotJsonFailsTheInvocationWithAClearError() {
        for (String function : List.of("KinesisIngestFunction", "SqsIngestFunction", "EventBridgeIngestFunction")) {
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                    () -> RUNTIME.runtime().invoke(function, "{\"Records\":".getBytes(StandardCharsets.UTF_8)));
            assertTrue(String.valueOf(e.getMessage()).contains("JSON") || String.valueOf(e.getCause()).contains("JSON"), function + ": " + e);
        }
    }
}
