package dev.rtca.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.segments.ContactKey;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builds envelopes of the documented shapes (spec/api-wire.md §7) and segments of every type, already in
 * canonical form (model member order, timestamps as UTC with milliseconds), so a segment read back must
 * equal the one sent, field for field.
 */
final class Envelopes {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String INSTANCE = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";

    private Envelopes() {
    }

    static ContactKey newContact() {
        return new ContactKey(INSTANCE, UUID.randomUUID().toString());
    }

    // ---- voice (Version 1.0.0) ---------------------------------------------------------------------------

    static ObjectNode voice(ContactKey contact, String eventType) {
        ObjectNode e = JSON.createObjectNode();
        e.put("Version", "1.0.0");
        e.put("Channel", "VOICE");
        e.put("AccountId", "123456789012");
        e.put("InstanceId", contact.instanceId());
        e.put("ContactId", contact.contactId());
        e.put("LanguageCode", "en-US");
        e.put("EventType", eventType);
        return e;
    }

    static ObjectNode voiceSegments(ContactKey contact, List<? extends JsonNode> segments) {
        ObjectNode e = voice(contact, "SEGMENTS");
        e.putArray("Segments").addAll(segments);
        return e;
    }

    static ObjectNode v1Utterance(String tag) {
        ObjectNode u = JSON.createObjectNode();
        ObjectNode b = u.putObject("Utterance");
        b.put("Id", "utt-" + tag);
        b.put("TranscriptId", "tr-" + tag);
        b.put("ParticipantId", "AGENT");
        b.put("ParticipantRole", "AGENT");
        b.put("PartialContent", "partial " + tag);
        b.put("BeginOffsetMillis", 100);
        b.put("EndOffsetMillis", 200);
        return u;
    }

    static ObjectNode v1Transcript(String tag, boolean withIssues) {
        ObjectNode s = JSON.createObjectNode();
        ObjectNode b = s.putObject("Transcript");
        b.put("Id", "tr-" + tag);
        b.put("ParticipantId", withIssues ? "CUSTOMER" : "AGENT");
        b.put("ParticipantRole", withIssues ? "CUSTOMER" : "AGENT");
        b.put("Content", "Transcript " + tag + ": I can't login to the portal.");
        b.put("BeginOffsetMillis", 19010);
        b.put("EndOffsetMillis", 22690);
        b.put("Sentiment", withIssues ? "NEGATIVE" : "NEUTRAL");
        if (withIssues) {
            ObjectNode offsets = b.putArray("IssuesDetected").addObject().putObject("CharacterOffsets");
            offsets.put("BeginOffsetChar", 8);
            offsets.put("EndOffsetChar", 12);
        }
        return s;
    }

    static ObjectNode v1Categories(String tag) {
        ObjectNode s = JSON.createObjectNode();
        ObjectNode b = s.putObject("Categories");
        b.putArray("MatchedCategories").add("Cat" + tag).add("CardBrokenIssue");
        ObjectNode details = b.putObject("MatchedDetails");
        ObjectNode poi = details.putObject("Cat" + tag).putArray("PointsOfInterest").addObject();
        poi.put("BeginOffsetMillis", 19010);
        poi.put("EndOffsetMillis", 22690);
        ObjectNode poi2 = details.putObject("CardBrokenIssue").putArray("PointsOfInterest").addObject();
        poi2.put("BeginOffsetMillis", 25000);
        poi2.put("EndOffsetMillis", 29690);
        return s;
    }

    static ObjectNode v1PostContactSummary(String tag) {
        ObjectNode s = JSON.createObjectNode();
        ObjectNode b = s.putObject("PostContactSummary");
        b.put("Content", "Summary " + tag + ": customer could not log in.");
        b.put("Status", "COMPLETED");
        return s;
    }

    static ObjectNode v1ExtractedInformation(String tag) {
        ObjectNode s = JSON.createObjectNode();
        ObjectNode b = s.putObject("ExtractedInformation");
        b.put("ExtractionDefinitionId", "def-" + tag);
        b.put("ExtractionDefinitionName", "Application number");
        b.put("ExtractionDefinitionDisplayLabel", "App #");
        ObjectNode value = b.putArray("ExtractedValues").addObject();
        value.put("Content", "AX876293");
        ObjectNode poi = value.putArray("PointsOfInterest").addObject();
        poi.put("BeginOffsetMillis", 19010);
        poi.put("EndOffsetMillis", 22690);
        return s;
    }

    // ---- chat (Version 2.0.0) ----------------------------------------------------------------------------

    /** A chat envelope; {@code output} is StreamingSettings.Output (null: no settings). */
    static ObjectNode chat(ContactKey contact, String eventType, String output) {
        ObjectNode e = JSON.createObjectNode();
        e.put("Version", "2.0.0");
        e.put("Channel", "CHAT");
        e.put("AccountId", "123456789012");
        e.put("InstanceId", contact.instanceId());
        e.put("ContactId", contact.contactId());
        e.put("StreamingEventType", eventType);
        if (output != null) {
            ObjectNode settings = e.putObject("StreamingSettings");
            settings.put("LanguageCode", "en-US");
            settings.put("Output", output);
            settings.putArray("RedactionTypes").add("PII");
            settings.putObject("RedactionTypesMetadata").putObject("PII").put("RedactionMaskMode", "PII");
        }
        return e;
    }

    static ObjectNode chatSegments(ContactKey contact, String outputType, List<? extends JsonNode> segments) {
        ObjectNode e = chat(contact, "SEGMENTS", "RedactedAndRaw");
        if (outputType != null) {
            e.put("OutputType", outputType);
        }
        e.putArray("Segments").addAll(segments);
        return e;
    }

    private static ObjectNode time(ObjectNode parent, String instant) {
        parent.putObject("Time").put("AbsoluteTime", instant);
        return parent;
    }

    static ObjectNode v2Transcript(String tag, boolean redacted) {
        ObjectNode s = JSON.createObjectNode();
        ObjectNode b = s.putObject("Transcript");
        b.put("Id", "tr-" + tag);
        b.put("ParticipantId", "7810b1de-cca8-4153-b522-2498416255af");
        b.put("ParticipantRole", "CUSTOMER");
        b.put("DisplayName", redacted ? "[PII]" : "Jane");
        b.put("Content", "Hi " + tag + ", I have an issue with my bank account " + (redacted ? "[PII]" : "12345"));
        b.put("ContentType", "text/plain");
        time(b, "2024-03-14T19:39:31.002Z");
        if (redacted) {
            ObjectNode offsets = b.putObject("Redaction").putArray("CharacterOffsets").addObject();
            offsets.put("BeginOffsetChar", 41);
            offsets.put("EndOffsetChar", 46);
        }
        b.put("Sentiment", "NEGATIVE");
        return s;
    }

    static ObjectNode v2Categories(String tag) {
        ObjectNode s = JSON.createObjectNode();
        ObjectNode item = s.putObject("Categories").putObject("MatchedDetails").putObject("Cat" + tag)
                .putArray("PointsOfInterest").addObject().putArray("TranscriptItems").addObject();
        item.put("Id", "tr-" + tag);
        item.putObject("CharacterOffsets").put("BeginOffsetChar", 0).put("EndOffsetChar", 40);
        return s;
    }

    static ObjectNode v2Issues(String tag) {
        ObjectNode s = JSON.createObjectNode();
        ObjectNode item = s.putObject("Issues").putArray("IssuesDetected").addObject().putArray("TranscriptItems").addObject();
        item.put("Content", "I have an issue with my bank account");
        item.put("Id", "tr-" + tag);
        item.putObject("CharacterOffsets").put("BeginOffsetChar", 7).put("EndOffsetChar", 43);
        return s;
    }

    static ObjectNode v2Event(String tag) {
        ObjectNode s = JSON.createObjectNode();
        ObjectNode b = s.putObject("Event");
        b.put("Id", "ev-" + tag);
        b.put("ParticipantId", "7810b1de-cca8-4153-b522-2498416255af");
        b.put("ParticipantRole", "CUSTOMER");
        b.put("DisplayName", "Customer");
        b.put("EventType", "application/vnd.amazonaws.connect.event.participant.left");
        time(b, "2024-03-14T19:40:00.614Z");
        return s;
    }

    static ObjectNode v2Attachments(String tag) {
        ObjectNode s = JSON.createObjectNode();
        ObjectNode b = s.putObject("Attachments");
        b.put("Id", "at-" + tag);
        b.put("ParticipantId", "7810b1de-cca8-4153-b522-2498416255af");
        b.put("ParticipantRole", "CUSTOMER");
        b.put("DisplayName", "Customer");
        ObjectNode a = b.putArray("Attachments").addObject();
        a.put("AttachmentName", "Lily-" + tag + ".jpg");
        a.put("ContentType", "image/jpeg");
        a.put("AttachmentId", "343e34da-391a-4541-8b7e-3909d931fcfa");
        a.put("Status", "APPROVED");
        time(b, "2024-03-14T19:39:26.715Z");
        return s;
    }

    static ObjectNode v2PostContactSummary(String tag) {
        ObjectNode s = JSON.createObjectNode();
        ObjectNode b = s.putObject("PostContactSummary");
        b.put("Content", "Summary " + tag + ": an issue with a bank account.");
        b.put("Status", "COMPLETED");
        return s;
    }

    static ObjectNode v2PostContactSummaryFailed() {
        ObjectNode s = JSON.createObjectNode();
        ObjectNode b = s.putObject("PostContactSummary");
        b.put("Status", "FAILED");
        b.put("FailureCode", "INSUFFICIENT_CONVERSATION_CONTENT");
        return s;
    }

    static ObjectNode v2ExtractedInformation(String tag) {
        ObjectNode s = JSON.createObjectNode();
        ObjectNode b = s.putObject("ExtractedInformation");
        b.put("ExtractionDefinitionId", "def-" + tag);
        b.put("ExtractionDefinitionName", "Bank account number");
        b.put("ExtractionDefinitionDisplayLabel", "Account #");
        ObjectNode value = b.putArray("ExtractedValues").addObject();
        value.put("Content", "12345");
        ObjectNode poi = value.putArray("PointsOfInterest").addObject();
        poi.put("Id", "tr-" + tag);
        poi.putObject("CharacterOffsets").put("BeginOffsetChar", 41).put("EndOffsetChar", 46);
        return s;
    }

    /** One segment of each V2 type (Transcript, Categories, Issues, Event, Attachments, PostContactSummary, ExtractedInformation). */
    static List<ObjectNode> allV2(String tag, boolean redacted) {
        return List.of(v2Transcript(tag, redacted), v2Categories(tag), v2Issues(tag), v2Event(tag),
                v2Attachments(tag), v2PostContactSummary(tag), v2ExtractedInformation(tag));
    }

    /** Distinct small transcripts, for volume tests. */
    static List<ObjectNode> v2Transcripts(String tag, int count) {
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(v2Transcript(tag + "-" + i, false));
        }
        return out;
    }

    /** The segments a reader must return for these envelopes' segments: all but Utterance partials. */
    static List<JsonNode> stored(List<? extends JsonNode> segments) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode s : segments) {
            if (!s.has("Utterance")) {
                out.add(s);
            }
        }
        return out;
    }

    static ArrayNode array(List<? extends JsonNode> nodes) {
        ArrayNode a = JSON.createArrayNode();
        a.addAll(nodes);
        return a;
    }
}
