package dev.rtca.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.segments.ContactKey;
import dev.rtca.store.DynamoContactStore;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * DynamoDB failing at every point of a batch: for each N from 1 to the number of data calls a clean run
 * makes, the N-th call fails (throttling, a 500, or a lost response; before or after it was applied). The
 * failed part is redelivered as Lambda would, with a healthy client, until the batch is clean. No segment
 * may be lost or duplicated, order must hold, and every fault must surface as a reported failure.
 */
class FaultInjectionTest {
    private final DynamoContactStore healthy = TestStores.store();

    @TestFactory
    Stream<DynamicTest> kinesisBatchAtEveryFailurePoint() {
        return everyFailurePoint(true);
    }

    @TestFactory
    Stream<DynamicTest> sqsBatchAtEveryFailurePoint() {
        return everyFailurePoint(false);
    }

    private Stream<DynamicTest> everyFailurePoint(boolean kinesis) {
        FaultyDynamo counter = FaultyDynamo.failing(0, FaultyDynamo.When.BEFORE);
        Scenario clean = new Scenario();
        assertEquals(List.of(), deliver(TestStores.store(counter.client()), clean, kinesis));
        clean.assertStored(healthy, "clean run");
        int calls = counter.calls();
        assertTrue(calls >= clean.envelopes.size(), "a clean run makes " + calls + " calls");

        // Kinesis: every call fails once before and once after it is applied. SQS shares the batch core and
        // differs in what is redelivered: every call fails once, before or after in turn (DynamoDB Local
        // takes ~10 ms a call here, and the suite must stay fast).
        List<DynamicTest> tests = new ArrayList<>();
        for (FaultyDynamo.When when : FaultyDynamo.When.values()) {
            for (int n = 1; n <= calls; n++) {
                if (!kinesis && (n % 2 == 0) != (when == FaultyDynamo.When.AFTER)) {
                    continue;
                }
                int failAt = n;
                tests.add(DynamicTest.dynamicTest("call " + failAt + "/" + calls + " fails " + when, () -> run(kinesis, failAt, when)));
            }
        }
        return tests.stream();
    }

    private void run(boolean kinesis, int failAt, FaultyDynamo.When when) {
        Scenario s = new Scenario();
        FaultyDynamo faults = FaultyDynamo.failing(failAt, when);
        JsonNode batch = kinesis ? Batches.kinesis(s.envelopes) : Batches.sqs(s.envelopes);
        List<String> failed = kinesis ? Deliveries.kinesis(TestStores.store(faults.client()), batch)
                : Deliveries.sqs(TestStores.store(faults.client()), batch);
        assertTrue(faults.fired(), "the fault was injected");
        assertFalse(failed.isEmpty(), "a fault must be reported, never swallowed");
        assertSuffixPerContact(s, Batches.ids(batch), failed);

        Deliveries.redriveUntilClean(healthy, batch, failed, kinesis);
        s.assertStored(healthy, "call " + failAt + " failing " + when);
    }

    /** Once a contact's record is reported, so is each later record of that contact (order holds on retry). */
    private static void assertSuffixPerContact(Scenario s, List<String> ids, List<String> failed) {
        for (ContactKey contact : List.of(s.chat, s.voice)) {
            boolean failing = false;
            for (int i = 0; i < ids.size(); i++) {
                if (!s.contactOf(i).equals(contact)) {
                    continue;
                }
                boolean reported = failed.contains(ids.get(i));
                assertTrue(!failing || reported, "record " + i + " applied after an earlier failure of its contact");
                failing |= reported;
            }
        }
    }

    private static List<String> deliver(DynamoContactStore store, Scenario s, boolean kinesis) {
        return kinesis ? Deliveries.kinesis(store, Batches.kinesis(s.envelopes)) : Deliveries.sqs(store, Batches.sqs(s.envelopes));
    }
}
