package dev.rtca.ingest;

import dev.rtca.fixtures.Envelopes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.local.TestRuntime;
import dev.rtca.model.Json;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.connect.model.ListRealtimeContactAnalysisSegmentsV2Request;
import software.amazon.awssdk.services.connect.model.ListRealtimeContactAnalysisSegmentsV2Response;
import software.amazon.awssdk.services.connect.model.OutputTypeNotFoundException;
import software.amazon.awssdk.services.connect.model.RealTimeContactAnalysisStatus;
import software.amazon.awssdk.services.connect.model.RealtimeContactAnalysisSegment;
import software.amazon.awssdk.services.connectcontactlens.ConnectContactLensClient;
import software.amazon.awssdk.services.connectcontactlens.model.ListRealtimeContactAnalysisSegmentsResponse;

/**
 * Each writer invoked through the Lambda Invoke API of the local runtime over HTTP, exactly as
 * {@code aws lambda invoke} or an event source mapping would, then read back with the official SDK clients:
 * what the reader returns equals what was ingested, field for field and in order, for every segment type.
 */
class WritersEndToEndTest {
    private static final TestRuntime RUNTIME = TestRuntime.shared();
    private final ConnectClient connect = RUNTIME.connect();
    private final ConnectContactLensClient contactLens = RUNTIME.contactLens();

    // ---- Kinesis: Connect's voice segment stream ----------------------------------------------------------

    @Test
    void voiceContactThroughKinesis() {
        ContactKey key = Envelopes.newContact();
        List<ObjectNode> first = List.of(Envelopes.v1Utterance("1a"), Envelopes.v1Utterance("1b"),
                Envelopes.v1Transcript("1", false), Envelopes.v1Transcript("2", true), Envelopes.v1Categories("c"),
                Envelopes.v1PostContactSummary("s"));
        List<ObjectNode> second = List.of(Envelopes.v1Utterance("3a"), Envelopes.v1Transcript("3", false),
                Envelopes.v1ExtractedInformation("e"));
        assertEquals(List.of(), Readback.invokeBatch("KinesisIngestFunction", Batches.kinesis(List.of(
                Envelopes.voice(key, "STARTED"), Envelopes.voiceSegments(key, first)))));

        // IN_PROGRESS: everything so far, and a NextToken even once nothing more is there.
        ListRealtimeContactAnalysisSegmentsResponse live = contactLens.listRealtimeContactAnalysisSegments(r -> r
                .instanceId(key.instanceId()).contactId(key.contactId()).maxResults(100));
        assertEquals(Envelopes.stored(first), Readback.sdkJson(live.segments()));
        assertNotNull(live.nextToken(), "NextToken while IN_PROGRESS");
        ListRealtimeContactAnalysisSegmentsResponse idle = contactLens.listRealtimeContactAnalysisSegments(r -> r
                .instanceId(key.instanceId()).contactId(key.contactId()).nextToken(live.nextToken()));
        assertEquals(List.of(), idle.segments());
        assertNotNull(idle.nextToken(), "NextToken while IN_PROGRESS, even with no new segment");

        assertEquals(List.of(), Readback.invokeBatch("KinesisIngestFunction", Batches.kinesis(List.of(
                Envelopes.voiceSegments(key, second), Envelopes.voice(key, "COMPLETED")))));

        List<JsonNode> expected = new ArrayList<>(Envelopes.stored(first));
        expected.addAll(Envelopes.stored(second));
        // The SDK paginator (2 per page) ends by itself: no NextToken once COMPLETED and drained.
        List<JsonNode> pages = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (ListRealtimeContactAnalysisSegmentsResponse page : contactLens.listRealtimeContactAnalysisSegmentsPaginator(r -> r
                .instanceId(key.instanceId()).contactId(key.contactId()).maxResults(2))) {
            pages.addAll(Readback.sdkJson(page.segments()));
            tokens.add(page.nextToken());
        }
        assertEquals(Readback.asSdkSees(expected), pages);
        assertNull(tokens.get(tokens.size() - 1), "no NextToken on the last page of a COMPLETED contact");
        assertEquals(3, tokens.size(), "6 segments, 2 per page");
        // Raw JSON holds what this SDK version cannot model (ExtractedInformation) too.
        assertEquals(expected, Readback.rawV1All(key, 3));
    }

    // ---- Kinesis: Connect's chat segment stream ------------------------------------------------------------

    @Test
    void chatContactWithBothStreamsThroughKinesis() {
        ContactKey key = Envelopes.newContact();
        List<ObjectNode> raw = Envelopes.allV2("raw", false);
        List<ObjectNode> redacted = new ArrayList<>(Envelopes.allV2("red", true));
        redacted.add(Envelopes.v2PostContactSummaryFailed());
        ObjectNode started = Envelopes.chat(key, "STARTED", "RedactedAndRaw");
        assertEquals(List.of(), Readback.invokeBatch("KinesisIngestFunction", Batches.kinesis(List.of(
                started, Envelopes.chatSegments(key, "Raw", raw), Envelopes.chatSegments(key, "Redacted", redacted)))));

        // IN_PROGRESS: both streams readable, each with a NextToken.
        for (OutputType type : OutputType.values()) {
            ListRealtimeContactAnalysisSegmentsV2Response live = connect.listRealtimeContactAnalysisSegmentsV2(v2(key, type, 100));
            assertEquals(RealTimeContactAnalysisStatus.IN_PROGRESS, live.status());
            assertEquals("CHAT", live.channelAsString());
            assertEquals(Readback.asSdkSees(type == OutputType.Raw ? List.copyOf(raw) : List.copyOf(redacted)),
                    Readback.sdkJson(live.segments()));
            assertNotNull(live.nextToken(), "NextToken while IN_PROGRESS");
            ListRealtimeContactAnalysisSegmentsV2Response idle = connect.listRealtimeContactAnalysisSegmentsV2(
                    v2(key, type, 100).toBuilder().nextToken(live.nextToken()).build());
            assertEquals(List.of(), idle.segments());
            assertNotNull(idle.nextToken());
            assertNotEquals(live.nextToken(), idle.nextToken(), "a token is never repeated");
        }
        // The union decodes to the right member type for every type this SDK knows.
        ListRealtimeContactAnalysisSegmentsV2Response typed = connect.listRealtimeContactAnalysisSegmentsV2(v2(key, OutputType.Raw, 100));
        assertEquals(List.of(RealtimeContactAnalysisSegment.Type.TRANSCRIPT, RealtimeContactAnalysisSegment.Type.CATEGORIES,
                RealtimeContactAnalysisSegment.Type.ISSUES, RealtimeContactAnalysisSegment.Type.EVENT,
                RealtimeContactAnalysisSegment.Type.ATTACHMENTS, RealtimeContactAnalysisSegment.Type.POST_CONTACT_SUMMARY,
                RealtimeContactAnalysisSegment.Type.UNKNOWN_TO_SDK_VERSION),
                typed.segments().stream().map(RealtimeContactAnalysisSegment::type).toList());

        ObjectNode completed = Envelopes.chat(key, "COMPLETED", null);
        completed.putObject("StreamingEventSettings").put("Output", "RedactedAndRaw");
        assertEquals(List.of(), Readback.invokeBatch("KinesisIngestFunction", Batches.kinesis(List.of(completed))));

        for (OutputType type : OutputType.values()) {
            List<JsonNode> expected = List.copyOf(type == OutputType.Raw ? raw : redacted);
            List<JsonNode> seen = new ArrayList<>();
            ListRealtimeContactAnalysisSegmentsV2Response last = null;
            int pages = 0;
            for (ListRealtimeContactAnalysisSegmentsV2Response page
                    : connect.listRealtimeContactAnalysisSegmentsV2Paginator(v2(key, type, 3))) {
                assertEquals(RealTimeContactAnalysisStatus.COMPLETED, page.status());
                seen.addAll(Readback.sdkJson(page.segments()));
                last = page;
                pages++;
            }
            assertEquals(Readback.asSdkSees(expected), seen, type + " stream through the SDK");
            assertEquals((expected.size() + 2) / 3, pages, "pages of 3: the paginator ended on the page that drained it");
            assertEquals(expected, Readback.rawV2All(key, type, 3), type + " stream as raw JSON");
        }
    }

    @Test
    void theChatSampleRetriedByItsProducerUnderNewSequenceNumbersIsStoredOnce() throws Exception {
        ContactKey key = Envelopes.newContact();
        List<ObjectNode> sample = new ArrayList<>();
        for (JsonNode record : Envelopes.parse(Files.readString(Path.of("events/kinesis-chat-stream.json"))).path("Records")) {
            ObjectNode envelope = (ObjectNode) Envelopes.parse(Base64.getDecoder().decode(record.path("kinesis").path("data").asText()));
            sample.add(envelope.put("InstanceId", key.instanceId()).put("ContactId", key.contactId()));
        }
        // Batches.kinesis gives every record a new sequence number: the second batch is the producer's PutRecords retry.
        assertEquals(List.of(), Readback.invokeBatch("KinesisIngestFunction", Batches.kinesis(sample)));
        JsonNode raw = Readback.rawV2Page(key, OutputType.Raw, null, 100).path("Segments");
        JsonNode redacted = Readback.rawV2Page(key, OutputType.Redacted, null, 100).path("Segments");
        assertEquals(List.of(7, 8), List.of(raw.size(), redacted.size()), "the sample's segments, Raw and Redacted");
        assertEquals(List.of(), Readback.invokeBatch("KinesisIngestFunction", Batches.kinesis(sample)));
        assertEquals(raw, Readback.rawV2Page(key, OutputType.Raw, null, 100).path("Segments"), "Raw stored once, in order");
        assertEquals(redacted, Readback.rawV2Page(key, OutputType.Redacted, null, 100).path("Segments"), "Redacted stored once");
        assertEquals(8, connect.listRealtimeContactAnalysisSegmentsV2(v2(key, OutputType.Redacted, 100)).segments().size());

        // The documented chat sample's SEGMENTS event (six segments, three of them without an Id: ours less its second
        // Transcript and its ExtractedInformation), sent twice under new sequence numbers: read back six.
        ObjectNode documented = sample.get(2).deepCopy();
        documented.withArray("Segments").remove(6);
        documented.withArray("Segments").remove(1);
        documented.put("ContactId", Envelopes.newContact().contactId());
        ContactKey other = new ContactKey(key.instanceId(), documented.path("ContactId").asText());
        assertEquals(List.of(), Readback.invokeBatch("KinesisIngestFunction", Batches.kinesis(List.of(documented))));
        assertEquals(List.of(), Readback.invokeBatch("KinesisIngestFunction", Batches.kinesis(List.of(documented))));
        assertEquals(6, Readback.rawV2Page(other, OutputType.Redacted, null, 100).path("Segments").size());
    }

    // ---- SQS: a custom analysis job -------------------------------------------------------------------------

    @Test
    void redactedOnlyChatContactThroughSqs() {
        ContactKey key = Envelopes.newContact();
        ObjectNode started = Envelopes.chat(key, "STARTED", "Redacted");
        started.put("EventId", "job-1/started");
        // No OutputType: settings Output=Redacted puts the segments in the Redacted stream.
        ObjectNode segments1 = Envelopes.chat(key, "SEGMENTS", "Redacted");
        segments1.putArray("Segments").addAll(Envelopes.allV2("a", true));
        segments1.put("EventId", "job-1/segments-1");
        ObjectNode segments2 = Envelopes.chatSegments(key, "Redacted", List.of(Envelopes.v2Transcript("b", true)));
        ObjectNode completed = Envelopes.chat(key, "COMPLETED", "Redacted");
        assertEquals(List.of(), Readback.invokeBatch("SqsIngestFunction", Batches.sqs(List.of(started, segments1, segments2, completed))));

        List<JsonNode> expected = new ArrayList<>(Envelopes.allV2("a", true));
        expected.add(Envelopes.v2Transcript("b", true));
        List<JsonNode> seen = new ArrayList<>();
        connect.listRealtimeContactAnalysisSegmentsV2Paginator(v2(key, OutputType.Redacted, 4))
                .forEach(page -> seen.addAll(Readback.sdkJson(page.segments())));
        assertEquals(Readback.asSdkSees(expected), seen);
        assertEquals(expected, Readback.rawV2All(key, OutputType.Redacted, 100));
        assertThrows(OutputTypeNotFoundException.class,
                () -> connect.listRealtimeContactAnalysisSegmentsV2(v2(key, OutputType.Raw, 10)));
    }

    // ---- EventBridge: a custom analysis job -----------------------------------------------------------------

    @Test
    void chatContactThroughEventBridge() {
        ContactKey key = Envelopes.newContact();
        ObjectNode segments = Envelopes.chatSegments(key, "Raw", Envelopes.allV2("eb", false));
        segments.put("EventId", "job-2/segments-1");
        List<ObjectNode> details = List.of(Envelopes.chat(key, "STARTED", "Raw"), segments, segments,
                Envelopes.chat(key, "COMPLETED", "Raw"));
        for (JsonNode detail : details) {
            // Each put is its own EventBridge event (its own id); the EventId makes the resend a no-op.
            Readback.Invocation result = Readback.invoke("EventBridgeIngestFunction", Batches.eventBridge(detail));
            assertEquals(200, result.status());
            assertNull(result.functionError(), () -> result.payload().toString());
            assertEquals(key.contactId(), result.payload().path("contactId").asText());
        }
        List<JsonNode> seen = new ArrayList<>();
        connect.listRealtimeContactAnalysisSegmentsV2Paginator(v2(key, OutputType.Raw, 100))
                .forEach(page -> seen.addAll(Readback.sdkJson(page.segments())));
        assertEquals(Readback.asSdkSees(List.copyOf(Envelopes.allV2("eb", false))), seen);
        assertEquals(List.copyOf(Envelopes.allV2("eb", false)), Readback.rawV2All(key, OutputType.Raw, 100));
    }

    @Test
    void anEventBridgeFailureIsAFunctionError() {
        ContactKey key = Envelopes.newContact();
        ObjectNode detail = Envelopes.chatSegments(key, "Raw", List.of(Envelopes.v2Transcript("1", false)));
        detail.put("Channel", "TASK");
        Readback.Invocation result = Readback.invoke("EventBridgeIngestFunction", Batches.eventBridge(detail));
        assertEquals("Unhandled", result.functionError());
        assertEquals(PoisonEventException.class.getName(), result.payload().path("errorType").asText());
        assertEquals("Channel is not supported; real-time contact analysis segments exist for VOICE and CHAT contacts only",
                result.payload().path("errorMessage").asText(), result.payload().toString());
        assertTrue(RUNTIME.store().find(key).isEmpty());
    }

    @Test
    void batchFailuresComeBackThroughTheInvokeApi() {
        ContactKey good = Envelopes.newContact();
        ContactKey bad = Envelopes.newContact();
        ObjectNode poison = Envelopes.chat(bad, "STARTED", "Raw");
        poison.put("Version", "9.9.9");
        ObjectNode kinesis = Batches.kinesis(List.of(Envelopes.chat(good, "STARTED", "Raw"), poison));
        assertEquals(List.of(Batches.ids(kinesis).get(1)), Readback.invokeBatch("KinesisIngestFunction", kinesis));
        ObjectNode sqs = Batches.sqs(List.of(poison, Envelopes.chat(good, "COMPLETED", "Raw")));
        assertEquals(List.of(Batches.ids(sqs).get(0)), Readback.invokeBatch("SqsIngestFunction", sqs));
        assertFalse(RUNTIME.store().find(bad).isPresent());
        assertEquals("COMPLETED", RUNTIME.store().find(good).orElseThrow().status().name());
    }

    // ---- records as large as the transports deliver ---------------------------------------------------------

    /** {@code count} transcripts whose Content is {@code chars} characters of a customer's words. */
    private static List<ObjectNode> longTranscripts(String tag, int count, int chars) {
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ObjectNode segment = Envelopes.v2Transcript(tag + "-" + i, false);
            String line = "line " + i + " of a long chat message, ";
            ((ObjectNode) segment.get("Transcript")).put("Content", line.repeat(chars / line.length() + 1).substring(0, chars));
            out.add(segment);
        }
        return out;
    }

    /**
     * A Kinesis record of about 800 KB (50 transcripts of 16,000 characters: inside the model, under Kinesis's 1 MiB
     * record) is over a megabyte of base64 in the event: it is stored, and so is the record after it, and both are read
     * back through the SDK. An SQS message of SQS's largest size (1 MiB) and an EventBridge detail near its 256 KB are too.
     */
    @Test
    void recordsAsLargeAsTheTransportsDeliverAreStored() {
        ContactKey key = Envelopes.newContact();
        List<ObjectNode> large = longTranscripts("k", 50, 16_000);
        ObjectNode record = Envelopes.chatSegments(key, "Raw", large);
        int size = Envelopes.bytes(record).length;
        assertTrue(size > 800_000 && size < 1024 * 1024, "the record's size: " + size);
        assertTrue((size + 2) / 3 * 4 > Json.MAX_STRING_LENGTH, "its base64 is longer than the policy's strings");
        ObjectNode after = Envelopes.chatSegments(key, "Raw", List.of(Envelopes.v2Transcript("after", false)));
        assertEquals(List.of(), Readback.invokeBatch("KinesisIngestFunction", Batches.kinesis(List.of(record, after))));
        List<JsonNode> expected = new ArrayList<>(large);
        expected.add(Envelopes.v2Transcript("after", false));
        assertEquals(expected, Readback.liveV2(connect, key, OutputType.Raw));

        ContactKey queued = Envelopes.newContact();
        List<ObjectNode> sixty = longTranscripts("q", 60, 16_000);
        String body = Envelopes.text(Envelopes.chatSegments(queued, "Raw", sixty));
        body += " ".repeat(1024 * 1024 - body.getBytes(StandardCharsets.UTF_8).length); // SQS's largest message, exactly
        assertEquals(List.of(), Readback.invokeBatch("SqsIngestFunction",
                Batches.sqsData(List.of(Batches.Data.raw(body, queued.contactId())))));
        assertEquals(List.copyOf(sixty), Readback.liveV2(connect, queued, OutputType.Raw));

        ContactKey bus = Envelopes.newContact();
        List<ObjectNode> fifteen = longTranscripts("e", 15, 16_000);
        ObjectNode detail = Envelopes.chatSegments(bus, "Raw", fifteen);
        assertTrue(Envelopes.bytes(detail).length > 240_000 && Envelopes.bytes(detail).length < 256 * 1024);
        Readback.Invocation result = Readback.invoke("EventBridgeIngestFunction", Batches.eventBridge(detail));
        assertNull(result.functionError(), () -> result.payload().toString());
        assertEquals(List.copyOf(fifteen), Readback.liveV2(connect, bus, OutputType.Raw));
    }

    /** A Content of 900,000 characters breaks the model (16,384 at most): that record alone is reported, as poison. */
    @Test
    void aContentOverTheModelIsOnePoisonRecordWhateverItsSize() {
        ContactKey key = Envelopes.newContact();
        ObjectNode poison = Envelopes.chatSegments(key, "Raw", longTranscripts("p", 1, 900_000));
        ContactKey other = Envelopes.newContact();
        ObjectNode kinesis = Batches.kinesis(List.of(Envelopes.chat(other, "STARTED", "Raw"), poison,
                Envelopes.chatSegments(other, "Raw", List.of(Envelopes.v2Transcript("ok", false)))));
        assertEquals(List.of(Batches.ids(kinesis).get(1)), Readback.invokeBatch("KinesisIngestFunction", kinesis));
        assertTrue(RUNTIME.store().find(key).isEmpty());
        assertEquals(List.of(Envelopes.v2Transcript("ok", false)), Readback.liveV2(connect, other, OutputType.Raw));
    }

    private static ListRealtimeContactAnalysisSegmentsV2Request v2(ContactKey key, OutputType type, int max) {
        return ListRealtimeContactAnalysisSegmentsV2Request.builder()
                .instanceId(key.instanceId()).contactId(key.contactId())
                .outputType(type.name())
                // This SDK version has no ExtractedInformation constant; the service accepts the string.
                .segmentTypesWithStrings(Readback.ALL_V2_TYPES)
                .maxResults(max)
                .build();
    }
}
