package dev.rtca.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.fixtures.Envelopes;
import dev.rtca.fixtures.MemoryStore;
import dev.rtca.fixtures.Samples;
import dev.rtca.ingest.OrderedBatch.Applied;
import dev.rtca.ingest.OrderedBatch.Blocked;
import dev.rtca.ingest.OrderedBatch.Failed;
import dev.rtca.ingest.OrderedBatch.Item;
import dev.rtca.ingest.OrderedBatch.Outcome;
import dev.rtca.segments.AppendResult;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.Segment;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A batch keeps order per contact or message group: a failure holds back the rest of its group, other groups go on. */
class OrderedBatchTest {

    /** A store whose appends for some contacts fail as DynamoDB throttling would: transient, not the event's fault. */
    static final class FlakyStore extends MemoryStore {
        final Set<ContactKey> throttled = new HashSet<>();

        @Override
        public synchronized List<AppendResult> append(ContactKey key, Channel channel, List<Append> appends) {
            if (throttled.contains(key)) {
                throw new IllegalStateException("throttled");
            }
            return super.append(key, channel, appends);
        }
    }

    private final FlakyStore store = new FlakyStore();
    private final Ingestor ingestor = new Ingestor(store);
    private final ContactKey a = Envelopes.newContact();
    private final ContactKey b = Envelopes.newContact();

    private static Item item(String id, JsonNode envelope) {
        return Item.of(id, "test:" + id, Envelopes.bytes(envelope));
    }

    private static Item grouped(String id, String group, JsonNode envelope) {
        return Item.of(id, "test:" + id, Envelopes.bytes(envelope)).inMessageGroup(group);
    }

    private static ObjectNode segments(ContactKey contact, String tag) {
        return Envelopes.chatSegments(contact, "Raw", List.of(Envelopes.v2Transcript(tag, false)));
    }

    /** A chat SEGMENTS event whose segment breaks the model: poison, but its contact is readable. */
    private static ObjectNode badSegments(ContactKey contact) {
        ObjectNode envelope = segments(contact, "bad");
        ((ObjectNode) envelope.get("Segments").get(0).get("Transcript")).remove("Time");
        return envelope;
    }

    private List<Outcome> apply(Item... items) {
        List<Outcome> outcomes = OrderedBatch.apply(ingestor, List.of(items));
        assertEquals(items.length, outcomes.size(), "one outcome per record");
        for (int i = 0; i < items.length; i++) {
            assertSame(items[i], outcomes.get(i).item(), "outcomes in batch order");
        }
        return outcomes;
    }

    private int stored(ContactKey contact) {
        return store.stream(contact, OutputType.Raw).size();
    }

    private static void assertBlocked(Outcome outcome, ContactKey contact, String blockedBy, boolean byMessageGroup) {
        assertEquals(new Blocked(outcome.item(), contact, blockedBy, byMessageGroup), outcome);
        assertTrue(outcome.failed());
    }

    /**
     * Contact a's first append waits until contact b's has been stored: applied one after another in batch order, the
     * batch would stall (and fail); side by side, b goes on while a waits, and a's records still keep their order.
     */
    @Test
    void contactsAreAppliedSideBySideEachInItsOrder() {
        CountDownLatch bStored = new CountDownLatch(1);
        MemoryStore waiting = new MemoryStore() {
            @Override
            public List<AppendResult> append(ContactKey key, Channel channel, List<Append> appends) {
                if (key.equals(a)) {
                    try {
                        if (!bStored.await(10, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("contact b was not applied while contact a waited");
                        }
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
                List<AppendResult> result = super.append(key, channel, appends);
                if (key.equals(b)) {
                    bStored.countDown();
                }
                return result;
            }
        };
        List<Outcome> outcomes = OrderedBatch.apply(new Ingestor(waiting), List.of(item("1", segments(a, "1")),
                item("2", segments(a, "2")), item("3", segments(b, "1")), item("4", segments(a, "3"))));
        outcomes.forEach(outcome -> assertInstanceOf(Applied.class, outcome, outcome.toString()));
        assertEquals(List.of("tr-1", "tr-2", "tr-3"), waiting.stream(a, OutputType.Raw).stream()
                .map(segment -> Envelopes.parse(segment.json()).path("Transcript").path("Id").asText()).toList());
    }

    /**
     * Consecutive SEGMENTS records of one contact reach the store in one call (which writes them in as few transactions
     * as fit), each with its own result; another event type parts them.
     */
    @Test
    void consecutiveSegmentsOfAContactGoToTheStoreTogether() {
        List<Integer> calls = new java.util.concurrent.CopyOnWriteArrayList<>(); // appends per store call
        MemoryStore counting = new MemoryStore() {
            @Override
            public List<AppendResult> append(ContactKey key, Channel channel, List<Append> appends) {
                calls.add(appends.size());
                return super.append(key, channel, appends);
            }
        };
        counting.append(a, Channel.CHAT, OutputType.Raw, "test:2", List.of(Samples.v2Transcript(0, "AGENT"))); // 2, stored before
        calls.clear();
        List<Outcome> outcomes = OrderedBatch.apply(new Ingestor(counting), List.of(item("1", segments(a, "1")),
                item("2", segments(a, "2")), item("3", segments(b, "1")), item("4", segments(a, "3")),
                item("5", Envelopes.chat(a, "COMPLETED", null)), item("6", segments(a, "4"))));
        assertEquals(List.of(1, 1, 3), calls.stream().sorted().toList(), "a: records 1, 2 and 4 together, then 6; b: 3");
        List<Integer> appended = outcomes.stream().map(o -> assertInstanceOf(Applied.class, o).result().appended()).toList();
        List<Integer> duplicates = outcomes.stream().map(o -> ((Applied) o).result().duplicates()).toList();
        assertEquals(List.of(1, 0, 1, 1, 0, 1), appended);
        assertEquals(List.of(0, 1, 0, 0, 0, 0), duplicates, "record 2 was stored before: only it is a duplicate");
        assertEquals(ContactStatus.COMPLETED, counting.find(a).orElseThrow().status());
    }

    @Test
    void anEmptyBatchHasNoOutcomes() {
        assertEquals(List.of(), OrderedBatch.apply(ingestor, List.of()));
    }

    @Test
    void everyRecordIsAppliedInBatchOrder() {
        List<Outcome> outcomes = apply(item("1", Envelopes.chat(a, "STARTED", "Raw")), item("2", segments(a, "1")),
                item("3", segments(b, "1")), item("4", segments(a, "2")), item("5", Envelopes.chat(a, "COMPLETED", null)));
        for (Outcome outcome : outcomes) {
            Applied applied = assertInstanceOf(Applied.class, outcome);
            assertFalse(applied.failed());
            assertEquals(applied.contact(), applied.result().contact());
        }
        assertEquals(List.of(a, a, b, a, a), outcomes.stream().map(Outcome::contact).toList());
        assertEquals("test:4", ((Applied) outcomes.get(3)).result().eventKey());
        assertEquals(2, stored(a));
        assertEquals(ContactStatus.COMPLETED, store.find(a).orElseThrow().status());
    }

    @Test
    void aPoisonRecordHoldsBackTheRestOfItsContactOnly() {
        List<Outcome> outcomes = apply(item("1", segments(a, "1")), item("2", badSegments(a)), item("3", segments(b, "1")),
                item("4", segments(a, "3")), item("5", Envelopes.chat(a, "COMPLETED", null)), item("6", segments(b, "2")));

        assertInstanceOf(Applied.class, outcomes.get(0));
        Failed failed = assertInstanceOf(Failed.class, outcomes.get(1));
        assertEquals(a, failed.contact());
        assertTrue(failed.failed());
        PoisonEventException poison = assertInstanceOf(PoisonEventException.class, failed.failure());
        assertTrue(poison.reason().startsWith("Segments[0].Transcript.Time is required"), poison.reason());
        assertInstanceOf(Applied.class, outcomes.get(2));
        assertBlocked(outcomes.get(3), a, "2", false);
        assertBlocked(outcomes.get(4), a, "2", false);
        assertInstanceOf(Applied.class, outcomes.get(5));

        // Nothing after the failure reached contact A: a retry replays 2, 4, 5 in order.
        assertEquals(1, stored(a));
        assertEquals(ContactStatus.IN_PROGRESS, store.find(a).orElseThrow().status());
        assertEquals(2, stored(b));
    }

    @Test
    void aMessageGroupIsHeldBackAsAWholeAcrossContacts() {
        List<Outcome> outcomes = apply(grouped("m1", "g1", badSegments(a)), grouped("m2", "g1", segments(b, "1")),
                grouped("m3", "g2", segments(a, "2")), grouped("m4", "g1", segments(a, "3")));

        assertEquals(a, assertInstanceOf(Failed.class, outcomes.get(0)).contact());
        assertBlocked(outcomes.get(1), b, "m1", true);
        // Another group goes on, even for the failed record's contact: the group, not the contact, orders this batch.
        assertInstanceOf(Applied.class, outcomes.get(2));
        assertBlocked(outcomes.get(3), a, "m1", true);
        assertEquals(1, stored(a));
        assertEquals(0, stored(b));
    }

    @Test
    void unreadableRecordsFailAloneWithTheirReason() {
        List<Outcome> outcomes = apply(Item.unreadable("1", "test:1", "the data is not base64"),
                Item.of("2", "test:2", null), item("3", segments(a, "1")),
                Item.of("4", "test:4", "{\"Version\":".getBytes(StandardCharsets.UTF_8)), item("5", segments(a, "2")));

        Failed first = assertInstanceOf(Failed.class, outcomes.get(0));
        assertNull(first.contact());
        assertEquals("the data is not base64", assertInstanceOf(PoisonEventException.class, first.failure()).reason());
        Failed second = assertInstanceOf(Failed.class, outcomes.get(1));
        assertEquals("the record has no data", assertInstanceOf(PoisonEventException.class, second.failure()).reason());
        assertInstanceOf(Applied.class, outcomes.get(2));
        Failed invalidJson = assertInstanceOf(Failed.class, outcomes.get(3));
        assertNull(invalidJson.contact());
        assertTrue(((PoisonEventException) invalidJson.failure()).reason().startsWith("invalid JSON"));
        assertInstanceOf(Applied.class, outcomes.get(4));
        assertEquals(2, stored(a));
    }

    @Test
    void anUnreadableRecordInAMessageGroupHoldsBackItsGroup() {
        List<Outcome> outcomes = apply(Item.unreadable("m1", "test:m1", "undecodable").inMessageGroup("g1"), grouped("m2", "g1", segments(a, "1")),
                grouped("m3", "g2", segments(b, "1")));
        assertInstanceOf(Failed.class, outcomes.get(0));
        assertBlocked(outcomes.get(1), a, "m1", true);
        assertInstanceOf(Applied.class, outcomes.get(2));
        assertEquals(0, stored(a));
    }

    @Test
    void aTransientStoreFailureHoldsBackItsContactAndIsNotPoison() {
        store.throttled.add(a);
        List<Outcome> outcomes = apply(item("1", Envelopes.chat(a, "STARTED", "Raw")), item("2", segments(a, "1")),
                item("3", segments(b, "1")), item("4", Envelopes.chat(a, "COMPLETED", null)));

        assertInstanceOf(Applied.class, outcomes.get(0));
        Failed failed = assertInstanceOf(Failed.class, outcomes.get(1));
        assertEquals(a, failed.contact());
        assertEquals("throttled", assertInstanceOf(IllegalStateException.class, failed.failure()).getMessage());
        assertInstanceOf(Applied.class, outcomes.get(2));
        assertBlocked(outcomes.get(3), a, "2", false);
        assertEquals(ContactStatus.IN_PROGRESS, store.find(a).orElseThrow().status());
    }

    @Test
    void aChannelMismatchFoundWhenApplyingHoldsBackItsContact() {
        List<Outcome> outcomes = apply(item("1", Envelopes.voice(a, "STARTED")), item("2", segments(a, "1")),
                item("3", Envelopes.voice(a, "COMPLETED")));
        assertInstanceOf(PoisonEventException.class, assertInstanceOf(Failed.class, outcomes.get(1)).failure());
        assertBlocked(outcomes.get(2), a, "2", false);
        assertEquals(ContactStatus.IN_PROGRESS, store.find(a).orElseThrow().status());
    }

    @Test
    void theSameDeliveryTwiceInABatchIsAppliedOnceAndTheRepeatSaysSo() {
        Item first = item("1", segments(a, "1"));
        Item again = Item.of("1", "test:1", Envelopes.bytes(segments(a, "1")));
        List<Outcome> outcomes = apply(first, item("2", segments(b, "1")), again);

        assertInstanceOf(Applied.class, outcomes.get(0));
        assertEquals(new OrderedBatch.Repeated(again, a, 0), outcomes.get(2));
        assertFalse(outcomes.get(2).failed(), "a repeat is reported through its first copy");
        assertEquals(1, stored(a));
    }

    @Test
    void anotherRecordUnderAnEarlierRecordsIdentifierIsPoisonAndHoldsBackItsContact() {
        List<Outcome> outcomes = apply(item("1", segments(a, "1")), item("1", segments(b, "other")),
                item("2", segments(b, "2")));

        assertInstanceOf(Applied.class, outcomes.get(0));
        Failed conflict = assertInstanceOf(Failed.class, outcomes.get(1));
        assertEquals(b, conflict.contact());
        assertTrue(((PoisonEventException) conflict.failure()).reason().startsWith(
                "the record at index 0 of this batch has this record's identifier and other content"), conflict.toString());
        assertBlocked(outcomes.get(2), b, "1", false);
        assertEquals(1, stored(a));
        assertEquals(0, stored(b), "neither the conflicting record nor its contact's later one");
    }

    @Test
    void aRejectedRecordIsPoisonWhateverItsBodyAndHoldsBackItsContact() {
        List<Outcome> outcomes = apply(item("1", segments(a, "1")).rejected("no key"), item("2", segments(a, "2")),
                item("3", segments(b, "1")));

        Failed rejected = assertInstanceOf(Failed.class, outcomes.get(0));
        assertEquals(a, rejected.contact());
        assertEquals("no key", ((PoisonEventException) rejected.failure()).reason());
        assertBlocked(outcomes.get(1), a, "1", false);
        assertInstanceOf(Applied.class, outcomes.get(2));
        assertEquals(0, stored(a));
    }
}
