package dev.rtca.ingest;

import static dev.rtca.fixtures.Envelopes.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.fixtures.Envelopes;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.Segment;
import dev.rtca.segments.SegmentType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Envelope parsing: both schema versions, both settings spellings, the output rules, and every poison kind. */
class EnvelopeTest {
    private static final ContactKey CONTACT = new ContactKey(Envelopes.INSTANCE, "contact-1");

    // ---- voice ---------------------------------------------------------------------------------------

    @Test
    void voiceStartedDeclaresRawOnly() {
        Envelope e = Envelope.parse(Envelopes.voice(CONTACT, "STARTED"));
        assertEquals("1.0.0", e.version());
        assertEquals(EventType.STARTED, e.eventType());
        assertEquals(Channel.VOICE, e.channel());
        assertEquals(CONTACT, e.contact());
        assertEquals(Set.of(OutputType.Raw), e.outputs());
        assertNull(e.stream());
        assertNull(e.eventId());
    }

    @Test
    void voiceStartedTakesStreamingSettingsOutputWhenPresent() {
        ObjectNode started = Envelopes.voice(CONTACT, "STARTED");
        started.putObject("StreamingSettings").put("Output", "RedactedAndRaw");
        assertEquals(Set.of(OutputType.Raw, OutputType.Redacted), Envelope.parse(started).outputs());
    }

    @Test
    void voiceSegmentsGoToRawDropPartialsAndKeepOrder() {
        List<ObjectNode> segments = List.of(Envelopes.v1Utterance("a"), Envelopes.v1Transcript("1", false),
                Envelopes.v1Utterance("b"), Envelopes.v1Transcript("2", true), Envelopes.v1Categories("x"),
                Envelopes.v1PostContactSummary("s"), Envelopes.v1ExtractedInformation("e"));
        Envelope e = Envelope.parse(Envelopes.voiceSegments(CONTACT, segments));
        assertEquals(EventType.SEGMENTS, e.eventType());
        assertEquals(OutputType.Raw, e.stream());
        assertEquals(2, e.utterances().size());
        assertEquals(List.of(SegmentType.Transcript, SegmentType.Transcript, SegmentType.Categories,
                SegmentType.PostContactSummary, SegmentType.ExtractedInformation), e.segments().stream().map(Segment::type).toList());
        assertEquals(Envelopes.stored(segments), e.segments().stream().map(s -> Envelopes.parse(s.json())).toList());
    }

    @Test
    void voiceSegmentsHonourAnExplicitOutputType() {
        ObjectNode env = Envelopes.voiceSegments(CONTACT, List.of(Envelopes.v1Transcript("1", false)));
        env.put("OutputType", "Redacted");
        assertEquals(OutputType.Redacted, Envelope.parse(env).stream());
    }

    @Test
    void voiceSegmentsWithOnlyPartialsStoreNothing() {
        Envelope e = Envelope.parse(Envelopes.voiceSegments(CONTACT, List.of(Envelopes.v1Utterance("a"))));
        assertEquals(List.of(), e.segments());
        assertEquals(1, e.utterances().size());
    }

    @ParameterizedTest
    @CsvSource({"COMPLETED", "FAILED"})
    void voiceTerminalEvents(String type) {
        Envelope e = Envelope.parse(Envelopes.voice(CONTACT, type));
        assertEquals(EventType.valueOf(type), e.eventType());
        assertEquals(List.of(), e.segments());
    }

    // ---- chat ----------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
            "StreamingSettings, Raw, Raw",
            "StreamingSettings, Redacted, Redacted",
            "StreamingSettings, RedactedAndRaw, Raw+Redacted",
            "StreamingEventSettings, Raw, Raw",
            "StreamingEventSettings, Redacted, Redacted",
            "StreamingEventSettings, RedactedAndRaw, Raw+Redacted"})
    void chatStartedDeclaresOutputsFromEitherSettingsSpelling(String member, String output, String expected) {
        ObjectNode started = Envelopes.chat(CONTACT, "STARTED", null);
        started.putObject(member).put("LanguageCode", "en-US").put("Output", output);
        Envelope e = Envelope.parse(started);
        assertEquals(Channel.CHAT, e.channel());
        assertEquals("2.0.0", e.version());
        assertEquals(Stream.of(expected.split("\\+")).map(OutputType::valueOf).collect(java.util.stream.Collectors.toSet()), e.outputs());
    }

    @Test
    void startedWithoutSettingsDeclaresTheOutputTypeItNames() {
        ObjectNode started = Envelopes.chat(CONTACT, "STARTED", null);
        started.put("OutputType", "Redacted");
        assertEquals(Set.of(OutputType.Redacted), Envelope.parse(started).outputs());
    }

    @Test
    void startedSettingsOutputWinsOverTheOutputTypeMember() {
        for (String output : List.of("Raw", "Redacted")) {
            ObjectNode started = Envelopes.chat(CONTACT, "STARTED", output);
            started.put("OutputType", output.equals("Raw") ? "Redacted" : "Raw");
            assertEquals(Set.of(OutputType.valueOf(output)), Envelope.parse(started).outputs(), output);
        }
    }

    @Test
    void chatStartedWithoutSettingsDeclaresRaw() {
        assertEquals(Set.of(OutputType.Raw), Envelope.parse(Envelopes.chat(CONTACT, "STARTED", null)).outputs());
    }

    @Test
    void streamingSettingsWinsOverTheSampleSpelling() {
        ObjectNode started = Envelopes.chat(CONTACT, "STARTED", "Redacted");
        started.putObject("StreamingEventSettings").put("Output", "Raw");
        assertEquals(Set.of(OutputType.Redacted), Envelope.parse(started).outputs());
    }

    @ParameterizedTest
    @CsvSource({
            // OutputType member, settings Output, expected stream
            "Raw, Redacted, Raw",
            "Redacted, Raw, Redacted",
            ", Redacted, Redacted",
            ", RedactedAndRaw, Raw",
            ", Raw, Raw",
            ", , Raw"})
    void chatSegmentsStream(String outputType, String settingsOutput, String expected) {
        ObjectNode env = Envelopes.chat(CONTACT, "SEGMENTS", settingsOutput);
        if (outputType != null) {
            env.put("OutputType", outputType);
        }
        env.putArray("Segments").add(Envelopes.v2Transcript("1", false));
        assertEquals(OutputType.valueOf(expected), Envelope.parse(env).stream());
    }

    @Test
    void chatSegmentsOfEveryTypeAreCanonicalAndInOrder() {
        List<ObjectNode> segments = Envelopes.allV2("t", true);
        Envelope e = Envelope.parse(Envelopes.chatSegments(CONTACT, "Redacted", segments));
        assertEquals(List.of(SegmentType.Transcript, SegmentType.Categories, SegmentType.Issues, SegmentType.Event,
                SegmentType.Attachments, SegmentType.PostContactSummary, SegmentType.ExtractedInformation),
                e.segments().stream().map(Segment::type).toList());
        assertEquals(segments, e.segments().stream().map(s -> Envelopes.parse(s.json())).toList());
        assertEquals(List.of(), e.utterances());
    }

    @Test
    void chatTimestampsAreNormalisedToUtcMillis() {
        ObjectNode segment = Envelopes.v2Transcript("1", false);
        ((ObjectNode) segment.path("Transcript").path("Time")).put("AbsoluteTime", "2024-03-14T20:39:26.7+01:00");
        Envelope e = Envelope.parse(Envelopes.chatSegments(CONTACT, "Raw", List.of(segment)));
        assertEquals("2024-03-14T19:39:26.700Z",
                Envelopes.parse(e.segments().get(0).json()).path("Transcript").path("Time").path("AbsoluteTime").asText());
    }

    @Test
    void chatCompletedWithTheSampleSettingsSpelling() {
        ObjectNode completed = Envelopes.chat(CONTACT, "COMPLETED", null);
        completed.putObject("StreamingEventSettings").put("Output", "RedactedAndRaw");
        assertEquals(EventType.COMPLETED, Envelope.parse(completed).eventType());
    }

    @Test
    void theDocumentedChatSampleParses() {
        String sample = """
                {"Version":"2.0.0","Channel":"CHAT","AccountId":"123456789012",
                 "InstanceId":"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111","ContactId":"a1b2c3d4-5678-90ab-cdef-EXAMPLE22222",
                 "OutputType":"Redacted","StreamingEventType":"SEGMENTS",
                 "StreamingSettings":{"LanguageCode":"en-US","Output":"RedactedAndRaw","RedactionTypes":["PII"],
                   "RedactionTypesMetadata":{"PII":{"RedactionMaskMode":"PII"}}},
                 "Segments":[
                  {"Transcript":{"Id":"07a2d668-5c9e-4f69-b2fe-986261b0743a","ParticipantId":"a309ac1e-ca87-44ca-bb5d-197eca8ed77a",
                    "ParticipantRole":"AGENT","DisplayName":"[PII]",
                    "Content":"Hello, thank you for contacting Example Corp. My name is Ray.",
                    "ContentType":"text/markdown","Time":{"AbsoluteTime":"2024-03-14T19:39:26.715Z"},"Sentiment":"NEUTRAL"}},
                  {"Categories":{"MatchedDetails":{"Hi":{"PointsOfInterest":[{"TranscriptItems":[
                    {"Id":"5205b050-8aa9-4645-a381-a308801649ab","CharacterOffsets":{"BeginOffsetChar":0,"EndOffsetChar":40}}]}]}}}},
                  {"PostContactSummary":{"Content":"Customer contacted Example Corp","Status":"COMPLETED"}}]}
                """;
        Envelope e = Envelope.parse(sample);
        assertEquals(OutputType.Redacted, e.stream());
        assertEquals(3, e.segments().size());
        assertEquals("a1b2c3d4-5678-90ab-cdef-EXAMPLE22222", e.contact().contactId());
    }

    // ---- event keys ----------------------------------------------------------------------------------

    @Test
    void anExplicitEventIdIsTheIdempotencyKey() {
        ObjectNode env = Envelopes.chatSegments(CONTACT, "Raw", List.of(Envelopes.v2Transcript("1", false)));
        env.put("EventId", "job-42");
        Envelope e = Envelope.parse(env);
        assertEquals("job-42", e.eventId());
        assertEquals("id:job-42", e.eventKey("sqs:message-1"));
        assertEquals("id:job-42", e.eventKey("events:other"));
    }

    @Test
    void withoutEventIdTheDeliveryKeyIsUsed() {
        Envelope e = Envelope.parse(Envelopes.chatSegments(CONTACT, "Raw", List.of()));
        assertEquals("kinesis:shardId-000000000000:49", e.eventKey("kinesis:shardId-000000000000:49"));
        assertThrows(IllegalArgumentException.class, () -> e.eventKey(" "));
    }

    // ---- poison --------------------------------------------------------------------------------------

    static Stream<Arguments> poison() {
        return Stream.of(
                raw("invalid JSON", "{\"Version\": \"1.0.0\", ", "invalid JSON"),
                raw("trailing garbage", "{\"Version\":\"1.0.0\"} x", "invalid JSON"),
                raw("duplicate member", "{\"Version\":\"1.0.0\",\"Version\":\"2.0.0\"}", "invalid JSON"),
                raw("empty", "", "the event must be a JSON object, was empty"),
                raw("blank", " \n ", "the event must be a JSON object, was empty"),
                raw("array", "[1,2]", "the event must be a JSON object, was array"),
                raw("string", "\"STARTED\"", "the event must be a JSON object, was string"),
                raw("null", "null", "the event must be a JSON object, was null"),
                raw("not UTF-8", "\u00ff", null),
                voice("missing Version", e -> e.remove("Version"), "Version is required"),
                voice("unknown Version", e -> e.put("Version", "3.0.0"), "Version is not supported"),
                voice("numeric Version", e -> e.put("Version", 1), "Version must be a string"),
                voice("missing Channel", e -> e.remove("Channel"), "Channel is required"),
                voice("TASK channel", e -> e.put("Channel", "TASK"), "Channel is not supported"),
                voice("EMAIL channel", e -> e.put("Channel", "EMAIL"), "VOICE and CHAT contacts only"),
                voice("voice schema, chat channel", e -> e.put("Channel", "CHAT"), "Channel CHAT does not match Version 1.0.0"),
                chat("chat schema, voice channel", e -> e.put("Channel", "VOICE"), "Channel VOICE does not match Version 2.0.0"),
                voice("missing InstanceId", e -> e.remove("InstanceId"), "InstanceId is required"),
                voice("null ContactId", e -> e.putNull("ContactId"), "ContactId is required"),
                voice("empty ContactId", e -> e.put("ContactId", ""), "ContactId length must be 1..256"),
                voice("blank ContactId", e -> e.put("ContactId", "   "), "ContactId must contain a non-whitespace"),
                voice("no-break-space ContactId (blank to the model's \\S)", e -> e.put("ContactId", "\u00a0\ufeff"),
                        "ContactId must contain a non-whitespace"),
                voice("numeric ContactId", e -> e.put("ContactId", 42), "ContactId must be a string"),
                voice("oversized InstanceId", e -> e.put("InstanceId", "i".repeat(257)), "InstanceId length must be 1..256, was 257"),
                voice("oversized EventId", e -> e.put("EventId", "e".repeat(257)), "EventId length must be 1..256"),
                voice("empty EventId", e -> e.put("EventId", ""), "EventId length must be 1..256"),
                voice("object EventId", e -> e.putObject("EventId"), "EventId must be a string"),
                voice("missing EventType", e -> e.remove("EventType"), "EventType is required"),
                voice("voice with StreamingEventType", e -> e.put("StreamingEventType", e.remove("EventType").asText()),
                        "StreamingEventType belongs to the other schema version"),
                chat("chat with EventType", e -> e.put("EventType", e.remove("StreamingEventType").asText()),
                        "StreamingEventType is required"),
                voice("unknown EventType", e -> e.put("EventType", "PAUSED"), "EventType must be one of [STARTED, SEGMENTS, COMPLETED, FAILED]"),
                chat("lower-case event type", e -> e.put("StreamingEventType", "segments"), "StreamingEventType must be one of"),
                chat("unknown Output", e -> ((ObjectNode) e.get("StreamingSettings")).put("Output", "Everything"),
                        "StreamingSettings.Output must be one of [Raw, Redacted, RedactedAndRaw]"),
                chat("settings not an object", e -> e.put("StreamingSettings", "Raw"), "StreamingSettings must be an object"),
                chat("unknown OutputType", e -> e.put("OutputType", "RAW"), "OutputType must be one of [Raw, Redacted]"),
                chat("missing Segments", e -> e.remove("Segments"), "Segments is required"),
                chat("Segments not a list", e -> e.putObject("Segments"), "Segments must be a list"),
                chat("segment missing a required member", e -> ((ObjectNode) e.get("Segments").get(1).get("Transcript")).remove("Time"),
                        "Segments[1].Transcript.Time is required"),
                chat("segment with two members",
                        e -> ((ObjectNode) e.get("Segments").get(0)).set("Issues", Envelopes.v2Issues("x").get("Issues")),
                        "Segments[0] must have exactly one member set"),
                chat("unknown segment type", e -> ((ArrayNode) e.get("Segments")).addObject().putObject("Sentiment"),
                        "Segments[3] has unknown member 'Sentiment'"),
                chat("bad enum", e -> ((ObjectNode) e.get("Segments").get(2).get("Transcript")).put("ParticipantRole", "BOT"),
                        "Segments[2].Transcript.ParticipantRole must be one of"),
                chat("oversized Content", e -> ((ObjectNode) e.get("Segments").get(2).get("Transcript")).put("Content", "x".repeat(16385)),
                        "Segments[2].Transcript.Content length must be 1..16384, was 16385"),
                chat("voice partial in a chat envelope", e -> ((ArrayNode) e.get("Segments")).add(Envelopes.v1Utterance("u")),
                        "has unknown member 'Utterance'"),
                voice("chat segment in a voice envelope", e -> e.putArray("Segments").add(Envelopes.v2Transcript("1", false)),
                        "Segments[0].Transcript.BeginOffsetMillis is required", "SEGMENTS"),
                voice("oversized PostContactSummary", e -> {
                            ObjectNode summary = Envelopes.v1PostContactSummary("s");
                            ((ObjectNode) summary.get("PostContactSummary")).put("Content", "p".repeat(1763));
                            e.putArray("Segments").add(summary);
                        },
                        "Segments[0].PostContactSummary.Content length must be 1..1762", "SEGMENTS"));
    }

    private static Arguments raw(String name, String text, String reason) {
        byte[] bytes = name.equals("not UTF-8") ? new byte[] {'{', '"', 'V', '"', ':', '"', (byte) 0xff, '"', '}'}
                : text.getBytes(StandardCharsets.UTF_8);
        return Arguments.of(name, bytes, reason, false);
    }

    private static Arguments voice(String name, Consumer<ObjectNode> change, String reason) {
        return voice(name, change, reason, "STARTED");
    }

    private static Arguments voice(String name, Consumer<ObjectNode> change, String reason, String type) {
        ObjectNode env = Envelopes.voice(CONTACT, type);
        change.accept(env);
        return Arguments.of(name, Envelopes.bytes(env), reason, Envelope.contactOf(env) != null);
    }

    private static Arguments chat(String name, Consumer<ObjectNode> change, String reason) {
        ObjectNode env = Envelopes.chatSegments(CONTACT, "Raw", List.of(Envelopes.v2Transcript("0", false),
                Envelopes.v2Transcript("1", false), Envelopes.v2Transcript("2", false)));
        change.accept(env);
        return Arguments.of(name, Envelopes.bytes(env), reason, Envelope.contactOf(env) != null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void poison(String name, byte[] event, String reason, boolean contactReadable) {
        PoisonEventException e = assertThrows(PoisonEventException.class, () -> Envelope.parse(event));
        if (reason != null) {
            assertTrue(e.reason().contains(reason), () -> "reason '" + e.reason() + "' should contain '" + reason + "'");
        }
        // The contact is named whenever its IDs are readable, so adapters can keep that contact's order.
        assertEquals(contactReadable, e.contact().isPresent(), "contact of the rejection");
        if (contactReadable) {
            assertEquals(CONTACT, e.contact().get());
        }
    }

    @Test
    void oneBadSegmentRejectsTheWholeEvent() {
        List<ObjectNode> segments = new java.util.ArrayList<>(Envelopes.allV2("t", false));
        ObjectNode bad = Envelopes.v2Event("bad");
        ((ObjectNode) bad.get("Event")).put("EventType", "e".repeat(129));
        segments.add(bad);
        segments.add(Envelopes.v2Transcript("after", false));
        PoisonEventException e = assertThrows(PoisonEventException.class,
                () -> Envelope.parse(Envelopes.chatSegments(CONTACT, "Raw", segments)));
        assertTrue(e.reason().startsWith("Segments[7].Event.EventType length must be 1..128"), e.reason());
    }

    @Test
    void aHugeRejectedValueIsNotEchoedWhole() {
        ObjectNode env = Envelopes.voice(CONTACT, "STARTED");
        env.put("EventType", "X".repeat(100_000));
        PoisonEventException e = assertThrows(PoisonEventException.class, () -> Envelope.parse(env));
        assertTrue(e.reason().length() < 200, "reason length " + e.reason().length());
    }

    @Test
    void parseFromATreeAndFromBytesAgree() {
        ObjectNode env = Envelopes.chatSegments(CONTACT, null, Envelopes.allV2("x", false));
        env.put("EventId", "evt-1");
        Envelope fromTree = Envelope.parse((JsonNode) env);
        Envelope fromBytes = Envelope.parse(Envelopes.bytes(env));
        assertEquals(fromTree, fromBytes);
        assertEquals(OutputType.Raw, fromTree.stream());
    }

    @Test
    void aNonObjectTreeIsPoison() {
        assertThrows(PoisonEventException.class, () -> Envelope.parse(JSON.createArrayNode()));
        assertThrows(PoisonEventException.class, () -> Envelope.parse((JsonNode) null));
        assertEquals("the event must be a JSON object, was array",
                assertThrows(PoisonEventException.class, () -> Envelope.parse(JSON.createArrayNode())).reason());
        assertEquals("the event must be a JSON object, was empty",
                assertThrows(PoisonEventException.class, () -> Envelope.parse((JsonNode) null)).reason());
        assertEquals("the event must be a JSON object, was number",
                assertThrows(PoisonEventException.class, () -> Envelope.parse(JSON.getNodeFactory().numberNode(1))).reason());
    }

    /** A value a producer wrote can be a customer's words: a reason names the member and the rule, never the value. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesThatMustNotBeEchoed")
    void aReasonNamesTheMemberAndTheRuleButNeverEchoesTheValue(String member, Consumer<ObjectNode> change) {
        ObjectNode env = Envelopes.chatSegments(CONTACT, "Raw", List.of(Envelopes.v2Transcript("1", false)));
        change.accept(env);
        PoisonEventException e = assertThrows(PoisonEventException.class, () -> Envelope.parse(env));
        assertFalse(e.reason().contains("card"), e.reason());
        assertFalse(e.reason().contains("4111"), e.reason());
        assertEquals(member, e.member().orElse(null), e.reason());
        assertTrue(e.reason().startsWith(member + " "), e.reason());
    }

    static Stream<Arguments> valuesThatMustNotBeEchoed() {
        String phrase = "Hello card 4111 1111";
        return Stream.of(
                Arguments.of("Version", (Consumer<ObjectNode>) e -> e.put("Version", phrase)),
                Arguments.of("Channel", (Consumer<ObjectNode>) e -> e.put("Channel", phrase)),
                Arguments.of("StreamingEventType", (Consumer<ObjectNode>) e -> e.put("StreamingEventType", phrase)),
                Arguments.of("OutputType", (Consumer<ObjectNode>) e -> e.put("OutputType", phrase)),
                Arguments.of("StreamingSettings.Output", (Consumer<ObjectNode>) e -> e.putObject("StreamingSettings").put("Output", phrase)),
                Arguments.of("ContactId", (Consumer<ObjectNode>) e -> e.put("ContactId", phrase.repeat(20))),
                Arguments.of("EventId", (Consumer<ObjectNode>) e -> e.put("EventId", phrase.repeat(20))),
                Arguments.of("Segments[0].Transcript.Sentiment", (Consumer<ObjectNode>) e -> transcript(e).put("Sentiment", phrase)),
                Arguments.of("Segments[0].Transcript.ParticipantRole", (Consumer<ObjectNode>) e -> transcript(e).put("ParticipantRole", phrase)),
                Arguments.of("Segments[0].Transcript.Content", (Consumer<ObjectNode>) e -> transcript(e).put("Content", phrase.repeat(1000))),
                Arguments.of("Segments[0].Transcript.DisplayName", (Consumer<ObjectNode>) e -> transcript(e).put("DisplayName", phrase.repeat(20))),
                Arguments.of("Segments[0].Transcript.Time.AbsoluteTime",
                        (Consumer<ObjectNode>) e -> ((ObjectNode) transcript(e).get("Time")).put("AbsoluteTime", phrase)));
    }

    private static ObjectNode transcript(ObjectNode envelope) {
        return (ObjectNode) envelope.get("Segments").get(0).get("Transcript");
    }
}
