package dev.rtca.ingest;

import dev.rtca.fixtures.Envelopes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.local.DemoCall;
import dev.rtca.local.Replay;
import dev.rtca.local.TestRuntime;
import dev.rtca.segments.PartialTranscript;
import dev.rtca.segments.Utterance;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.OutputType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.connect.model.ListRealtimeContactAnalysisSegmentsV2Response;
import software.amazon.awssdk.services.connect.model.OutputTypeNotFoundException;
import software.amazon.awssdk.services.connect.model.RealTimeContactAnalysisStatus;

/**
 * Every writer invoked with its events/ sample through the Invoke API of the local runtime (what
 * {@code bin/start-api} loads as demo data and what the README tells users to send with the AWS CLI), each
 * twice (the second time must change nothing), then read back with the official SDK.
 *
 * <p>The samples use fixed contact IDs on the runtime's shared table, so the checks allow other writers of
 * the same contacts: the sample's segments must each appear exactly once, in the sample's order.
 */
class SampleEventsTest {
    private static final Path EVENTS = Path.of("events");
    private static final String INSTANCE = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";
    private static final ContactKey VOICE = new ContactKey(INSTANCE, "a1b2c3d4-5678-90ab-cdef-EXAMPLE22222");
    private static final ContactKey CHAT = new ContactKey(INSTANCE, "a1b2c3d4-5678-90ab-cdef-EXAMPLE33333");
    private static final ContactKey JOB = new ContactKey(INSTANCE, "a1b2c3d4-5678-90ab-cdef-EXAMPLE44444");

    private final TestRuntime runtime = TestRuntime.shared();
    private final ConnectClient connect = runtime.connect();

    @Test
    void everySampleIsAcceptedAndReadable() throws IOException {
        JsonNode voice = read("kinesis-voice-stream.json");
        JsonNode chat = read("kinesis-chat-stream.json");
        JsonNode sqs = read("sqs-analysis-job.json");
        JsonNode eventBridge = read("eventbridge-analysis-job.json");

        for (int delivery = 0; delivery < 2; delivery++) {
            assertEquals(List.of(), Readback.invokeBatch("KinesisIngestFunction", voice), "kinesis-voice-stream.json");
            assertEquals(List.of(), Readback.invokeBatch("KinesisIngestFunction", chat), "kinesis-chat-stream.json");
            assertEquals(List.of(), Readback.invokeBatch("SqsIngestFunction", sqs), "sqs-analysis-job.json");
            Readback.Invocation result = Readback.invoke("EventBridgeIngestFunction", eventBridge);
            assertNull(result.functionError(), () -> "eventbridge-analysis-job.json: " + result.payload());
            assertEquals(CHAT.contactId(), result.payload().path("contactId").asText());
            assertEquals(1, result.payload().path("appended").asInt() + result.payload().path("duplicates").asInt());
            if (delivery == 1) {
                assertEquals(1, result.payload().path("duplicates").asInt(), "the EventId makes the resend a no-op");
            }
        }

        // A completed voice contact (V1).
        List<JsonNode> envelopes = kinesisEnvelopes(voice);
        assertEquals(List.of("STARTED", "SEGMENTS", "COMPLETED"), envelopes.stream().map(e -> e.path("EventType").asText()).toList());
        assertEquals(ContactStatus.COMPLETED, runtime.store().find(VOICE).orElseThrow().status());
        List<JsonNode> voiceSegments = Envelopes.stored(list(envelopes.get(1).path("Segments")));
        assertTrue(list(envelopes.get(1).path("Segments")).stream().anyMatch(s -> s.has("Utterance")), "the sample has partials");
        assertTrue(Readback.rawV1All(VOICE, 100).stream().noneMatch(s -> s.has("Utterance")), "Utterances are not served");
        List<JsonNode> v1 = new ArrayList<>();
        runtime.contactLens().listRealtimeContactAnalysisSegmentsPaginator(r -> r
                        .instanceId(VOICE.instanceId()).contactId(VOICE.contactId()).maxResults(2))
                .forEach(page -> v1.addAll(Readback.sdkJson(page.segments())));
        assertOnceInOrder(voiceSegments, v1, "voice sample");

        // A live chat contact with both streams; the EventBridge job added a summary to its Raw stream.
        List<JsonNode> chatEnvelopes = kinesisEnvelopes(chat);
        assertEquals(Set.of(OutputType.Raw, OutputType.Redacted), runtime.store().find(CHAT).orElseThrow().outputTypes());
        List<JsonNode> raw = new ArrayList<>(list(chatEnvelopes.get(1).path("Segments")));
        List<JsonNode> redacted = list(chatEnvelopes.get(2).path("Segments"));
        assertEquals("Raw", chatEnvelopes.get(1).path("OutputType").asText());
        assertEquals("Redacted", chatEnvelopes.get(2).path("OutputType").asText());
        assertEquals(Set.copyOf(Readback.ALL_V2_TYPES), types(raw, redacted), "the chat sample covers every V2 segment type");
        List<JsonNode> rawRead = Readback.liveV2(connect, CHAT, OutputType.Raw);
        assertOnceInOrder(Readback.asSdkSees(raw), rawRead, "chat sample, Raw");
        List<JsonNode> summary = list(eventBridge.path("detail").path("Segments"));
        assertOnceInOrder(summary, rawRead, "EventBridge sample, Raw");
        assertOnceInOrder(Readback.asSdkSees(redacted), Readback.liveV2(connect, CHAT, OutputType.Redacted), "chat sample, Redacted");

        // A redacted-only chat contact from the SQS job.
        JsonNode jobSegments = Envelopes.parse(sqs.path("Records").get(1).path("body").asText()).path("Segments");
        assertEquals(Set.of(OutputType.Redacted), runtime.store().find(JOB).orElseThrow().outputTypes());
        assertOnceInOrder(Readback.asSdkSees(list(jobSegments)), Readback.liveV2(connect, JOB, OutputType.Redacted), "SQS sample");
        assertThrows(OutputTypeNotFoundException.class, () -> connect.listRealtimeContactAnalysisSegmentsV2(r -> r
                .instanceId(JOB.instanceId()).contactId(JOB.contactId()).outputType("Raw").segmentTypesWithStrings("Transcript")));
        // FIFO attributes a job must set.
        for (JsonNode record : sqs.path("Records")) {
            assertEquals(JOB.contactId(), record.path("attributes").path("MessageGroupId").asText());
            assertTrue(record.path("attributes").hasNonNull("MessageDeduplicationId"));
            assertTrue(record.path("attributes").hasNonNull("SequenceNumber"));
        }
        JsonNode rule = eventBridgeRulePattern();
        assertTrue(texts(rule.path("source")).contains(eventBridge.path("source").asText()), "the rule matches the sample");
        assertTrue(texts(rule.path("detail-type")).contains(eventBridge.path("detail-type").asText()), "the rule matches the sample");
    }

    private static void assertOnceInOrder(List<JsonNode> expected, List<JsonNode> stream, String what) {
        int last = -1;
        for (JsonNode segment : expected) {
            int first = stream.indexOf(segment);
            assertTrue(first >= 0, () -> what + ": segment missing: " + segment + " in " + stream);
            assertEquals(first, stream.lastIndexOf(segment), () -> what + ": segment stored twice: " + segment);
            assertTrue(first > last, () -> what + ": segment out of order: " + segment);
            last = first;
        }
    }

    private static Set<String> types(List<JsonNode> a, List<JsonNode> b) {
        Set<String> names = new java.util.HashSet<>();
        a.forEach(s -> s.fieldNames().forEachRemaining(names::add));
        b.forEach(s -> s.fieldNames().forEachRemaining(names::add));
        return names;
    }

    private static List<JsonNode> kinesisEnvelopes(JsonNode batch) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode record : batch.path("Records")) {
            out.add(Envelopes.parse(Base64.getDecoder().decode(record.path("kinesis").path("data").asText())));
        }
        return out;
    }

    /** The event pattern of the EventBridge writer's rule in template.yaml. */
    private static JsonNode eventBridgeRulePattern() throws IOException {
        JsonNode template = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(Path.of("template.yaml").toFile());
        for (JsonNode event : template.path("Resources").path("EventBridgeIngestFunction").path("Properties").path("Events")) {
            if ("EventBridgeRule".equals(event.path("Type").asText())) {
                return event.path("Properties").path("Pattern");
            }
        }
        throw new AssertionError("EventBridgeIngestFunction has no EventBridgeRule event");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static JsonNode read(String name) throws IOException {
        Path file = EVENTS.resolve(name);
        assertTrue(Files.exists(file), file + " exists");
        return Envelopes.parse(Files.readAllBytes(file));
    }

    /** Each sample is a valid event of its source, by the official events library's model. */
    @Test
    void everySampleIsAnEventOfItsSourceAsTheEventsLibraryModelsIt() {
        KinesisEvent voice = EventLoader.loadKinesisEvent("events/kinesis-voice-stream.json");
        KinesisEvent chat = EventLoader.loadKinesisEvent("events/kinesis-chat-stream.json");
        SQSEvent sqs = EventLoader.loadSQSEvent("events/sqs-analysis-job.json");
        ScheduledEvent eventBridge = EventLoader.loadScheduledEvent("events/eventbridge-analysis-job.json");
        APIGatewayProxyRequestEvent v1 = EventLoader.loadApiGatewayRestEvent("events/api-list-segments-v1.json");
        APIGatewayProxyRequestEvent v2 = EventLoader.loadApiGatewayRestEvent("events/api-list-segments-v2.json");
        for (KinesisEvent batch : List.of(voice, chat)) {
            assertTrue(batch.getRecords().stream().allMatch(r -> r.getKinesis().getSequenceNumber() != null
                    && r.getKinesis().getData().remaining() > 0 && r.getEventID() != null));
        }
        assertTrue(sqs.getRecords().stream().allMatch(m -> m.getMessageId() != null && m.getBody() != null
                && m.getAttributes().containsKey("MessageGroupId")));
        assertEquals("rtca.analysis", eventBridge.getSource());
        assertTrue(eventBridge.getDetail().containsKey("Segments"));
        assertEquals("/realtime-contact-analysis/analysis-segments", v1.getResource());
        assertEquals("POST", v2.getHttpMethod());
        assertEquals(Set.of("InstanceId", "ContactId"), v2.getPathParameters().keySet());
        assertNotNull(v2.getRequestContext().getRequestId());
    }

    /**
     * events/voice-call-demo.jsonl, the call bin/start-api plays and bin/replay replays: not a Kinesis event but a replay
     * file (JSON Lines of envelopes), so its rules are its own: every line an event the writers accept, one voice
     * contact of the demo instance from STARTED to COMPLETED, each Transcript after the Utterances that make it up (which
     * assemble to exactly its words), spoken at the published sample's pace, for about three minutes.
     */
    @Test
    void theDemoCallIsAVoiceCallWhoseUtterancesComeBeforeTheirTranscriptAtTheSamplesPace() throws IOException {
        List<Replay.Timed> call = Replay.read(EVENTS.resolve(DemoCall.FILE));
        assertEquals(152, call.size(), "the README's count of events");
        for (Replay.Timed event : call) {
            JsonNode envelope = event.envelope();
            assertEquals("1.0.0", envelope.path("Version").asText(), "line " + event.line());
            assertEquals("VOICE", envelope.path("Channel").asText(), "line " + event.line());
            assertEquals(INSTANCE, envelope.path("InstanceId").asText(), "the instance of the other demo contacts");
            assertEquals("demo-call", envelope.path("ContactId").asText(), "line " + event.line());
        }
        assertEquals("STARTED", call.getFirst().envelope().path("EventType").asText());
        assertEquals("COMPLETED", call.getLast().envelope().path("EventType").asText());
        assertEquals(185, Math.round(call.getLast().atMillis() / 1000.0), "the README's 3 min 5 s");

        Map<String, List<Utterance>> open = new HashMap<>();
        Set<String> closed = new HashSet<>();
        Set<String> roles = new HashSet<>();
        Set<String> types = new HashSet<>();
        long words = 0;
        long spokenMillis = 0;
        for (Replay.Timed event : call) {
            for (JsonNode segment : event.envelope().path("Segments")) {
                segment.fieldNames().forEachRemaining(types::add);
                JsonNode u = segment.path("Utterance");
                if (u.isObject()) {
                    String transcriptId = u.path("TranscriptId").asText();
                    assertFalse(closed.contains(transcriptId), "an Utterance after its Transcript, line " + event.line());
                    assertTrue(u.path("PartialContent").asText().split(" ").length <= 5, "an Utterance every few words");
                    assertEquals(u.path("EndOffsetMillis").asLong(), event.atMillis(), "an Utterance goes once its words are spoken");
                    open.computeIfAbsent(transcriptId, id -> new ArrayList<>()).add(new Utterance(u.path("Id").asText(), transcriptId,
                            u.path("ParticipantId").asText(), u.path("ParticipantRole").asText(), u.path("PartialContent").asText(),
                            u.path("BeginOffsetMillis").asLong(), u.path("EndOffsetMillis").asLong()));
                }
                JsonNode t = segment.path("Transcript");
                if (t.isObject()) {
                    String id = t.path("Id").asText();
                    List<Utterance> fragments = open.remove(id);
                    assertNotNull(fragments, "a Transcript without Utterances before it, line " + event.line());
                    PartialTranscript partial = PartialTranscript.assemble(fragments);
                    assertEquals(t.path("Content").asText(), partial.text(), "the Utterances make up the Transcript's words");
                    assertEquals(t.path("BeginOffsetMillis").asLong(), partial.beginOffsetMillis());
                    assertEquals(t.path("EndOffsetMillis").asLong(), partial.endOffsetMillis());
                    assertEquals(t.path("ParticipantRole").asText(), partial.participantRole());
                    assertEquals(t.path("EndOffsetMillis").asLong(), event.atMillis(), "a Transcript goes after its last Utterance");
                    closed.add(id);
                    roles.add(t.path("ParticipantRole").asText());
                    words += t.path("Content").asText().split(" ").length;
                    spokenMillis += t.path("EndOffsetMillis").asLong() - t.path("BeginOffsetMillis").asLong();
                }
            }
        }
        assertEquals(Map.of(), open, "every Utterance's Transcript comes");
        assertEquals(28, closed.size(), "the README's 28 turns");
        assertEquals(Set.of("AGENT", "CUSTOMER"), roles);
        assertEquals(Set.of("Utterance", "Transcript", "Categories", "PostContactSummary"), types);
        double pace = words / (spokenMillis / 1000.0);
        assertEquals("2.8", String.format(java.util.Locale.ROOT, "%.1f", pace), "the README's pace, words per second");

        // The pace is the published sample's: its agent line of 11 words spans 19010-22980 ms.
        JsonNode sample = Envelopes.parse(Base64.getDecoder().decode(read("kinesis-voice-stream.json").path("Records").get(1)
                .path("kinesis").path("data").asText())).path("Segments").get(0).path("Utterance");
        assertEquals("Hello, thank you for calling Example Corp. My name is Adam.", sample.path("PartialContent").asText());
        double samplePace = 11 / ((sample.path("EndOffsetMillis").asLong() - sample.path("BeginOffsetMillis").asLong()) / 1000.0);
        assertEquals(samplePace, pace, 0.1, "the demo speaks at the sample's pace (" + samplePace + " words/s)");
    }

    @Test
    void theLiveChatSampleKeepsANextToken() throws IOException {
        assertEquals(List.of(), Readback.invokeBatch("KinesisIngestFunction", read("kinesis-chat-stream.json")));
        ListRealtimeContactAnalysisSegmentsV2Response page = connect.listRealtimeContactAnalysisSegmentsV2(r -> r
                .instanceId(CHAT.instanceId()).contactId(CHAT.contactId()).outputType("Raw")
                .segmentTypesWithStrings(Readback.ALL_V2_TYPES).maxResults(100));
        assertEquals(RealTimeContactAnalysisStatus.IN_PROGRESS, page.status());
        assertNotNull(page.nextToken());
    }
}
