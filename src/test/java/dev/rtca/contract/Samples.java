package dev.rtca.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtca.segments.Segment;
import dev.rtca.segments.SegmentModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Segments of every type with every member set, in the shapes of the two models (spec §2.4, §3.6). */
public final class Samples {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Samples() {
    }

    public static final String V2_TRANSCRIPT = """
            {"Transcript":{"Id":"07a2d668-5c9e-4f69-b2fe-986261b0743a","ParticipantId":"a309ac1e-ca87-44ca-bb5d-197eca8ed77a",
             "ParticipantRole":"AGENT","DisplayName":"Ray","Content":"Hello, thank you for contacting Example Corp. My name is Ray.",
             "ContentType":"text/markdown","Time":{"AbsoluteTime":"2024-03-14T19:39:26.715Z"},
             "Redaction":{"CharacterOffsets":[{"BeginOffsetChar":41,"EndOffsetChar":46}]},"Sentiment":"NEUTRAL"}}""";
    public static final String V2_CATEGORIES = """
            {"Categories":{"MatchedDetails":{"Hi":{"PointsOfInterest":[{"TranscriptItems":[
             {"Id":"5205b050-8aa9-4645-a381-a308801649ab","CharacterOffsets":{"BeginOffsetChar":0,"EndOffsetChar":40}}]}]},
             "Greeting":{"PointsOfInterest":[]}}}}""";
    public static final String V2_ISSUES = """
            {"Issues":{"IssuesDetected":[{"TranscriptItems":[{"Content":"I have an issue with my bank account",
             "Id":"0e5574a7-2aeb-4eab-8bb5-3a7f66a2284a","CharacterOffsets":{"BeginOffsetChar":7,"EndOffsetChar":43}}]}]}}""";
    public static final String V2_EVENT = """
            {"Event":{"Id":"fbe61c5f-d0d8-4345-912a-4e81f5734d3b","ParticipantId":"7810b1de-cca8-4153-b522-2498416255af",
             "ParticipantRole":"CUSTOMER","DisplayName":"Customer","EventType":"application/vnd.amazonaws.connect.event.participant.left",
             "Time":{"AbsoluteTime":"2024-03-14T19:40:00.614Z"}}}""";
    public static final String V2_ATTACHMENTS = """
            {"Attachments":{"Id":"06ddc1eb-2302-4a8e-a73f-37687fe41aa9","ParticipantId":"7810b1de-cca8-4153-b522-2498416255af",
             "ParticipantRole":"CUSTOMER","DisplayName":"Customer","Attachments":[{"AttachmentName":"Lily.jpg","ContentType":"image/jpeg",
             "AttachmentId":"343e34da-391a-4541-8b7e-3909d931fcfa","Status":"APPROVED"}],"Time":{"AbsoluteTime":"2024-03-14T19:39:26.715Z"}}}""";
    public static final String V2_SUMMARY = """
            {"PostContactSummary":{"Content":"Customer contacted Example Corp because of an issue with their bank account",
             "Status":"COMPLETED"}}""";
    public static final String V2_EXTRACTED = """
            {"ExtractedInformation":{"ExtractionDefinitionId":"3f1c0000-1111-2222-3333-444455556666","ExtractionDefinitionName":"Flight number",
             "ExtractionDefinitionDisplayLabel":"Flight #","ExtractedValues":[{"Content":"XX123","PointsOfInterest":[
             {"Id":"0e5574a7-2aeb-4eab-8bb5-3a7f66a2284a","CharacterOffsets":{"BeginOffsetChar":10,"EndOffsetChar":15}}]}]}}""";

    /** One V2 segment of each type the Java SDK 2.40.2 knows (ExtractedInformation is newer than it). */
    public static final List<String> V2_SDK_KNOWN = List.of(V2_TRANSCRIPT, V2_CATEGORIES, V2_ISSUES, V2_EVENT, V2_ATTACHMENTS, V2_SUMMARY);

    public static final String V1_TRANSCRIPT = """
            {"Transcript":{"Id":"121d1581-905f-4169-9804-b841bb4df04a","ParticipantId":"CUSTOMER","ParticipantRole":"CUSTOMER",
             "Content":"I'm having trouble submitting the application, number AX876293 on the portal.","BeginOffsetMillis":19010,
             "EndOffsetMillis":22690,"Sentiment":"NEGATIVE","IssuesDetected":[{"CharacterOffsets":{"BeginOffsetChar":0,"EndOffsetChar":81}}]}}""";
    public static final String V1_CATEGORIES = """
            {"Categories":{"MatchedCategories":["CreditCardRelated","CardBrokenIssue"],"MatchedDetails":{
             "CreditCardRelated":{"PointsOfInterest":[{"BeginOffsetMillis":19010,"EndOffsetMillis":22690}]},
             "CardBrokenIssue":{"PointsOfInterest":[{"BeginOffsetMillis":25000,"EndOffsetMillis":29690}]}}}}""";
    public static final String V1_SUMMARY = """
            {"PostContactSummary":{"Content":"Customer contacted Example Corp because of an issue with their application",
             "Status":"FAILED","FailureCode":"INSUFFICIENT_CONVERSATION_CONTENT"}}""";
    public static final String V1_EXTRACTED = """
            {"ExtractedInformation":{"ExtractionDefinitionId":"9a1c0000-1111-2222-3333-444455556666","ExtractionDefinitionName":"Account number",
             "ExtractedValues":[{"Content":"AX876293","PointsOfInterest":[{"BeginOffsetMillis":19010,"EndOffsetMillis":22690}]}]}}""";

    public static Segment v2(String json) {
        return SegmentModel.V2.parse(tree(json), "segment").orElseThrow();
    }

    public static Segment v1(String json) {
        return SegmentModel.V1.parse(tree(json), "segment").orElseThrow();
    }

    public static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The segments as JSON trees, to compare with what a client decoded. */
    public static List<JsonNode> wire(List<Segment> segments) {
        return segments.stream().map(s -> tree(s.json())).toList();
    }

    /** A distinct transcript segment (V2), numbered so a test can tell every segment apart. */
    public static Segment v2Transcript(int n, String role) {
        return v2("{\"Transcript\":{\"Id\":\"t-" + n + "\",\"ParticipantId\":\"p-1\",\"ParticipantRole\":\"" + role
                + "\",\"Content\":\"message " + n + "\",\"Time\":{\"AbsoluteTime\":\"2024-03-14T19:39:26.715Z\"}}}");
    }

    /** A distinct event segment (V2). */
    public static Segment v2Event(int n) {
        return v2("{\"Event\":{\"Id\":\"e-" + n + "\",\"EventType\":\"application/vnd.amazonaws.connect.event.typing\","
                + "\"Time\":{\"AbsoluteTime\":\"2024-03-14T19:40:00.614Z\"}}}");
    }

    /** A distinct voice transcript segment (V1). */
    public static Segment v1Transcript(int n) {
        return v1("{\"Transcript\":{\"Id\":\"t-" + n + "\",\"ParticipantId\":\"AGENT\",\"ParticipantRole\":\"AGENT\","
                + "\"Content\":\"utterance " + n + "\",\"BeginOffsetMillis\":" + (n * 1000) + ",\"EndOffsetMillis\":" + (n * 1000 + 900) + "}}");
    }
}
