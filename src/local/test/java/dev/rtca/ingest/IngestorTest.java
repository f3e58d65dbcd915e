package dev.rtca.ingest;

import dev.rtca.fixtures.Envelopes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.segments.Channel;
import dev.rtca.segments.Contact;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.OutputType;
import dev.rtca.store.DynamoContactStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ingest core against DynamoDB Local: lifecycle, output streams, idempotency, late segments, poison. */
class IngestorTest {
    private final DynamoContactStore store = TestStores.store();
    private final Ingestor ingestor = new Ingestor(store);

    private Contact contact(ContactKey key) {
        return store.find(key).orElseThrow(() -> new AssertionError("contact " + key + " not found"));
    }

    @Test
    void chatLifecycleWithBothStreams() {
        ContactKey key = Envelopes.newContact();
        ingestor.ingest(Envelopes.chat(key, "STARTED", "RedactedAndRaw"), "k1");
        assertEquals(new Contact(key, Channel.CHAT, ContactStatus.IN_PROGRESS, Set.of(OutputType.Raw, OutputType.Redacted)), contact(key));

        List<ObjectNode> raw = Envelopes.allV2("raw", false);
        List<ObjectNode> redacted = Envelopes.allV2("red", true);
        IngestResult r1 = ingestor.ingest(Envelopes.chatSegments(key, "Raw", raw), "k2");
        IngestResult r2 = ingestor.ingest(Envelopes.chatSegments(key, "Redacted", redacted), "k3");
        assertEquals(new IngestResult(key, Channel.CHAT, EventType.SEGMENTS, "k2", OutputType.Raw, 7, 0, 0, 0, 0, 0), r1);
        assertEquals(OutputType.Redacted, r2.stream());
        assertEquals(7, r2.appended());

        ingestor.ingest(Envelopes.chat(key, "COMPLETED", "RedactedAndRaw"), "k4");
        assertEquals(ContactStatus.COMPLETED, contact(key).status());
        assertEquals(raw, Readback.stream(store, key, OutputType.Raw));
        assertEquals(redacted, Readback.stream(store, key, OutputType.Redacted));
    }

    @Test
    void voiceLifecycleStoresTheRawStreamWithoutPartials() {
        ContactKey key = Envelopes.newContact();
        ingestor.ingest(Envelopes.voice(key, "STARTED"), "k1");
        List<ObjectNode> segments = List.of(Envelopes.v1Utterance("u1"), Envelopes.v1Transcript("1", false),
                Envelopes.v1Utterance("u2"), Envelopes.v1Transcript("2", true), Envelopes.v1Categories("c"),
                Envelopes.v1PostContactSummary("s"), Envelopes.v1ExtractedInformation("e"));
        IngestResult result = ingestor.ingest(Envelopes.voiceSegments(key, segments), "k2");
        assertEquals(5, result.appended());
        assertEquals(2, result.partials());
        ingestor.ingest(Envelopes.voice(key, "COMPLETED"), "k3");
        assertEquals(new Contact(key, Channel.VOICE, ContactStatus.COMPLETED, Set.of(OutputType.Raw)), contact(key));
        assertEquals(Envelopes.stored(segments), Readback.stream(store, key, OutputType.Raw));
        assertEquals(List.of(), Readback.stream(store, key, OutputType.Redacted));
    }

    @Test
    void segmentsBeforeStartedCreateTheContactInProgress() {
        ContactKey key = Envelopes.newContact();
        ingestor.ingest(Envelopes.chatSegments(key, "Raw", List.of(Envelopes.v2Transcript("1", false))), "k1");
        assertEquals(new Contact(key, Channel.CHAT, ContactStatus.IN_PROGRESS, Set.of(OutputType.Raw)), contact(key));
        // The late STARTED adds what it declares and keeps what is there.
        ingestor.ingest(Envelopes.chat(key, "STARTED", "Redacted"), "k2");
        assertEquals(Set.of(OutputType.Raw, OutputType.Redacted), contact(key).outputTypes());
        assertEquals(1, Readback.stream(store, key, OutputType.Raw).size());
    }

    @Test
    void aRedactedOnlyContactHasNoRawStream() {
        ContactKey key = Envelopes.newContact();
        ingestor.ingest(Envelopes.chat(key, "STARTED", "Redacted"), "k1");
        ObjectNode segments = Envelopes.chat(key, "SEGMENTS", "Redacted");
        segments.putArray("Segments").add(Envelopes.v2Transcript("1", true));
        assertEquals(OutputType.Redacted, ingestor.ingest(segments, "k2").stream());
        assertEquals(Set.of(OutputType.Redacted), contact(key).outputTypes());
    }

    @Test
    void segmentsAfterCompletedAreStoredLoggedAndCounted() {
        ContactKey key = Envelopes.newContact();
        ingestor.ingest(Envelopes.chat(key, "STARTED", "Raw"), "k1");
        ingestor.ingest(Envelopes.chatSegments(key, "Raw", List.of(Envelopes.v2Transcript("1", false))), "k2");
        ingestor.ingest(Envelopes.chat(key, "COMPLETED", "Raw"), "k3");

        List<ObjectNode> late = List.of(Envelopes.v2PostContactSummary("late"), Envelopes.v2ExtractedInformation("late"));
        IngestResult result = ingestor.ingest(Envelopes.chatSegments(key, "Raw", late), "k4");
        assertEquals(2, result.appended());
        assertEquals(2, result.late());
        assertEquals(ContactStatus.COMPLETED, contact(key).status());
        assertEquals(3, Readback.stream(store, key, OutputType.Raw).size());
        assertEquals(late, Readback.stream(store, key, OutputType.Raw).subList(1, 3));

        // Through a writer, a late event is also logged and counted (metric LateSegments, by channel).
        String[] log = new String[1];
        List<ObjectNode> later = List.of(Envelopes.v2Event("later"), Envelopes.v2Event("latest"));
        List<String> failed = captureStdout(log, () -> Deliveries.kinesis(store,
                Batches.kinesis(List.of(Envelopes.chatSegments(key, "Raw", later)))));
        assertEquals(List.of(), failed);
        assertEquals(later, Readback.stream(store, key, OutputType.Raw).subList(3, 5));
        List<JsonNode> lines = log[0].lines().filter(l -> l.startsWith("{")).map(Envelopes::parse).toList();
        assertTrue(lines.stream().anyMatch(l -> "WARN".equals(l.path("level").asText())
                && key.contactId().equals(l.path("contactId").asText()) && l.path("lateSegments").asInt() == 2), log[0]);
        assertTrue(lines.stream().anyMatch(l -> l.path("LateSegments").asInt() == 2 && "CHAT".equals(l.path("Channel").asText())
                && "LateSegments".equals(l.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics").get(0).path("Name").asText())),
                log[0]);
    }

    @Test
    void theFirstTerminalStatusWins() {
        ContactKey key = Envelopes.newContact();
        ingestor.ingest(Envelopes.voice(key, "FAILED"), "k1");
        ingestor.ingest(Envelopes.voice(key, "COMPLETED"), "k2");
        assertEquals(ContactStatus.FAILED, contact(key).status());
    }

    @Test
    void aRedeliveredEventIsANoOp() {
        ContactKey key = Envelopes.newContact();
        ObjectNode event = Envelopes.chatSegments(key, "Raw", Envelopes.allV2("a", false));
        assertEquals(7, ingestor.ingest(event, "kinesis:shard-1:100").appended());
        IngestResult again = ingestor.ingest(event, "kinesis:shard-1:100");
        assertEquals(0, again.appended());
        assertEquals(7, again.duplicates());
        assertEquals(Envelopes.allV2("a", false), Readback.stream(store, key, OutputType.Raw));
    }

    @Test
    void anEventIdDeduplicatesAcrossDeliveries() {
        ContactKey key = Envelopes.newContact();
        ObjectNode event = Envelopes.chatSegments(key, "Raw", List.of(Envelopes.v2Transcript("1", false)));
        event.put("EventId", "job-1/segments-1");
        ingestor.ingest(event, "sqs:message-a");
        ingestor.ingest(event, "sqs:message-b");
        ingestor.ingest(event, "events:event-c");
        assertEquals(1, Readback.stream(store, key, OutputType.Raw).size());

        // Same content, no EventId, distinct deliveries: two events; the transcript is kept once (the stream holds its
        // Id), the categories (no Id of their own) twice.
        ObjectNode plain = Envelopes.chatSegments(key, "Raw", List.of(Envelopes.v2Transcript("2", false), Envelopes.v2Categories("c")));
        ingestor.ingest(plain, "sqs:message-d");
        IngestResult retried = ingestor.ingest(plain, "sqs:message-e");
        assertEquals(List.of(1, 1, 1), List.of(retried.appended(), retried.duplicates(), retried.sameId()));
        assertEquals(List.of("Transcript", "Transcript", "Categories", "Categories"),
                Readback.stream(store, key, OutputType.Raw).stream().map(s -> s.fieldNames().next()).toList());
    }

    @Test
    void aProducersRetryIsLoggedAndCountedAsDuplicateSegments() {
        ContactKey key = Envelopes.newContact();
        ObjectNode event = Envelopes.chatSegments(key, "Raw", Envelopes.v2Transcripts("r", 3));
        assertEquals(List.of(), Deliveries.kinesis(store, Batches.kinesis(List.of(event))));
        String[] log = new String[1];
        // A producer that serialized its record again (other bytes: a member it adds) and sent it under a new sequence
        // number: the event key differs, the Ids are in the stream.
        ObjectNode again = event.deepCopy().put("Attempt", 2);
        List<String> failed = captureStdout(log, () -> Deliveries.kinesis(store, Batches.kinesis(List.of(again))));
        assertEquals(List.of(), failed);
        assertEquals(3, Readback.stream(store, key, OutputType.Raw).size());
        List<JsonNode> lines = log[0].lines().filter(l -> l.startsWith("{")).map(Envelopes::parse).toList();
        assertTrue(lines.stream().anyMatch(l -> key.contactId().equals(l.path("contactId").asText())
                && l.path("duplicates").asInt() == 3 && l.path("sameId").asInt() == 3), log[0]);
        assertTrue(lines.stream().anyMatch(l -> l.path("DuplicateSegments").asInt() == 3 && "CHAT".equals(l.path("Channel").asText())
                && "DuplicateSegments".equals(l.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics").get(0).path("Name").asText())),
                log[0]);
    }

    @Test
    void aLargeEventIsStoredInOrderAndExactlyOnce() {
        ContactKey key = Envelopes.newContact();
        List<ObjectNode> many = Envelopes.v2Transcripts("bulk", 230); // more than two transactions' worth
        ObjectNode event = Envelopes.chatSegments(key, "Raw", many);
        assertEquals(230, ingestor.ingest(event, "k1").appended());
        assertEquals(230, ingestor.ingest(event, "k1").duplicates());
        assertEquals(many, Readback.stream(store, key, OutputType.Raw));
    }

    @Test
    void anEnvelopeOfTheOtherChannelIsPoisonAndChangesNothing() {
        ContactKey key = Envelopes.newContact();
        ingestor.ingest(Envelopes.voice(key, "STARTED"), "k1");
        PoisonEventException e = assertThrows(PoisonEventException.class, () -> ingestor.ingest(
                Envelopes.chatSegments(key, "Raw", List.of(Envelopes.v2Transcript("1", false))), "k2"));
        assertTrue(e.reason().contains("is a VOICE contact"), e.reason());
        assertEquals(key, e.contact().orElseThrow());
        assertThrows(PoisonEventException.class, () -> ingestor.ingest(Envelopes.chat(key, "COMPLETED", null), "k3"));
        assertEquals(new Contact(key, Channel.VOICE, ContactStatus.IN_PROGRESS, Set.of(OutputType.Raw)), contact(key));
        assertEquals(List.of(), Readback.stream(store, key, OutputType.Raw));
    }

    @Test
    void aPoisonSegmentsEventStoresNothingAtAll() {
        ContactKey key = Envelopes.newContact();
        // More valid segments than one transaction holds come first: nothing is stored even of the first chunk.
        List<ObjectNode> segments = new ArrayList<>(Envelopes.v2Transcripts("a", 150));
        ObjectNode bad = Envelopes.v2Attachments("bad");
        ((ObjectNode) bad.get("Attachments")).remove("ParticipantRole");
        segments.add(bad);
        byte[] event = Envelopes.bytes(Envelopes.chatSegments(key, "Raw", segments));
        assertThrows(PoisonEventException.class, () -> ingestor.ingest(event, "k1"));
        assertTrue(store.find(key).isEmpty(), "no contact must be created by a rejected event");
    }

    @Test
    void onlyPartialsStillRecordTheContact() {
        ContactKey key = Envelopes.newContact();
        IngestResult result = ingestor.ingest(Envelopes.voiceSegments(key, List.of(Envelopes.v1Utterance("a"))), "k1");
        assertEquals(0, result.appended());
        assertEquals(1, result.partials());
        assertEquals(ContactStatus.IN_PROGRESS, contact(key).status());
        assertEquals(List.of(), Readback.stream(store, key, OutputType.Raw));
    }

    static <T> T captureStdout(String[] captured, java.util.function.Supplier<T> action) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            return action.get();
        } finally {
            System.setOut(original);
            captured[0] = buffer.toString(StandardCharsets.UTF_8);
            original.print(captured[0]);
        }
    }
}
