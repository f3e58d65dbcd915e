package dev.rtca.model;

import static dev.rtca.model.Shape.enumOf;
import static dev.rtca.model.Shape.integer;
import static dev.rtca.model.Shape.listOf;
import static dev.rtca.model.Shape.mapOf;
import static dev.rtca.model.Shape.nonBlank;
import static dev.rtca.model.Shape.string;
import static dev.rtca.model.Shape.struct;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.segments.Segment;
import dev.rtca.segments.SegmentType;
import dev.rtca.segments.Utterance;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The segment shapes of the two service models (docs/architecture.md, "Wire model"): V1 for voice
 * contacts (Contact Lens), V2 for chat contacts (Connect, a tagged union). Parsing validates a segment
 * and yields its canonical wire JSON, the form the store keeps and the list operations return.
 */
public final class SegmentModel {
    /** Largest canonical segment accepted: DynamoDB items are capped at 400 KB. */
    public static final int MAX_SEGMENT_BYTES = 300 * 1024;

    private static final String[] PCS_FAILURE_CODES = {"QUOTA_EXCEEDED", "INSUFFICIENT_CONVERSATION_CONTENT",
            "FAILED_SAFETY_GUIDELINES", "INVALID_ANALYSIS_CONFIGURATION", "INTERNAL_ERROR"};
    private static final String[] EXTRACTION_FAILURE_CODES = {"QUOTA_EXCEEDED", "INSUFFICIENT_CONVERSATION_CONTENT",
            "FAILED_SAFETY_GUIDELINES", "INTERNAL_ERROR", "MAX_PACKAGE_FEATURE_ONLY"};
    private static final Shape PCS_STATUS = enumOf("FAILED", "COMPLETED");

    /**
     * Voice: Contact Lens ListRealtimeContactAnalysisSegments shapes; voice streams' Utterance partials are accepted and
     * kept apart ({@link Element.Partial}), never served.
     */
    public static final SegmentModel V1 = v1();
    /** Chat: Connect ListRealtimeContactAnalysisSegmentsV2 union members. */
    public static final SegmentModel V2 = v2();

    private static final String UTTERANCE = "Utterance";

    private final Map<String, Shape> members;

    private SegmentModel(Map<String, Shape> members) {
        this.members = members;
    }

    /**
     * A validated element of a {@code Segments} list: a segment to store, or a voice {@code Utterance} (a partial,
     * kept apart from the streams and never served by a list operation).
     */
    public sealed interface Element {
        /** A segment of the stream, in its canonical wire JSON. */
        record Stored(Segment segment) implements Element {
        }

        /**
         * A voice Utterance; {@code utterance} is null when it names no {@code TranscriptId} (optional in the model): it
         * belongs to no transcript, so nothing can assemble it.
         */
        record Partial(Utterance utterance) implements Element {
        }
    }

    /**
     * Validates one union element such as {@code {"Transcript":{...}}}.
     *
     * @return the canonical segment, or empty for a valid voice {@code Utterance} (a partial, never served)
     * @throws ModelViolation naming the member and rule broken, with {@code path} as the element's name
     */
    public Optional<Segment> parse(JsonNode element, String path) {
        return element(element, path) instanceof Element.Stored stored ? Optional.of(stored.segment()) : Optional.empty();
    }

    /**
     * Validates one union element: a segment, or a voice Utterance as the {@link Utterance} it describes.
     *
     * @throws ModelViolation naming the member and rule broken, with {@code path} as the element's name
     */
    public Element element(JsonNode element, String path) {
        Map.Entry<String, JsonNode> only = Shape.onlyMember(element, path, members.keySet());
        String name = only.getKey();
        JsonNode body = members.get(name).canonical(only.getValue(), path + "." + name);
        ObjectNode canonical = Json.mapper().createObjectNode().set(name, body);
        String json;
        try {
            json = Json.mapper().writeValueAsString(canonical);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a JSON tree", e);
        }
        if (json.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
            throw new ModelViolation(path, "is larger than " + MAX_SEGMENT_BYTES + " bytes");
        }
        if (name.equals(UTTERANCE)) { // kept in an item of its own, as a segment is: the same bound
            return new Element.Partial(utterance(body));
        }
        JsonNode id = body.get("Id");
        return new Element.Stored(new Segment(SegmentType.valueOf(name), json, id != null && id.isTextual() ? id.textValue() : null));
    }

    /** The Utterance a validated {@code Utterance} body describes; null when it names no transcript. */
    private static Utterance utterance(JsonNode body) {
        JsonNode transcriptId = body.get("TranscriptId");
        if (transcriptId == null || !transcriptId.isTextual()) {
            return null;
        }
        return new Utterance(body.get("Id").textValue(), transcriptId.textValue(), body.get("ParticipantId").textValue(),
                body.get("ParticipantRole").textValue(), body.get("PartialContent").textValue(),
                body.get("BeginOffsetMillis").longValue(), body.get("EndOffsetMillis").longValue());
    }

    private static SegmentModel v1() {
        Shape characterOffsets = struct()
                .required("BeginOffsetChar", integer(0))
                .required("EndOffsetChar", integer(0));
        Shape pointOfInterest = struct()
                .required("BeginOffsetMillis", integer(0))
                .required("EndOffsetMillis", integer(0));
        Shape id = nonBlank(1, 256);

        Map<String, Shape> members = new LinkedHashMap<>();
        members.put("Transcript", struct()
                .required("Id", id)
                .required("ParticipantId", id)
                .required("ParticipantRole", id)
                .required("Content", nonBlank(1, 0))
                .required("BeginOffsetMillis", integer(0))
                .required("EndOffsetMillis", integer(0))
                .optional("Sentiment", enumOf("POSITIVE", "NEUTRAL", "NEGATIVE"))
                .optional("IssuesDetected", listOf(struct().required("CharacterOffsets", characterOffsets), 20)));
        members.put("Categories", struct()
                .required("MatchedCategories", listOf(id, 150))
                .required("MatchedDetails", mapOf(id,
                        struct().required("PointsOfInterest", listOf(pointOfInterest, 20)), 150)));
        members.put("PostContactSummary", struct()
                .optional("Content", string(1, 1762))
                .required("Status", PCS_STATUS)
                .optional("FailureCode", enumOf(PCS_FAILURE_CODES)));
        members.put("ExtractedInformation", extractedInformation(pointOfInterest));
        members.put(UTTERANCE, struct()
                .required("Id", id)
                .optional("TranscriptId", id)
                .required("ParticipantId", id)
                .required("ParticipantRole", id)
                .required("PartialContent", string(0, 0))
                .required("BeginOffsetMillis", integer(0))
                .required("EndOffsetMillis", integer(0)));
        return new SegmentModel(members);
    }

    private static SegmentModel v2() {
        Shape text256 = string(1, 256);
        Shape participantRole = enumOf("AGENT", "CUSTOMER", "SYSTEM", "CUSTOM_BOT", "SUPERVISOR");
        Shape characterInterval = struct()
                .required("BeginOffsetChar", integer(0))
                .required("EndOffsetChar", integer(0));
        Shape time = Shape.union(Map.of("AbsoluteTime", Shape.timestamp()));
        Shape itemWithOffsets = struct()
                .required("Id", text256)
                .optional("CharacterOffsets", characterInterval);

        Map<String, Shape> members = new LinkedHashMap<>();
        members.put("Transcript", struct()
                .required("Id", text256)
                .required("ParticipantId", text256)
                .required("ParticipantRole", participantRole)
                .optional("DisplayName", text256)
                .required("Content", string(1, 16384))
                .optional("ContentType", text256)
                .required("Time", time)
                .optional("Redaction", struct().optional("CharacterOffsets", listOf(characterInterval, 0)))
                .optional("Sentiment", enumOf("POSITIVE", "NEGATIVE", "NEUTRAL")));
        members.put("Categories", struct()
                .required("MatchedDetails", mapOf(text256, struct().required("PointsOfInterest",
                        listOf(struct().optional("TranscriptItems", listOf(itemWithOffsets, 10)), 5)), 150)));
        members.put("Issues", struct()
                .required("IssuesDetected", listOf(struct().required("TranscriptItems", listOf(struct()
                        .optional("Content", string(1, 16384))
                        .required("Id", text256)
                        .optional("CharacterOffsets", characterInterval), 0)), 0)));
        members.put("Event", struct()
                .required("Id", text256)
                .optional("ParticipantId", text256)
                .optional("ParticipantRole", participantRole)
                .optional("DisplayName", text256)
                .required("EventType", string(1, 128))
                .required("Time", time));
        members.put("Attachments", struct()
                .required("Id", text256)
                .required("ParticipantId", text256)
                .required("ParticipantRole", participantRole)
                .optional("DisplayName", text256)
                .required("Attachments", listOf(struct()
                        .required("AttachmentName", text256)
                        .optional("ContentType", string(1, 255))
                        .required("AttachmentId", text256)
                        .optional("Status", enumOf("APPROVED", "REJECTED", "IN_PROGRESS")), 10))
                .required("Time", time));
        members.put("PostContactSummary", struct()
                .optional("Content", string(1, 1270))
                .required("Status", PCS_STATUS)
                .optional("FailureCode", enumOf(PCS_FAILURE_CODES)));
        members.put("ExtractedInformation", extractedInformation(itemWithOffsets));
        return new SegmentModel(members);
    }

    /** The same in both models but for the point-of-interest shape (millisecond offsets in V1, transcript items in V2). */
    private static Shape extractedInformation(Shape pointOfInterest) {
        return struct()
                .required("ExtractionDefinitionId", string(1, 256))
                .required("ExtractionDefinitionName", string(1, 200))
                .optional("ExtractionDefinitionDisplayLabel", string(0, 25))
                .optional("ExtractedValues", listOf(struct()
                        .required("Content", string(1, 1024))
                        .required("PointsOfInterest", listOf(pointOfInterest, 10)), 0))
                .optional("FailureCode", enumOf(EXTRACTION_FAILURE_CODES));
    }
}
