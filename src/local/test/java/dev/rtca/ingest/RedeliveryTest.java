package dev.rtca.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.store.DynamoContactStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * At-least-once delivery: the same batch twice, and a batch re-driven after a failure in its middle, leave
 * exactly one copy of each segment, in order.
 */
class RedeliveryTest {
    private final DynamoContactStore store = TestStores.store();

    @Test
    void theSameKinesisBatchTwice() {
        Scenario s = new Scenario();
        JsonNode batch = Batches.kinesis(s.envelopes);
        assertEquals(List.of(), Deliveries.kinesis(store, batch));
        s.assertStored(store, "first delivery");
        assertEquals(List.of(), Deliveries.kinesis(store, batch));
        s.assertStored(store, "second delivery");
    }

    @Test
    void theSameSqsBatchTwice() {
        Scenario s = new Scenario();
        JsonNode batch = Batches.sqs(s.envelopes);
        assertEquals(List.of(), Deliveries.sqs(store, batch));
        assertEquals(List.of(), Deliveries.sqs(store, batch));
        s.assertStored(store, "second delivery");
    }

    @Test
    void consecutiveSegmentsOfAContactShareOneTransaction() {
        Scenario s = new Scenario();
        FaultyDynamo counter = FaultyDynamo.failingOperation("transactWriteItems", 0, FaultyDynamo.When.BEFORE);
        assertEquals(List.of(), Deliveries.kinesis(TestStores.store(counter.client()), Batches.kinesis(s.envelopes)));
        // The chat contact's three SEGMENTS records follow one another in its order: one transaction. The voice
        // contact's two are parted by its COMPLETED: two.
        assertEquals(3, counter.calls());
        s.assertStored(store, "one delivery");
    }

    @Test
    void aKinesisBatchRedrivenAfterAFailureInItsMiddle() {
        Scenario s = new Scenario();
        JsonNode batch = Batches.kinesis(s.envelopes);
        List<String> ids = Batches.ids(batch);
        // The chat contact's SEGMENTS records (envelopes 2, 4 and 6, one transaction) fail before they are written.
        FaultyDynamo faults = FaultyDynamo.failingOperationOn("transactWriteItems", s.chat.contactId(), 1, FaultyDynamo.When.BEFORE);
        List<String> failed = Deliveries.kinesis(TestStores.store(faults.client()), batch);
        assertTrue(faults.fired());
        // Those records and the chat contact's later ones; the voice contact went on.
        assertEquals(List.of(ids.get(2), ids.get(4), ids.get(6), ids.get(7)), failed);

        // Kinesis replays from the failed record: the voice records after it come again and change nothing.
        assertEquals(1, Deliveries.redriveUntilClean(store, batch, failed, true));
        s.assertStored(store, "after the re-drive");
        // A later full replay (say, a bisected retry) changes nothing either.
        assertEquals(List.of(), Deliveries.kinesis(store, batch));
        s.assertStored(store, "after a full replay");
    }

    @Test
    void anSqsBatchRedrivenAfterAWriteWhoseResponseWasLost() {
        Scenario s = new Scenario();
        JsonNode batch = Batches.sqs(s.envelopes);
        List<String> ids = Batches.ids(batch);
        // The voice contact's first append (envelope 3, its SEGMENTS) is written, but the writer never hears so.
        FaultyDynamo faults = FaultyDynamo.failingOperationOn("transactWriteItems", s.voice.contactId(), 1, FaultyDynamo.When.AFTER);
        List<String> failed = Deliveries.sqs(TestStores.store(faults.client()), batch);
        assertEquals(List.of(ids.get(3), ids.get(5), ids.get(8)), failed, "the voice message group from the failure on");
        assertEquals(1, Deliveries.redriveUntilClean(store, batch, failed, false));
        s.assertStored(store, "after the redelivery");
    }
}
