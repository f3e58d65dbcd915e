package dev.rtca.ingest;

import dev.rtca.fixtures.Envelopes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.ContactStore;
import dev.rtca.segments.OutputType;
import java.util.ArrayList;
import java.util.List;

/**
 * Two contacts' lives interleaved in one batch, as a shard or a queue delivers them: a chat contact with
 * both streams and a voice contact that receives a late segment after its COMPLETED. Knows what the store
 * must hold once every event has been applied exactly once.
 */
final class Scenario {
    final ContactKey chat = Envelopes.newContact();
    final ContactKey voice = Envelopes.newContact();
    final List<ObjectNode> envelopes;
    final List<JsonNode> chatRaw = new ArrayList<>();
    final List<JsonNode> chatRedacted = new ArrayList<>();
    final List<JsonNode> voiceRaw = new ArrayList<>();

    Scenario() {
        List<ObjectNode> raw1 = List.of(Envelopes.v2Transcript("r1", false), Envelopes.v2Categories("r1"), Envelopes.v2Issues("r1"));
        List<ObjectNode> redacted = List.of(Envelopes.v2Transcript("d1", true), Envelopes.v2Attachments("d1"));
        List<ObjectNode> raw2 = List.of(Envelopes.v2Event("r2"), Envelopes.v2PostContactSummary("r2"));
        List<ObjectNode> voice1 = List.of(Envelopes.v1Utterance("v1"), Envelopes.v1Transcript("v1", true), Envelopes.v1Categories("v1"));
        List<ObjectNode> late = List.of(Envelopes.v1PostContactSummary("late"));
        chatRaw.addAll(raw1);
        chatRaw.addAll(raw2);
        chatRedacted.addAll(redacted);
        voiceRaw.addAll(Envelopes.stored(voice1));
        voiceRaw.addAll(late);
        envelopes = List.of(
                Envelopes.chat(chat, "STARTED", "RedactedAndRaw"),
                Envelopes.voice(voice, "STARTED"),
                Envelopes.chatSegments(chat, "Raw", raw1),
                Envelopes.voiceSegments(voice, voice1),
                Envelopes.chatSegments(chat, "Redacted", redacted),
                Envelopes.voice(voice, "COMPLETED"),
                Envelopes.chatSegments(chat, "Raw", raw2),
                Envelopes.chat(chat, "COMPLETED", "RedactedAndRaw"),
                Envelopes.voiceSegments(voice, late));
    }

    ContactKey contactOf(int index) {
        return envelopes.get(index).path("ContactId").asText().equals(chat.contactId()) ? chat : voice;
    }

    /** Exactly every segment once, in order, and both contacts COMPLETED. */
    void assertStored(ContactStore store, String context) {
        assertEquals(chatRaw, Readback.stream(store, chat, OutputType.Raw), context + ": chat Raw stream");
        assertEquals(chatRedacted, Readback.stream(store, chat, OutputType.Redacted), context + ": chat Redacted stream");
        assertEquals(voiceRaw, Readback.stream(store, voice, OutputType.Raw), context + ": voice Raw stream");
        assertEquals(ContactStatus.COMPLETED, store.find(chat).orElseThrow().status(), context + ": chat status");
        assertEquals(ContactStatus.COMPLETED, store.find(voice).orElseThrow().status(), context + ": voice status");
    }
}
