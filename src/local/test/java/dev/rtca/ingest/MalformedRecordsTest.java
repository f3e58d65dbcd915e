package dev.rtca.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.fixtures.Envelopes;
import dev.rtca.local.TestRuntime;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Records no event source would send, but a hostile or broken producer might, through the Invoke API: a record
 * without its identifier, data that is not base64, a body that is not text. The writer never fails the invocation for
 * them: valid records are stored (one without an identifier under a digest of its content, so a redelivery is still
 * recognised), an invalid record that names itself is reported by its identifier, and an invalid one that cannot name
 * itself is reported with a null identifier, which Lambda takes as a failure of the whole batch (so it is retried,
 * bisected down to that record, and sent to the failure destination).
 */
class MalformedRecordsTest {
    private static final TestRuntime RUNTIME = TestRuntime.shared();

    private static List<JsonNode> failures(String function, ObjectNode event) throws Exception {
        JsonNode response = Envelopes.JSON.readTree(RUNTIME.runtime().invoke(function, Envelopes.bytes(event)));
        List<JsonNode> out = new ArrayList<>();
        response.path("batchItemFailures").forEach(f -> out.add(f.path("itemIdentifier")));
        return out;
    }

    @Test
    void kinesisRecordsWithoutSequenceNumberOrWithDataThatIsNotBase64AreReportedNotThrown() throws Exception {
        ContactKey valid = Envelopes.newContact();
        ContactKey unnamed = Envelopes.newContact();
        ObjectNode event = Batches.kinesis(List.of(Envelopes.chat(valid, "STARTED", "Raw"),
                Envelopes.chat(Envelopes.newContact(), "STARTED", "Raw"), Envelopes.chat(unnamed, "STARTED", "Raw"),
                Envelopes.chat(Envelopes.newContact(), "STARTED", "Raw"), Envelopes.chat(Envelopes.newContact(), "STARTED", "Raw")));
        JsonNode records = event.get("Records");
        ((ObjectNode) records.get(1).get("kinesis")).put("data", "%%% not base64 %%%");
        String notBase64 = records.get(1).path("kinesis").path("sequenceNumber").asText();
        unname(records.get(2));
        ((ObjectNode) records.get(3).get("kinesis")).remove("data");
        String noData = records.get(3).path("kinesis").path("sequenceNumber").asText();
        unname(records.get(4));
        ((ObjectNode) records.get(4).get("kinesis")).put("data", "%%%");

        List<JsonNode> failed = failures("KinesisIngestFunction", event);

        assertEquals(3, failed.size(), failed.toString());
        assertEquals(notBase64, failed.get(0).asText());
        assertEquals(noData, failed.get(1).asText());
        assertTrue(failed.get(2).isNull(), "an invalid record without its sequence number fails the batch: " + failed);
        assertStored(valid);
        assertStored(unnamed);
    }

    private static void unname(JsonNode record) {
        ((ObjectNode) record.get("kinesis")).remove("sequenceNumber");
        ((ObjectNode) record).remove("eventID");
    }

    @Test
    void sqsMessagesWithoutMessageIdOrWithABodyThatIsNotTextAreReportedNotThrown() throws Exception {
        ContactKey valid = Envelopes.newContact();
        ContactKey unnamed = Envelopes.newContact();
        ObjectNode event = Batches.sqs(List.of(Envelopes.chat(valid, "STARTED", "Raw"), Envelopes.chat(unnamed, "STARTED", "Raw"),
                Envelopes.chat(Envelopes.newContact(), "STARTED", "Raw"), Envelopes.chat(Envelopes.newContact(), "STARTED", "Raw")));
        JsonNode records = event.get("Records");
        ((ObjectNode) records.get(1)).remove("messageId");
        ((ObjectNode) records.get(2)).putObject("body").put("not", "text");
        String objectBody = records.get(2).path("messageId").asText();
        ((ObjectNode) records.get(3)).remove("messageId");
        ((ObjectNode) records.get(3)).put("body", "not an envelope");

        List<JsonNode> failed = failures("SqsIngestFunction", event);

        assertEquals(2, failed.size(), failed.toString());
        assertEquals(objectBody, failed.get(0).asText());
        assertTrue(failed.get(1).isNull(), "an invalid message without its id fails the batch: " + failed);
        assertStored(valid);
        assertStored(unnamed);
    }

    private static void assertStored(ContactKey contact) {
        assertTrue(RUNTIME.store().read(contact, OutputType.Raw, 0, 10).contact().isPresent(), contact + " is stored");
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
