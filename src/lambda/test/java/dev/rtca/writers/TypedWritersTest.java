package dev.rtca.writers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.fixtures.Envelopes;
import dev.rtca.fixtures.MemoryStore;
import dev.rtca.ingest.PoisonEventException;
import dev.rtca.runtime.Events;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.OutputType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The writers' typed entry points, with events built from the library's types as a Java caller (or a test) builds
 * them: failures reported per record, in batch order, by the identifier each source retries by.
 */
class TypedWritersTest {
    private final MemoryStore store = new MemoryStore();
    private final ContactKey a = Envelopes.newContact();
    private final ContactKey b = Envelopes.newContact();

    private static ObjectNode segments(ContactKey contact, String tag) {
        return Envelopes.chatSegments(contact, "Raw", List.of(Envelopes.v2Transcript(tag, false)));
    }

    /** A SEGMENTS envelope whose transcript lacks its Time: poison, for a contact that can be told. */
    private static ObjectNode poison(ContactKey contact) {
        ObjectNode envelope = segments(contact, "bad");
        ((ObjectNode) envelope.get("Segments").get(0).get("Transcript")).remove("Time");
        return envelope;
    }

    private static KinesisEvent.KinesisEventRecord kinesis(String sequenceNumber, ByteBuffer data) {
        KinesisEvent.Record kinesis = new KinesisEvent.Record();
        kinesis.setSequenceNumber(sequenceNumber);
        kinesis.setData(data);
        KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
        record.setEventID("shardId-000000000000:" + sequenceNumber);
        record.setKinesis(kinesis);
        return record;
    }

    private static KinesisEvent.KinesisEventRecord kinesis(String sequenceNumber, JsonNode envelope) {
        return kinesis(sequenceNumber, ByteBuffer.wrap(Envelopes.bytes(envelope)));
    }

    private static List<String> ids(StreamsEventResponse response) {
        return response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    @Test
    void kinesisReportsTheFailedRecordsAndTheRestOfTheirContact() {
        KinesisEvent event = new KinesisEvent();
        event.setRecords(List.of(kinesis("1", Envelopes.chat(a, "STARTED", "Raw")), kinesis("2", Events.NOT_BASE64),
                kinesis("3", poison(a)), kinesis("4", segments(a, "1")), kinesis("5", segments(b, "1")),
                kinesis("6", (ByteBuffer) null)));

        StreamsEventResponse response = new KinesisIngestHandler(store).handle(event, null);

        assertEquals(List.of("2", "3", "4", "6"), ids(response), "not base64, poison, held back behind it, no data");
        assertEquals(0, store.stream(a, OutputType.Raw).size());
        assertEquals(1, store.stream(b, OutputType.Raw).size());
        KinesisEvent empty = new KinesisEvent();
        empty.setRecords(List.of());
        assertEquals(List.of(), ids(new KinesisIngestHandler(store).handle(empty, null)), "an empty batch");
        assertEquals("Records is required: the event is not a Kinesis event", assertThrows(Events.UnreadableEventException.class,
                () -> new KinesisIngestHandler(store).handle(new KinesisEvent(), null)).getMessage());
    }

    private static SQSEvent.SQSMessage message(String id, String group, JsonNode envelope) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(id);
        message.setBody(envelope == null ? null : new String(Envelopes.bytes(envelope), StandardCharsets.UTF_8));
        message.setAttributes(group == null ? Map.of() : Map.of("MessageGroupId", group));
        return message;
    }

    @Test
    void sqsHoldsBackTheRestOfAMessageGroupAcrossContacts() {
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message("m1", "g1", poison(a)), message("m2", "g1", segments(b, "1")),
                message("m3", "g2", segments(a, "2")), message("m4", null, segments(b, "2")), message("m5", null, null)));

        SQSBatchResponse response = new SqsIngestHandler(store).handle(event, null);

        assertEquals(List.of("m1", "m2", "m5"), response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
        assertEquals(1, store.stream(a, OutputType.Raw).size(), "another group goes on, even for the failed record's contact");
        assertEquals(1, store.stream(b, OutputType.Raw).size(), "m4, ordered by its contact");
    }

    @Test
    void eventBridgeAppliesTheDetailAndSummarisesIt() {
        EventBridgeIngestHandler handler = new EventBridgeIngestHandler(store);
        EventBridgeIngestHandler.Summary started = handler.handle(new EventBridgeIngestHandler.Event("e-1", "rtca.analysis",
                "Contact Analysis Segments", Envelopes.chat(a, "STARTED", "Raw")), null);
        assertEquals(new EventBridgeIngestHandler.Summary("e-1", a.instanceId(), a.contactId(), "STARTED", null, null, null), started);
        assertEquals("{\"eventId\":\"e-1\",\"instanceId\":\"" + a.instanceId() + "\",\"contactId\":\"" + a.contactId()
                + "\",\"eventType\":\"STARTED\"}", Events.json(started));

        EventBridgeIngestHandler.Summary appended = handler.handle(new EventBridgeIngestHandler.Event("e-2", "rtca.analysis",
                "Contact Analysis Segments", segments(a, "1")), null);
        assertEquals(new EventBridgeIngestHandler.Summary("e-2", a.instanceId(), a.contactId(), "SEGMENTS", "Raw", 1, 0), appended);
        assertEquals(ContactStatus.IN_PROGRESS, store.find(a).orElseThrow().status());

        PoisonEventException noDetail = assertThrows(PoisonEventException.class, () -> handler.handle(
                new EventBridgeIngestHandler.Event("e-3", "rtca.analysis", "Contact Analysis Segments", null), null));
        assertTrue(noDetail.reason().contains("no detail"), noDetail.reason());
        PoisonEventException bad = assertThrows(PoisonEventException.class, () -> handler.handle(
                new EventBridgeIngestHandler.Event("e-4", "rtca.analysis", "Contact Analysis Segments", poison(b)), null));
        assertTrue(bad.reason().contains("Time"), bad.reason());
        assertNull(store.find(b).orElse(null));
    }
}
