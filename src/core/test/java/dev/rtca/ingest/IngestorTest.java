package dev.rtca.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.fixtures.Envelopes;
import dev.rtca.fixtures.MemoryStore;
import dev.rtca.segments.Channel;
import dev.rtca.segments.Contact;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.Segment;
import dev.rtca.segments.SegmentType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The ingest core over the in-memory store: lifecycle, idempotency, late segments, and the channel a contact keeps. */
class IngestorTest {

    /** Counts the store's contact reads: the channel check should cost one per contact, not one per event. */
    static final class CountingStore extends MemoryStore {
        int finds;

        @Override
        public synchronized Optional<Contact> find(ContactKey key) {
            finds++;
            return super.find(key);
        }
    }

    private final CountingStore store = new CountingStore();
    private final Ingestor ingestor = new Ingestor(store);
    private final ContactKey contact = Envelopes.newContact();

    private IngestResult ingest(JsonNode envelope, String deliveryKey) {
        return ingestor.ingest(envelope, deliveryKey);
    }

    private Contact stored() {
        return store.find(contact).orElseThrow();
    }

    private List<SegmentType> stream(OutputType type) {
        return store.stream(contact, type).stream().map(Segment::type).toList();
    }

    @Test
    void aVoiceContactFromStartToCompletion() {
        assertEquals(new IngestResult(contact, Channel.VOICE, EventType.STARTED, "k:1", null, 0, 0, 0, 0, 0, 0),
                ingest(Envelopes.voice(contact, "STARTED"), "k:1"));
        assertEquals(new Contact(contact, Channel.VOICE, ContactStatus.IN_PROGRESS, Set.of(OutputType.Raw)), stored());

        IngestResult segments = ingest(Envelopes.voiceSegments(contact, List.of(Envelopes.v1Transcript("1", false),
                Envelopes.v1Utterance("u"), Envelopes.v1Categories("c"))), "k:2");
        assertEquals(new IngestResult(contact, Channel.VOICE, EventType.SEGMENTS, "k:2", OutputType.Raw, 2, 0, 0, 1, 0, 0), segments);
        assertEquals(List.of(SegmentType.Transcript, SegmentType.Categories), stream(OutputType.Raw));

        assertEquals(new IngestResult(contact, Channel.VOICE, EventType.COMPLETED, "k:3", null, 0, 0, 0, 0, 0, 0),
                ingest(Envelopes.voice(contact, "COMPLETED"), "k:3"));
        assertEquals(ContactStatus.COMPLETED, stored().status());
    }

    @Test
    void aChatContactDeclaresItsOutputsAndEachStreamGetsItsOwnSegments() {
        ingest(Envelopes.chat(contact, "STARTED", "RedactedAndRaw"), "k:1");
        assertEquals(Set.of(OutputType.Raw, OutputType.Redacted), stored().outputTypes());

        IngestResult redacted = ingest(Envelopes.chatSegments(contact, "Redacted", Envelopes.allV2("r", true)), "k:2");
        assertEquals(OutputType.Redacted, redacted.stream());
        assertEquals(7, redacted.appended());
        ingest(Envelopes.chatSegments(contact, "Raw", List.of(Envelopes.v2Event("e"))), "k:3");

        assertEquals(List.of(SegmentType.values()), stream(OutputType.Redacted));
        assertEquals(List.of(SegmentType.Event), stream(OutputType.Raw));
        assertEquals(Channel.CHAT, stored().channel());
    }

    @ParameterizedTest
    @EnumSource(value = EventType.class, names = {"COMPLETED", "FAILED"})
    void aTerminalEventClosesTheContactAndTheFirstTerminalStatusWins(EventType type) {
        ingest(Envelopes.chat(contact, "STARTED", "Raw"), "k:1");
        IngestResult result = ingest(Envelopes.chat(contact, type.name(), null), "k:2");
        assertEquals(new IngestResult(contact, Channel.CHAT, type, "k:2", null, 0, 0, 0, 0, 0, 0), result);
        assertEquals(ContactStatus.valueOf(type.name()), stored().status());

        EventType other = type == EventType.COMPLETED ? EventType.FAILED : EventType.COMPLETED;
        ingest(Envelopes.chat(contact, other.name(), null), "k:3");
        assertEquals(ContactStatus.valueOf(type.name()), stored().status());
    }

    @Test
    void segmentsBeforeStartedCreateTheContactInProgress() {
        ingest(Envelopes.chatSegments(contact, "Raw", List.of(Envelopes.v2Transcript("1", false))), "k:1");
        assertEquals(new Contact(contact, Channel.CHAT, ContactStatus.IN_PROGRESS, Set.of(OutputType.Raw)), stored());
    }

    @Test
    void aRedeliveryIsANoOp() {
        ObjectNode envelope = Envelopes.chatSegments(contact, "Raw", Envelopes.v2Transcripts("t", 3));
        assertEquals(3, ingest(envelope, "sqs:m-1").appended());

        IngestResult again = ingest(envelope, "sqs:m-1");
        assertEquals(0, again.appended());
        assertEquals(3, again.duplicates());
        assertEquals(3, store.stream(contact, OutputType.Raw).size());

        // Without an EventId, the same content under another delivery key is another event, whose segments the stream
        // holds by their Ids already: a producer's retry stores nothing again.
        IngestResult retried = ingest(envelope, "sqs:m-2");
        assertEquals(0, retried.appended());
        assertEquals(3, retried.duplicates());
        assertEquals(3, retried.sameId());
        assertEquals(3, store.stream(contact, OutputType.Raw).size());
    }

    @Test
    void aRetriedEventStoresOnlyItsSegmentsWithoutAnIdAgain() {
        ObjectNode envelope = Envelopes.chatSegments(contact, "Raw", List.of(Envelopes.v2Transcript("t", false),
                Envelopes.v2Categories("c"), Envelopes.v2Event("e"), Envelopes.v2Attachments("a")));
        assertEquals(4, ingest(envelope, "kinesis:shard-1:100").appended());
        IngestResult retried = ingest(envelope, "kinesis:shard-1:205");
        assertEquals(List.of(1, 3, 3), List.of(retried.appended(), retried.duplicates(), retried.sameId()));
        assertEquals(List.of("Transcript", "Categories", "Event", "Attachments", "Categories"),
                store.stream(contact, OutputType.Raw).stream().map(s -> s.type().name()).toList());
    }

    @Test
    void anEventIdIsTheIdempotencyKeyAcrossDeliveries() {
        ObjectNode envelope = Envelopes.chatSegments(contact, "Raw", Envelopes.v2Transcripts("t", 2));
        envelope.put("EventId", "job-7");
        IngestResult first = ingest(envelope, "sqs:m-1");
        assertEquals("id:job-7", first.eventKey());
        assertEquals(2, first.appended());

        IngestResult resent = ingestor.ingest(Envelopes.bytes(envelope), "kinesis:shard-1:42");
        assertEquals("id:job-7", resent.eventKey());
        assertEquals(0, resent.appended());
        assertEquals(2, resent.duplicates());
        assertEquals(2, store.stream(contact, OutputType.Raw).size());
    }

    @Test
    void lateSegmentsAreStoredAndCounted() {
        ingest(Envelopes.voice(contact, "STARTED"), "k:1");
        ingest(Envelopes.voice(contact, "FAILED"), "k:2");
        IngestResult late = ingest(Envelopes.voiceSegments(contact, List.of(Envelopes.v1PostContactSummary("s"),
                Envelopes.v1ExtractedInformation("x"))), "k:3");
        assertEquals(2, late.appended());
        assertEquals(2, late.late());
        assertEquals(List.of(SegmentType.PostContactSummary, SegmentType.ExtractedInformation), stream(OutputType.Raw));
        assertEquals(ContactStatus.FAILED, stored().status());
    }

    @Test
    void anEnvelopeOfTheOtherChannelIsPoisonAndChangesNothing() {
        ingest(Envelopes.voice(contact, "STARTED"), "k:1");
        Contact before = stored();

        PoisonEventException e = assertThrows(PoisonEventException.class,
                () -> ingest(Envelopes.chatSegments(contact, "Raw", List.of(Envelopes.v2Transcript("1", false))), "k:2"));
        assertEquals(Optional.of(contact), e.contact());
        assertEquals("contact " + contact.contactId() + " is a VOICE contact; a CHAT envelope (Version 2.0.0) cannot be "
                + "applied to it", e.reason());
        assertThrows(PoisonEventException.class, () -> ingest(Envelopes.chat(contact, "COMPLETED", null), "k:3"));

        assertEquals(before, stored());
        assertEquals(List.of(), store.stream(contact, OutputType.Raw));
    }

    @Test
    void theChannelIsCheckedAgainstTheStoreInAFreshInstance() {
        ingest(Envelopes.chat(contact, "STARTED", "Raw"), "k:1");
        Ingestor fresh = new Ingestor(store);
        PoisonEventException e = assertThrows(PoisonEventException.class,
                () -> fresh.ingest(Envelopes.voice(contact, "COMPLETED"), "k:2"));
        assertTrue(e.reason().startsWith("contact " + contact.contactId() + " is a CHAT contact; a VOICE envelope"), e.reason());
        assertEquals(ContactStatus.IN_PROGRESS, stored().status());
    }

    @Test
    void invalidEventsAndMissingKeysStoreNothing() {
        assertThrows(PoisonEventException.class,
                () -> ingestor.ingest("{\"Version\":\"1.0.0\"".getBytes(StandardCharsets.UTF_8), "k:1"));
        // Without an EventId a delivery key is needed: that is the adapter's mistake, not the event's.
        assertThrows(IllegalArgumentException.class, () -> ingest(Envelopes.voice(contact, "STARTED"), null));
        assertEquals(Optional.empty(), store.find(contact));
    }

    @Test
    void theChannelCheckReadsTheStoreOncePerContact() {
        ingest(Envelopes.voice(contact, "STARTED"), "k:1");
        ingest(Envelopes.voiceSegments(contact, List.of(Envelopes.v1Transcript("1", false))), "k:2");
        ingest(Envelopes.voice(contact, "COMPLETED"), "k:3");
        assertEquals(1, store.finds);
        // The remembered channel still rejects the other channel's envelopes.
        assertThrows(PoisonEventException.class, () -> ingest(Envelopes.chat(contact, "COMPLETED", null), "k:4"));
        assertEquals(1, store.finds);
    }

    @Test
    void theRememberedChannelsAreBoundedAndTheLeastRecentlyUsedIsForgotten() {
        ContactKey[] contacts = new ContactKey[Ingestor.KNOWN_CHANNELS + 1];
        for (int i = 0; i < contacts.length; i++) {
            contacts[i] = new ContactKey("instance", "contact-" + i);
        }
        for (int i = 0; i < Ingestor.KNOWN_CHANNELS; i++) {
            ingestor.apply(started(contacts[i]), "k:" + i);
        }
        assertEquals(Ingestor.KNOWN_CHANNELS, store.finds);
        ingestor.apply(started(contacts[0]), "k:again-0"); // remembered, and now the most recently used
        assertEquals(Ingestor.KNOWN_CHANNELS, store.finds);

        ingestor.apply(started(contacts[Ingestor.KNOWN_CHANNELS]), "k:new"); // one over the bound: forgets contact-1
        assertEquals(Ingestor.KNOWN_CHANNELS + 1, store.finds);
        ingestor.apply(started(contacts[0]), "k:again-0b");
        assertEquals(Ingestor.KNOWN_CHANNELS + 1, store.finds);
        ingestor.apply(started(contacts[1]), "k:again-1");
        assertEquals(Ingestor.KNOWN_CHANNELS + 2, store.finds, "contact-1 was forgotten and read again");
        assertEquals(10_000, Ingestor.KNOWN_CHANNELS);
    }

    private static Envelope started(ContactKey key) {
        return new Envelope(Envelope.VOICE_VERSION, EventType.STARTED, Channel.VOICE, key, null, Set.of(OutputType.Raw),
                null, List.of(), List.of());
    }
}
