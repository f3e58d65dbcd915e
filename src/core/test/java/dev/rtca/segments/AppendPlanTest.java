package dev.rtca.segments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtca.segments.AppendPlan.Action;
import dev.rtca.segments.AppendPlan.Chunk;
import dev.rtca.segments.AppendPlan.ChunkOutcome;
import dev.rtca.segments.AppendPlan.Counters;
import dev.rtca.segments.AppendPlan.MarkerId;
import dev.rtca.segments.AppendPlan.Outcome;
import dev.rtca.segments.AppendPlan.Placed;
import dev.rtca.segments.AppendPlan.Placement;
import dev.rtca.segments.AppendPlan.SegmentId;
import dev.rtca.segments.AppendPlan.Transaction;
import dev.rtca.segments.ContactStore.Append;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The planner's edges, one by one: where a chunk and a transaction are cut, where a chunk goes, what a result counts. */
class AppendPlanTest {
    /** Three segments of this length fill the byte bound exactly: 3 × (349,440 × 3 + 256) = 3 MiB. */
    private static final int THIRD = 349_440;

    private static Append append(String key, OutputType stream, int count) {
        List<Segment> segments = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            segments.add(new Segment(SegmentType.Transcript, "{\"" + key + "\":" + s + "}"));
        }
        return new Append(stream, key, segments);
    }

    private static Append sized(String key, int... lengths) {
        List<Segment> segments = new ArrayList<>();
        for (int length : lengths) {
            segments.add(new Segment(SegmentType.Event, "x".repeat(length)));
        }
        return new Append(OutputType.Raw, key, segments);
    }

    private static List<Integer> chunkSizes(AppendPlan plan) {
        return plan.transactions().stream().flatMap(t -> t.chunks().stream()).map(c -> c.segments().size()).toList();
    }

    private static List<Integer> transactionActions(AppendPlan plan) {
        return plan.transactions().stream().map(Transaction::actions).toList();
    }

    @Test
    void aChunkHoldsAtMost96Segments() {
        assertEquals(List.of(96), chunkSizes(AppendPlan.of(List.of(append("a", OutputType.Raw, 96)))));
        assertEquals(List.of(96, 1), chunkSizes(AppendPlan.of(List.of(append("a", OutputType.Raw, 97)))));
        assertEquals(List.of(96, 96, 8), chunkSizes(AppendPlan.of(List.of(append("a", OutputType.Raw, 200)))));
    }

    @Test
    void chunksAreNumberedFromZeroPerEvent() {
        AppendPlan plan = AppendPlan.of(List.of(append("a", OutputType.Raw, 99), append("b", OutputType.Redacted, 1)));
        List<MarkerId> markers = plan.transactions().stream().flatMap(t -> t.chunks().stream()).map(Chunk::marker).toList();
        assertEquals(List.of(new MarkerId("a", 0), new MarkerId("a", 1), new MarkerId("b", 0)), markers);
    }

    @Test
    void aTransactionHoldsAtMost100ActionsWithTheContactItemAndTwoIdLogs() {
        assertEquals(List.of(98), transactionActions(AppendPlan.of(List.of(append("a", OutputType.Raw, 96)))));
        assertEquals(List.of(98), transactionActions(AppendPlan.of(List.of(append("a", OutputType.Raw, 94),
                append("b", OutputType.Raw, 1)))));
        assertEquals(List.of(97, 3), transactionActions(AppendPlan.of(List.of(append("a", OutputType.Raw, 95),
                append("b", OutputType.Raw, 1)))));
        assertEquals(List.of(98), transactionActions(AppendPlan.of(List.of(append("a", OutputType.Raw, 47),
                append("b", OutputType.Redacted, 48)))));
        assertEquals(List.of(51, 51), transactionActions(AppendPlan.of(List.of(append("a", OutputType.Raw, 49),
                append("b", OutputType.Raw, 49)))));
        // With Ids in both streams, the two logs make it 100.
        Transaction both = AppendPlan.of(List.of(new Append(OutputType.Raw, "a", transcripts("r", 47)),
                new Append(OutputType.Redacted, "b", transcripts("d", 48)))).transactions().getFirst();
        assertEquals(100, both.place(Counters.ZERO).actions().size());
    }

    @Test
    void theByteBoundFitsExactlyAndNotOneCharacterMore() {
        assertEquals(List.of(3), chunkSizes(AppendPlan.of(List.of(sized("a", THIRD, THIRD, THIRD)))));
        assertEquals(AppendPlan.BYTES_PER_TRANSACTION, AppendPlan.of(List.of(sized("a", THIRD, THIRD, THIRD)))
                .transactions().getFirst().bytes());
        assertEquals(List.of(2, 1), chunkSizes(AppendPlan.of(List.of(sized("a", THIRD, THIRD, THIRD + 1)))));
        // Across chunks: three events of one third each share a transaction; one character more and they do not.
        assertEquals(1, AppendPlan.of(List.of(sized("a", THIRD), sized("b", THIRD), sized("c", THIRD))).transactions().size());
        assertEquals(2, AppendPlan.of(List.of(sized("a", THIRD), sized("b", THIRD), sized("c", THIRD + 1))).transactions().size());
    }

    @Test
    void aSegmentOverTheBoundIsAloneInItsChunkAndTransaction() {
        AppendPlan plan = AppendPlan.of(List.of(sized("a", 10, 1_100_000, 10)));
        assertEquals(List.of(1, 1, 1), chunkSizes(plan));
        assertEquals(3, plan.transactions().size());
        assertTrue(plan.transactions().get(1).bytes() > AppendPlan.BYTES_PER_TRANSACTION);
    }

    @Test
    void aSegmentsBytesAreItsLengthThriceAndAnOverhead() {
        assertEquals(3 * 5 + 256, AppendPlan.bytes(new Segment(SegmentType.Event, "12345")));
        Chunk chunk = AppendPlan.of(List.of(sized("a", 5, 7))).transactions().getFirst().chunks().getFirst();
        assertEquals(3 * 12 + 2 * 256, chunk.bytes());
        assertEquals(3, chunk.actions());
    }

    @Test
    void anEventTwiceInARunIsWrittenOnceAndCountedAsDuplicateAfter() {
        Append a = append("a", OutputType.Raw, 99);
        AppendPlan plan = AppendPlan.of(List.of(a, append("b", OutputType.Raw, 2), a));
        assertEquals(List.of(96, 3, 2), chunkSizes(plan));
        assertEquals(List.of(Outcome.ALREADY_STORED, Outcome.ALREADY_STORED), plan.repeated().stream().map(ChunkOutcome::outcome).toList());
        List<ChunkOutcome> written = plan.transactions().stream().flatMap(t -> t.committed(false).stream()).toList();
        assertEquals(List.of(new AppendResult(99, 0, 0), new AppendResult(2, 0, 0), new AppendResult(0, 99, 0)), plan.results(written));
    }

    @Test
    void appendsWithoutSegmentsOnlyOpenTheirStreams() {
        AppendPlan plan = AppendPlan.of(List.of(append("a", OutputType.Redacted, 0), append("b", OutputType.Raw, 1)));
        assertEquals(Set.of(OutputType.Redacted), plan.streamsToOpen());
        assertEquals(1, plan.transactions().size());
        assertEquals(List.of(new AppendResult(0, 0, 0), new AppendResult(1, 0, 0)),
                plan.results(plan.transactions().getFirst().committed(false)));
        assertEquals(Set.of(), AppendPlan.of(List.of(append("b", OutputType.Raw, 1))).streamsToOpen());
        assertTrue(AppendPlan.of(List.of()).transactions().isEmpty());
    }

    @Test
    void placingPutsEachChunkAtTheEndOfItsStreamAndNamesItsMarkersAction() {
        Transaction transaction = AppendPlan.of(List.of(append("a", OutputType.Raw, 2), append("b", OutputType.Redacted, 3),
                append("c", OutputType.Raw, 1))).transactions().getFirst();
        Placement placement = transaction.place(new Counters(10, 20));
        assertEquals(List.of(10L, 20L, 12L), placement.chunks().stream().map(Placed::first).toList());
        assertEquals(List.of(1, 4, 8), placement.chunks().stream().map(Placed::markerAction).toList());
        assertEquals(new Counters(13, 23), placement.counters());
        assertEquals(Set.of(OutputType.Raw, OutputType.Redacted), placement.streams());
        assertEquals(Set.of(new MarkerId("b", 0)), placement.markersAt(List.of(0, 4, 5)));
        assertEquals(Set.of(), placement.markersAt(List.of(0)));
    }

    @Test
    void whatIsLeftOnceMarkersWereFoundStored() {
        Transaction transaction = AppendPlan.of(List.of(append("a", OutputType.Raw, 2), append("b", OutputType.Raw, 3)))
                .transactions().getFirst();
        Set<MarkerId> found = Set.of(new MarkerId("a", 0));
        Transaction left = transaction.without(found);
        assertEquals(List.of(new MarkerId("b", 0)), left.chunks().stream().map(Chunk::marker).toList());
        assertEquals(1 + 4, left.actions());
        assertFalse(left.isEmpty());
        assertTrue(left.without(Set.of(new MarkerId("b", 0))).isEmpty());
        assertEquals(List.of(new MarkerId("a", 0)), transaction.alreadyStored(found).stream().map(o -> o.chunk().marker()).toList());
        assertEquals(new Counters(3, 0), left.place(Counters.ZERO).counters());
    }

    @Test
    void resultsCountEachOutcome() {
        AppendPlan plan = AppendPlan.of(List.of(append("a", OutputType.Raw, 99), append("b", OutputType.Raw, 5)));
        List<Chunk> chunks = plan.transactions().stream().flatMap(t -> t.chunks().stream()).toList();
        List<AppendResult> results = plan.results(List.of(new ChunkOutcome(chunks.get(0), Outcome.ALREADY_STORED),
                new ChunkOutcome(chunks.get(1), Outcome.APPENDED_AFTER_TERMINAL),
                new ChunkOutcome(chunks.get(2), Outcome.APPENDED)));
        assertEquals(List.of(new AppendResult(3, 96, 3), new AppendResult(5, 0, 0)), results);
        assertEquals(List.of(new AppendResult(3, 0, 3), new AppendResult(0, 0, 0)),
                plan.results(List.of(new ChunkOutcome(chunks.get(1), Outcome.APPENDED_AFTER_TERMINAL))));
    }

    private static Segment transcript(String id) {
        return new Segment(SegmentType.Transcript, "{\"Transcript\":{\"Id\":\"" + id + "\"}}", id);
    }

    private static List<Segment> transcripts(String prefix, int count) {
        List<Segment> segments = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            segments.add(transcript(prefix + s));
        }
        return segments;
    }

    @Test
    void aPlacedTransactionLogsEachStreamsIdsAfterItsSegments() {
        List<Segment> segments = List.of(transcript("t1"), new Segment(SegmentType.Categories, "{}"), transcript("t2"));
        Transaction transaction = AppendPlan.of(List.of(new Append(OutputType.Redacted, "a", segments),
                new Append(OutputType.Raw, "b", List.of(new Segment(SegmentType.Categories, "{}"))))).transactions().getFirst();
        Placement placement = transaction.place(new Counters(0, 7));
        SegmentId t1 = new SegmentId(OutputType.Redacted, SegmentType.Transcript, "t1");
        SegmentId t2 = new SegmentId(OutputType.Redacted, SegmentType.Transcript, "t2");
        assertEquals(List.of(new Action.UpdateContact(), new Action.PutMarker(new MarkerId("a", 0)),
                new Action.PutSegment(OutputType.Redacted, 7, segments.get(0)), new Action.PutSegment(OutputType.Redacted, 8, segments.get(1)),
                new Action.PutSegment(OutputType.Redacted, 9, segments.get(2)), new Action.PutMarker(new MarkerId("b", 0)),
                new Action.PutSegment(OutputType.Raw, 0, new Segment(SegmentType.Categories, "{}")),
                new Action.LogIds(OutputType.Redacted, Set.of(t1, t2))), placement.actions());
        assertEquals(java.util.Map.of(OutputType.Redacted, Set.of(t1, t2)), placement.logged());
        assertEquals(Set.of(t1, t2), transaction.ids());
        assertEquals(Set.of(), placement.markersAt(List.of(0, 7)), "the contact and a log are not markers");

        // The stream holds t2 already (a producer's retry): left out, counted, and not logged again.
        Transaction left = transaction.withoutIds(Set.of(t2, new SegmentId(OutputType.Raw, SegmentType.Transcript, "t1")));
        Chunk chunk = left.chunks().getFirst();
        assertEquals(List.of(segments.get(0), segments.get(1)), chunk.segments());
        assertEquals(1, chunk.repeats());
        assertEquals(Set.of(t1), left.place(Counters.ZERO).logged().get(OutputType.Redacted));
        assertEquals(List.of(new AppendResult(2, 1, 0, 1), new AppendResult(1, 0, 0, 0)),
                AppendPlan.of(transaction.chunks().stream().map(c -> new Append(c.stream(), c.marker().eventKey(), c.segments())).toList())
                        .results(left.committed(false)));
        assertTrue(transaction.withoutIds(Set.of()) == transaction);
    }

    @Test
    void aChunkHolds96SegmentsSoItFitsWithTheContactItsMarkerAndTwoLogs() {
        AppendPlan plan = AppendPlan.of(List.of(new Append(OutputType.Raw, "a", transcripts("t", 200))));
        assertEquals(List.of(96, 96, 8), chunkSizes(plan));
        Segment withId = transcript("x");
        assertEquals(AppendPlan.bytes(new Segment(SegmentType.Transcript, withId.json())) + 3 * 1 + 256, AppendPlan.bytes(withId));
    }

    @Test
    void anIdTwiceInARunIsWrittenOnceAndPerStreamAndType() {
        Segment t1 = transcript("t1");
        Segment event1 = new Segment(SegmentType.Event, "{\"Event\":{\"Id\":\"t1\"}}", "t1");
        AppendPlan plan = AppendPlan.of(List.of(new Append(OutputType.Raw, "a", List.of(t1, t1, transcript("t2"))),
                new Append(OutputType.Raw, "retried", List.of(t1, transcript("t2"), event1)),
                new Append(OutputType.Redacted, "b", List.of(t1))));
        List<Chunk> chunks = plan.transactions().getFirst().chunks();
        assertEquals(List.of(List.of(t1, transcript("t2")), List.of(event1), List.of(t1)), chunks.stream().map(Chunk::segments).toList());
        assertEquals(List.of(1, 2, 0), chunks.stream().map(Chunk::repeats).toList());
        assertEquals(List.of(new AppendResult(2, 1, 0, 1), new AppendResult(1, 2, 0, 2), new AppendResult(1, 0, 0, 0)),
                plan.results(plan.transactions().getFirst().committed(false)));
    }

    @Test
    void countersMoveOneStreamAtATime() {
        Counters counters = new Counters(4, 9);
        assertEquals(4, counters.next(OutputType.Raw));
        assertEquals(9, counters.next(OutputType.Redacted));
        assertEquals(new Counters(6, 9), counters.plus(OutputType.Raw, 2));
        assertEquals(new Counters(4, 12), counters.plus(OutputType.Redacted, 3));
    }
}
