package dev.rtca.writers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtca.fixtures.MemoryStore;
import dev.rtca.ingest.Envelope;
import dev.rtca.segments.Segment;
import dev.rtca.segments.SegmentType;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** SnapStart priming of the writers: every segment type goes through validation, and nothing is written. */
class WriterPrimingTest {

    @Test
    void primingCoversEverySegmentTypeAndWritesNothing() {
        Envelope envelope = Envelope.parse(WriterPriming.ENVELOPE);
        assertEquals(EnumSet.allOf(SegmentType.class), EnumSet.copyOf(envelope.segments().stream().map(Segment::type).toList()));

        MemoryStore store = new MemoryStore();
        assertFalse(WriterPriming.run(store), "the priming contact must not exist");
        assertFalse(WriterPriming.run(store), "priming twice writes nothing either");
        assertTrue(store.find(envelope.contact()).isEmpty());
    }
}
