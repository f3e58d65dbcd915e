package dev.rtca.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.rtca.fixtures.Samples;
import dev.rtca.segments.Segment;
import dev.rtca.segments.SegmentType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Both segment models: canonical form, timestamps, every kind of violation with its path, and inclusive limits. */
class SegmentModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String EMOJI = "\uD83D\uDE00"; // one code point, two UTF-16 chars, four UTF-8 bytes

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String compact(String json) {
        try {
            return JSON.writeValueAsString(tree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample with the member at {@code pointer} replaced by {@code value}, or removed when value is null. */
    private static JsonNode with(String sample, String pointer, JsonNode value) {
        JsonNode root = tree(sample);
        JsonPointer at = JsonPointer.compile(pointer);
        JsonNode parent = root.at(at.head());
        String last = at.last().getMatchingProperty();
        if (parent.isArray()) {
            int index = at.last().getMatchingIndex();
            if (value == null) {
                ((ArrayNode) parent).remove(index);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        } else if (value == null) {
            ((ObjectNode) parent).remove(last);
        } else {
            ((ObjectNode) parent).set(last, value);
        }
        return root;
    }

    private static ArrayNode repeat(JsonNode item, int times) {
        ArrayNode list = NODES.arrayNode();
        for (int i = 0; i < times; i++) {
            list.add(item.deepCopy());
        }
        return list;
    }

    private static Segment parse(SegmentModel model, JsonNode segment) {
        return model.parse(segment, "segment").orElseThrow();
    }

    // ------------------------------------------------------------------ samples

    static Stream<Arguments> samples() {
        return Stream.of(
                Arguments.of("V1", Samples.V1_TRANSCRIPT, SegmentType.Transcript),
                Arguments.of("V1", Samples.V1_CATEGORIES, SegmentType.Categories),
                Arguments.of("V1", Samples.V1_SUMMARY, SegmentType.PostContactSummary),
                Arguments.of("V1", Samples.V1_EXTRACTED, SegmentType.ExtractedInformation),
                Arguments.of("V2", Samples.V2_TRANSCRIPT, SegmentType.Transcript),
                Arguments.of("V2", Samples.V2_CATEGORIES, SegmentType.Categories),
                Arguments.of("V2", Samples.V2_ISSUES, SegmentType.Issues),
                Arguments.of("V2", Samples.V2_EVENT, SegmentType.Event),
                Arguments.of("V2", Samples.V2_ATTACHMENTS, SegmentType.Attachments),
                Arguments.of("V2", Samples.V2_SUMMARY, SegmentType.PostContactSummary),
                Arguments.of("V2", Samples.V2_EXTRACTED, SegmentType.ExtractedInformation));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("samples")
    void everySampleParsesToItsCompactCanonicalForm(String version, String sample, SegmentType type) {
        SegmentModel model = version.equals("V1") ? SegmentModel.V1 : SegmentModel.V2;
        Segment segment = parse(model, tree(sample));
        assertEquals(type, segment.type());
        // The samples are already in model order with no unknown members: canonical = compact.
        assertEquals(compact(sample), segment.json());
        // Canonicalising is idempotent.
        assertEquals(segment.json(), parse(model, tree(segment.json())).json());
    }

    @Test
    void v2OnlyTypesAreUnknownToV1() {
        for (String sample : List.of(Samples.V2_ISSUES, Samples.V2_EVENT, Samples.V2_ATTACHMENTS)) {
            ModelViolation e = assertThrows(ModelViolation.class, () -> SegmentModel.V1.parse(tree(sample), "segment"));
            assertTrue(e.getMessage().contains("unknown member"), e.getMessage());
        }
    }

    // ------------------------------------------------------------------ canonical form

    @Test
    void unknownMembersAreDroppedAndMembersFollowModelOrder() {
        String scrambled = """
                {"Transcript":{"Sentiment":"POSITIVE","Extra":{"nested":[1,2]},"Time":{"AbsoluteTime":"2024-03-14T19:39:26.715Z"},
                 "Content":"hi","ParticipantRole":"CUSTOMER","DisplayName":null,"ParticipantId":"p","Id":"t",
                 "Redaction":{"Unknown":true,"CharacterOffsets":[{"EndOffsetChar":2,"Other":0,"BeginOffsetChar":1}]}}}""";
        assertEquals("{\"Transcript\":{\"Id\":\"t\",\"ParticipantId\":\"p\",\"ParticipantRole\":\"CUSTOMER\",\"Content\":\"hi\","
                        + "\"Time\":{\"AbsoluteTime\":\"2024-03-14T19:39:26.715Z\"},"
                        + "\"Redaction\":{\"CharacterOffsets\":[{\"BeginOffsetChar\":1,\"EndOffsetChar\":2}]},\"Sentiment\":\"POSITIVE\"}}",
                parse(SegmentModel.V2, tree(scrambled)).json());
    }

    @Test
    void v1MembersAreReorderedToo() {
        String scrambled = """
                {"PostContactSummary":{"FailureCode":"INTERNAL_ERROR","Status":"FAILED","x":1}}""";
        assertEquals("{\"PostContactSummary\":{\"Status\":\"FAILED\",\"FailureCode\":\"INTERNAL_ERROR\"}}",
                parse(SegmentModel.V1, tree(scrambled)).json());
    }

    @Test
    void nullSiblingsOfTheUnionMemberAreIgnored() {
        String json = "{\"Event\":null,\"PostContactSummary\":{\"Status\":\"COMPLETED\",\"Content\":null},\"Issues\":null}";
        Segment segment = parse(SegmentModel.V2, tree(json));
        assertEquals(SegmentType.PostContactSummary, segment.type());
        assertEquals("{\"PostContactSummary\":{\"Status\":\"COMPLETED\"}}", segment.json());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"2024-03-14T19:39:26.715Z\"        | 2024-03-14T19:39:26.715Z",
            "\"2024-03-14T21:39:26.715+02:00\"   | 2024-03-14T19:39:26.715Z",
            "\"2024-03-14T14:09:26.715-05:30\"   | 2024-03-14T19:39:26.715Z",
            "\"2024-03-14T19:39:26Z\"            | 2024-03-14T19:39:26.000Z",
            "\"2024-03-14T19:39:26.7Z\"          | 2024-03-14T19:39:26.700Z",
            "\"2024-03-14T19:39:26.715999999Z\"  | 2024-03-14T19:39:26.715Z",
            "\"2024-03-15T01:09:26.715+05:30\"   | 2024-03-14T19:39:26.715Z",
            "\"2024-03-14T19:39:26.715+00:00\"   | 2024-03-14T19:39:26.715Z",
            "1710445166.715                      | 2024-03-14T19:39:26.715Z",
            "1710445166                          | 2024-03-14T19:39:26.000Z",
            "0                                   | 1970-01-01T00:00:00.000Z",
            "\"9999-12-31T23:59:59.999Z\"        | 9999-12-31T23:59:59.999Z",
            "\"0001-01-01T00:00:00Z\"            | 0001-01-01T00:00:00.000Z",
            // Epoch seconds at the ends of the four-digit-year range.
            "-62135596800                        | 0001-01-01T00:00:00.000Z",
            "253402300799.999                    | 9999-12-31T23:59:59.999Z",
    })
    void timestampsAreNormalisedToUtcMillis(String input, String expected) {
        JsonNode event = with(Samples.V2_EVENT, "/Event/Time/AbsoluteTime", tree(input));
        JsonNode canonical = tree(parse(SegmentModel.V2, event).json());
        String time = canonical.at("/Event/Time/AbsoluteTime").textValue();
        assertEquals(expected, time);
        assertTrue(time.matches("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"), "the JS v3 SDK's pattern: " + time);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"2024-03-14 19:39:26Z\"",
            "\"2024-03-14T19:39:26\"",
            "\"yesterday\"",
            "\"\"",
            "true",
            "{}",
            "[]",
            // Out of the four-digit-year range the SDKs parse (e.g. epoch milliseconds sent as seconds).
            "1710445166715000",
            "1e300",
            "-62135596801",
            "-62135596800.001",
            "253402300800",
            "\"+10000-01-01T00:00:00Z\"",
            "\"0000-06-01T00:00:00Z\"",
            "\"-0001-01-01T00:00:00Z\"",
    })
    void badTimestampsAreViolations(String input) {
        JsonNode event = with(Samples.V2_EVENT, "/Event/Time/AbsoluteTime", tree(input));
        ModelViolation e = assertThrows(ModelViolation.class, () -> SegmentModel.V2.parse(event, "segment"));
        assertTrue(e.getMessage().startsWith("segment.Event.Time.AbsoluteTime"), e.getMessage());
    }

    @Test
    void anInfiniteNumberIsAViolationNotACrash() {
        JsonNode event = with(Samples.V2_EVENT, "/Event/Time/AbsoluteTime", NODES.numberNode(Double.POSITIVE_INFINITY));
        assertThrows(ModelViolation.class, () -> SegmentModel.V2.parse(event, "segment"));
    }

    // ------------------------------------------------------------------ violations

    static Stream<Arguments> violations() {
        List<Arguments> out = new ArrayList<>();
        TextNode emptyText = TextNode.valueOf("");
        // missing required (absent and null)
        out.add(v2("missing required", with(Samples.V2_TRANSCRIPT, "/Transcript/Content", null), "segment.Transcript.Content", "is required"));
        out.add(v2("required null", with(Samples.V2_TRANSCRIPT, "/Transcript/Time", NODES.nullNode()), "segment.Transcript.Time", "is required"));
        out.add(v1("V1 missing required", with(Samples.V1_TRANSCRIPT, "/Transcript/EndOffsetMillis", null),
                "segment.Transcript.EndOffsetMillis", "is required"));
        out.add(v1("V1 missing MatchedCategories", with(Samples.V1_CATEGORIES, "/Categories/MatchedCategories", null),
                "segment.Categories.MatchedCategories", "is required"));
        out.add(v2("missing nested required", with(Samples.V2_ATTACHMENTS, "/Attachments/Attachments/0/AttachmentId", null),
                "segment.Attachments.Attachments[0].AttachmentId", "is required"));
        // wrong type
        out.add(v1("integer as string", with(Samples.V1_TRANSCRIPT, "/Transcript/BeginOffsetMillis", TextNode.valueOf("10")),
                "segment.Transcript.BeginOffsetMillis", "32-bit integer"));
        out.add(v2("string as number", with(Samples.V2_TRANSCRIPT, "/Transcript/Content", NODES.numberNode(5)),
                "segment.Transcript.Content", "must be a string"));
        out.add(v2("struct as string", with(Samples.V2_TRANSCRIPT, "/Transcript/Redaction", TextNode.valueOf("x")),
                "segment.Transcript.Redaction", "must be an object"));
        out.add(v2("list as object", with(Samples.V2_ATTACHMENTS, "/Attachments/Attachments", NODES.objectNode()),
                "segment.Attachments.Attachments", "must be a list"));
        out.add(v2("map as list", with(Samples.V2_CATEGORIES, "/Categories/MatchedDetails", NODES.arrayNode()),
                "segment.Categories.MatchedDetails", "must be a map"));
        out.add(v2("segment body as list", tree("{\"Transcript\":[]}"), "segment.Transcript", "must be an object"));
        // enum
        out.add(v2("enum value", with(Samples.V2_TRANSCRIPT, "/Transcript/Sentiment", TextNode.valueOf("HAPPY")),
                "segment.Transcript.Sentiment", "must be one of"));
        out.add(v2("enum case", with(Samples.V2_TRANSCRIPT, "/Transcript/ParticipantRole", TextNode.valueOf("agent")),
                "segment.Transcript.ParticipantRole", "must be one of"));
        out.add(v2("enum as number", with(Samples.V2_SUMMARY, "/PostContactSummary/Status", NODES.numberNode(1)),
                "segment.PostContactSummary.Status", "must be one of"));
        out.add(v1("V1 failure code", with(Samples.V1_SUMMARY, "/PostContactSummary/FailureCode", TextNode.valueOf("MAX_PACKAGE_FEATURE_ONLY")),
                "segment.PostContactSummary.FailureCode", "must be one of"));
        out.add(v2("attachment status", with(Samples.V2_ATTACHMENTS, "/Attachments/Attachments/0/Status", TextNode.valueOf("PENDING")),
                "segment.Attachments.Attachments[0].Status", "must be one of"));
        // string length (code points)
        out.add(v2("empty id", with(Samples.V2_EVENT, "/Event/Id", emptyText), "segment.Event.Id", "length must be 1..256, was 0"));
        out.add(v2("id 257", with(Samples.V2_EVENT, "/Event/Id", TextNode.valueOf("x".repeat(257))), "segment.Event.Id", "was 257"));
        out.add(v2("id 257 emoji", with(Samples.V2_EVENT, "/Event/Id", TextNode.valueOf(EMOJI.repeat(257))), "segment.Event.Id", "was 257"));
        out.add(v2("EventType 129", with(Samples.V2_EVENT, "/Event/EventType", TextNode.valueOf("e".repeat(129))),
                "segment.Event.EventType", "1..128"));
        out.add(v2("content 16385", with(Samples.V2_TRANSCRIPT, "/Transcript/Content", TextNode.valueOf("c".repeat(16_385))),
                "segment.Transcript.Content", "was 16385"));
        out.add(v2("content 16385 emoji", with(Samples.V2_TRANSCRIPT, "/Transcript/Content", TextNode.valueOf(EMOJI.repeat(16_385))),
                "segment.Transcript.Content", "was 16385"));
        out.add(v2("V2 summary 1271", with(Samples.V2_SUMMARY, "/PostContactSummary/Content", TextNode.valueOf("s".repeat(1271))),
                "segment.PostContactSummary.Content", "1..1270"));
        out.add(v1("V1 summary 1763", with(Samples.V1_SUMMARY, "/PostContactSummary/Content", TextNode.valueOf("s".repeat(1763))),
                "segment.PostContactSummary.Content", "1..1762"));
        out.add(v2("display label 26 emoji", with(Samples.V2_EXTRACTED, "/ExtractedInformation/ExtractionDefinitionDisplayLabel",
                TextNode.valueOf(EMOJI.repeat(26))), "segment.ExtractedInformation.ExtractionDefinitionDisplayLabel", "was 26"));
        out.add(v2("attachment content type 256", with(Samples.V2_ATTACHMENTS, "/Attachments/Attachments/0/ContentType",
                TextNode.valueOf("t".repeat(256))), "segment.Attachments.Attachments[0].ContentType", "1..255"));
        // pattern \S (V1)
        out.add(v1("V1 blank id", with(Samples.V1_TRANSCRIPT, "/Transcript/Id", TextNode.valueOf(" \t ")),
                "segment.Transcript.Id", "non-whitespace"));
        out.add(v1("V1 blank content", with(Samples.V1_TRANSCRIPT, "/Transcript/Content", TextNode.valueOf("\n")),
                "segment.Transcript.Content", "non-whitespace"));
        out.add(v1("V1 blank category", with(Samples.V1_CATEGORIES, "/Categories/MatchedCategories/0", TextNode.valueOf("  ")),
                "segment.Categories.MatchedCategories[0]", "non-whitespace"));
        // integers
        out.add(v2("negative offset", with(Samples.V2_TRANSCRIPT, "/Transcript/Redaction/CharacterOffsets/0/BeginOffsetChar", NODES.numberNode(-1)),
                "segment.Transcript.Redaction.CharacterOffsets[0].BeginOffsetChar", "at least 0"));
        out.add(v1("V1 negative millis", with(Samples.V1_CATEGORIES, "/Categories/MatchedDetails/CardBrokenIssue/PointsOfInterest/0/EndOffsetMillis",
                NODES.numberNode(-5)), "segment.Categories.MatchedDetails.CardBrokenIssue.PointsOfInterest[0].EndOffsetMillis", "at least 0"));
        out.add(v1("non-integer", with(Samples.V1_TRANSCRIPT, "/Transcript/BeginOffsetMillis", NODES.numberNode(1.5)),
                "segment.Transcript.BeginOffsetMillis", "32-bit integer"));
        out.add(v1("integer beyond 32 bits", with(Samples.V1_TRANSCRIPT, "/Transcript/EndOffsetMillis", NODES.numberNode(2_147_483_648L)),
                "segment.Transcript.EndOffsetMillis", "32-bit integer"));
        out.add(v1("boolean integer", with(Samples.V1_TRANSCRIPT, "/Transcript/EndOffsetMillis", NODES.booleanNode(true)),
                "segment.Transcript.EndOffsetMillis", "32-bit integer"));
        // list max
        JsonNode attachment = tree(Samples.V2_ATTACHMENTS).at("/Attachments/Attachments/0");
        out.add(v2("11 attachments", with(Samples.V2_ATTACHMENTS, "/Attachments/Attachments", repeat(attachment, 11)),
                "segment.Attachments.Attachments", "at most 10 items, had 11"));
        JsonNode issue = tree(Samples.V1_TRANSCRIPT).at("/Transcript/IssuesDetected/0");
        out.add(v1("V1 21 issues", with(Samples.V1_TRANSCRIPT, "/Transcript/IssuesDetected", repeat(issue, 21)),
                "segment.Transcript.IssuesDetected", "at most 20 items"));
        JsonNode poi = tree(Samples.V2_CATEGORIES).at("/Categories/MatchedDetails/Hi/PointsOfInterest/0");
        out.add(v2("6 points of interest", with(Samples.V2_CATEGORIES, "/Categories/MatchedDetails/Hi/PointsOfInterest", repeat(poi, 6)),
                "segment.Categories.MatchedDetails.Hi.PointsOfInterest", "at most 5 items"));
        JsonNode item = poi.at("/TranscriptItems/0");
        out.add(v2("11 transcript items", with(Samples.V2_CATEGORIES, "/Categories/MatchedDetails/Hi/PointsOfInterest/0/TranscriptItems",
                repeat(item, 11)), "segment.Categories.MatchedDetails.Hi.PointsOfInterest[0].TranscriptItems", "at most 10 items"));
        out.add(v1("V1 151 categories", with(Samples.V1_CATEGORIES, "/Categories/MatchedCategories", repeat(TextNode.valueOf("c"), 151)),
                "segment.Categories.MatchedCategories", "at most 150 items"));
        // map max and keys
        ObjectNode details = NODES.objectNode();
        for (int i = 0; i < 151; i++) {
            details.set("category-" + i, tree("{\"PointsOfInterest\":[]}"));
        }
        out.add(v2("151 categories", with(Samples.V2_CATEGORIES, "/Categories/MatchedDetails", details),
                "segment.Categories.MatchedDetails", "at most 150 entries, had 151"));
        out.add(v2("empty category name", with(Samples.V2_CATEGORIES, "/Categories/MatchedDetails", tree("{\"\":{\"PointsOfInterest\":[]}}")),
                "segment.Categories.MatchedDetails key ''", "length must be 1..256"));
        // unions
        out.add(v2("union with no member", tree("{}"), "segment", "exactly one member set, had 0"));
        out.add(v2("union with only nulls", tree("{\"Transcript\":null,\"Event\":null}"), "segment", "had 0"));
        out.add(v2("union with two members", tree("{\"PostContactSummary\":{\"Status\":\"COMPLETED\"},\"Event\":"
                + tree(Samples.V2_EVENT).get("Event") + "}"), "segment", "exactly one member set, had 2"));
        out.add(v2("unknown union member", tree("{\"Sentiment\":{\"Label\":\"POSITIVE\"}}"), "segment", "unknown member 'Sentiment'"));
        out.add(v2("lower-case union member", tree("{\"transcript\":{}}"), "segment", "unknown member 'transcript'"));
        out.add(v2("V2 Utterance", tree("{\"Utterance\":{}}"), "segment", "unknown member 'Utterance'"));
        out.add(v2("time union empty", with(Samples.V2_EVENT, "/Event/Time", NODES.objectNode()), "segment.Event.Time", "had 0"));
        out.add(v2("time union unknown", with(Samples.V2_EVENT, "/Event/Time", tree("{\"RelativeTime\":5}")),
                "segment.Event.Time", "unknown member 'RelativeTime'"));
        out.add(v2("time union two members", with(Samples.V2_EVENT, "/Event/Time",
                tree("{\"AbsoluteTime\":\"2024-03-14T19:39:26.715Z\",\"RelativeTime\":5}")), "segment.Event.Time", "had 2"));
        out.add(v2("segment not an object", TextNode.valueOf("Transcript"), "segment", "must be an object"));
        out.add(v2("segment a list", tree("[" + Samples.V2_EVENT + "]"), "segment", "must be an object"));
        // nulls inside collections
        out.add(v2("null list element", with(Samples.V2_ATTACHMENTS, "/Attachments/Attachments/0", NODES.nullNode()),
                "segment.Attachments.Attachments[0]", "must not be null"));
        out.add(v1("V1 null category", with(Samples.V1_CATEGORIES, "/Categories/MatchedCategories/1", NODES.nullNode()),
                "segment.Categories.MatchedCategories[1]", "must not be null"));
        out.add(v2("null map value", with(Samples.V2_CATEGORIES, "/Categories/MatchedDetails/Hi", NODES.nullNode()),
                "segment.Categories.MatchedDetails.Hi", "must not be null"));
        // size
        out.add(v1("V1 transcript over 300 KB", with(Samples.V1_TRANSCRIPT, "/Transcript/Content", TextNode.valueOf("x".repeat(310_000))),
                "segment", "larger than " + SegmentModel.MAX_SEGMENT_BYTES));
        out.add(v1("V1 transcript over 300 KB in UTF-8 only", with(Samples.V1_TRANSCRIPT, "/Transcript/Content",
                TextNode.valueOf("\u20ac".repeat(110_000))), "segment", "larger than"));
        // a voice Utterance is validated even though it is never served
        out.add(v1("V1 Utterance without PartialContent", tree("{\"Utterance\":{\"Id\":\"u\",\"ParticipantId\":\"AGENT\","
                + "\"ParticipantRole\":\"AGENT\",\"BeginOffsetMillis\":0,\"EndOffsetMillis\":10}}"), "segment.Utterance.PartialContent", "is required"));
        return out.stream();
    }

    private static Arguments v1(String name, JsonNode segment, String path, String rule) {
        return Arguments.of(name, SegmentModel.V1, segment, path, rule);
    }

    private static Arguments v2(String name, JsonNode segment, String path, String rule) {
        return Arguments.of(name, SegmentModel.V2, segment, path, rule);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void violationNamesTheMemberAndTheRule(String name, SegmentModel model, JsonNode segment, String path, String rule) {
        ModelViolation e = assertThrows(ModelViolation.class, () -> model.parse(segment, "segment"));
        assertTrue(e.getMessage().startsWith(path + " "), () -> "path " + path + " in: " + e.getMessage());
        assertTrue(e.getMessage().contains(rule), () -> "rule '" + rule + "' in: " + e.getMessage());
    }

    // ------------------------------------------------------------------ limits are inclusive

    static Stream<Arguments> atTheLimit() {
        JsonNode attachment = tree(Samples.V2_ATTACHMENTS).at("/Attachments/Attachments/0");
        ObjectNode details = NODES.objectNode();
        for (int i = 0; i < 150; i++) {
            details.set("category-" + i, tree("{\"PointsOfInterest\":[]}"));
        }
        return Stream.of(
                Arguments.of("content 16384 emoji", SegmentModel.V2,
                        with(Samples.V2_TRANSCRIPT, "/Transcript/Content", TextNode.valueOf(EMOJI.repeat(16_384)))),
                Arguments.of("id 256 chars", SegmentModel.V2, with(Samples.V2_EVENT, "/Event/Id", TextNode.valueOf("x".repeat(256)))),
                Arguments.of("display label 25 emoji", SegmentModel.V2, with(Samples.V2_EXTRACTED,
                        "/ExtractedInformation/ExtractionDefinitionDisplayLabel", TextNode.valueOf(EMOJI.repeat(25)))),
                Arguments.of("empty display label", SegmentModel.V2, with(Samples.V2_EXTRACTED,
                        "/ExtractedInformation/ExtractionDefinitionDisplayLabel", TextNode.valueOf(""))),
                Arguments.of("V2 summary 1270", SegmentModel.V2,
                        with(Samples.V2_SUMMARY, "/PostContactSummary/Content", TextNode.valueOf("s".repeat(1270)))),
                Arguments.of("V1 summary 1762", SegmentModel.V1,
                        with(Samples.V1_SUMMARY, "/PostContactSummary/Content", TextNode.valueOf("s".repeat(1762)))),
                Arguments.of("10 attachments", SegmentModel.V2, with(Samples.V2_ATTACHMENTS, "/Attachments/Attachments", repeat(attachment, 10))),
                Arguments.of("150 categories", SegmentModel.V2, with(Samples.V2_CATEGORIES, "/Categories/MatchedDetails", details)),
                Arguments.of("offset 0 and int max", SegmentModel.V1, with(with(Samples.V1_TRANSCRIPT, "/Transcript/BeginOffsetMillis",
                        NODES.numberNode(0)).toString(), "/Transcript/EndOffsetMillis", NODES.numberNode(Integer.MAX_VALUE))),
                Arguments.of("V1 free-form participant role", SegmentModel.V1,
                        with(Samples.V1_TRANSCRIPT, "/Transcript/ParticipantRole", TextNode.valueOf("SUPERVISOR-ish"))),
                Arguments.of("V1 transcript just under 300 KB", SegmentModel.V1,
                        with(Samples.V1_TRANSCRIPT, "/Transcript/Content", TextNode.valueOf("x".repeat(300 * 1024 - 400)))),
                Arguments.of("no optional members", SegmentModel.V2, tree("{\"Event\":{\"Id\":\"e\",\"EventType\":\"t\","
                        + "\"Time\":{\"AbsoluteTime\":\"2024-03-14T19:39:26.715Z\"}}}")),
                Arguments.of("empty issues", SegmentModel.V2, tree("{\"Issues\":{\"IssuesDetected\":[]}}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("atTheLimit")
    void valuesAtTheLimitAreAccepted(String name, SegmentModel model, JsonNode segment) {
        Segment parsed = parse(model, segment);
        assertTrue(parsed.json().getBytes(StandardCharsets.UTF_8).length <= SegmentModel.MAX_SEGMENT_BYTES);
        assertEquals(segment.fieldNames().next(), parsed.type().name());
    }

    @Test
    void aSegmentOfExactlyTheMaximumSizeIsAcceptedAndOneByteMoreIsNot() {
        int base = parse(SegmentModel.V1, with(Samples.V1_TRANSCRIPT, "/Transcript/Content", TextNode.valueOf("x")))
                .json().getBytes(StandardCharsets.UTF_8).length - 1;
        int fill = SegmentModel.MAX_SEGMENT_BYTES - base;
        Segment largest = parse(SegmentModel.V1, with(Samples.V1_TRANSCRIPT, "/Transcript/Content", TextNode.valueOf("x".repeat(fill))));
        assertEquals(SegmentModel.MAX_SEGMENT_BYTES, largest.json().getBytes(StandardCharsets.UTF_8).length);
        JsonNode tooLarge = with(Samples.V1_TRANSCRIPT, "/Transcript/Content", TextNode.valueOf("x".repeat(fill + 1)));
        ModelViolation e = assertThrows(ModelViolation.class, () -> SegmentModel.V1.parse(tooLarge, "segment"));
        assertEquals("segment is larger than " + SegmentModel.MAX_SEGMENT_BYTES + " bytes", e.getMessage());
    }

    // ------------------------------------------------------------------ voice partials

    @Test
    void voiceUtterancesAreValidButNotServed() {
        JsonNode utterance = tree("{\"Utterance\":{\"Id\":\"u-1\",\"TranscriptId\":\"t-1\",\"ParticipantId\":\"CUSTOMER\","
                + "\"ParticipantRole\":\"CUSTOMER\",\"PartialContent\":\"I'm having\",\"BeginOffsetMillis\":19010,\"EndOffsetMillis\":20000}}");
        assertEquals(Optional.empty(), SegmentModel.V1.parse(utterance, "segment"));
        // Empty partial content is allowed (min 0).
        JsonNode empty = with(utterance.toString(), "/Utterance/PartialContent", TextNode.valueOf(""));
        assertEquals(Optional.empty(), SegmentModel.V1.parse(empty, "segment"));
    }
}
