package dev.rtca.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtca.local.TestRuntime;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.Segment;
import dev.rtca.segments.SegmentType;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Lambda wiring: the no-arg constructors' shared collaborators and the SnapStart priming. */
class IngestContextTest {

    @Test
    void primingCoversEverySegmentTypeAndWritesNothing() {
        Envelope envelope = Envelope.parse(IngestContext.PRIMING_ENVELOPE);
        assertEquals(EnumSet.allOf(SegmentType.class), EnumSet.copyOf(envelope.segments().stream().map(Segment::type).toList()));

        TestRuntime runtime = TestRuntime.shared(); // sets TABLE_NAME / DYNAMODB_ENDPOINT as Lambda's environment would
        assertFalse(IngestContext.prime(), "the priming contact must not exist");
        assertFalse(IngestContext.prime(), "priming twice writes nothing either");
        assertTrue(runtime.store().find(envelope.contact()).isEmpty());
    }

    @Test
    void theNoArgConstructorsWriteToTheConfiguredTable() {
        TestRuntime runtime = TestRuntime.shared();
        ContactKey key = Envelopes.newContact();
        new SqsIngestHandler().handleRequest(Batches.sqsEvent(Batches.sqs(List.of(Envelopes.chat(key, "STARTED", "Raw")))), null);
        new KinesisIngestHandler().handleRequest(Batches.kinesisEvent(Batches.kinesis(List.of(
                Envelopes.chatSegments(key, "Raw", List.of(Envelopes.v2Transcript("1", false)))))), null);
        new EventBridgeIngestHandler().handleRequest(
                Batches.scheduledEvent(Batches.eventBridge(Envelopes.chat(key, "COMPLETED", null))), null);
        assertEquals(ContactStatus.COMPLETED, runtime.store().find(key).orElseThrow().status());
        assertEquals(List.of(Envelopes.v2Transcript("1", false)), Readback.stream(runtime.store(), key, OutputType.Raw));
    }
}
