package dev.rtca.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rtca.fixtures.Envelopes;
import dev.rtca.local.Handlers;
import dev.rtca.local.TestRuntime;
import dev.rtca.runtime.Config;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.OutputType;
import dev.rtca.writers.EventBridgeIngestHandler;
import dev.rtca.writers.KinesisIngestHandler;
import dev.rtca.writers.SqsIngestHandler;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The writers built from a {@link Config}, as the local runtime builds them: they write to the configured table. */
class WritersWiringTest {

    @Test
    void theConfigConstructorsWriteToTheConfiguredTable() {
        TestRuntime runtime = TestRuntime.shared();
        Config config = runtime.runtime().config();
        ContactKey key = Envelopes.newContact();
        // Each writer leaves a mark only it can: the STARTED declares both streams, the SEGMENTS fill Raw, the
        // COMPLETED ends the contact.
        assertEquals(List.of(), Deliveries.failures(new SqsIngestHandler(config),
                Batches.sqs(List.of(Envelopes.chat(key, "STARTED", "RedactedAndRaw")))));
        assertEquals(java.util.Set.of(OutputType.Raw, OutputType.Redacted), runtime.store().find(key).orElseThrow().outputTypes());
        assertEquals(List.of(), Deliveries.failures(new KinesisIngestHandler(config), Batches.kinesis(List.of(
                Envelopes.chatSegments(key, "Raw", List.of(Envelopes.v2Transcript("1", false)))))));
        assertEquals(List.of(Envelopes.v2Transcript("1", false)), Readback.stream(runtime.store(), key, OutputType.Raw));
        Handlers.invoke(new EventBridgeIngestHandler(config),
                Envelopes.bytes(Batches.eventBridge(Envelopes.chat(key, "COMPLETED", null))));
        assertEquals(ContactStatus.COMPLETED, runtime.store().find(key).orElseThrow().status());
    }
}
