package dev.rtca.segments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rtca.segments.AppendPlan.Action;
import dev.rtca.segments.AppendPlan.Chunk;
import dev.rtca.segments.AppendPlan.ChunkOutcome;
import dev.rtca.segments.AppendPlan.Counters;
import dev.rtca.segments.AppendPlan.MarkerId;
import dev.rtca.segments.AppendPlan.Outcome;
import dev.rtca.segments.AppendPlan.Placement;
import dev.rtca.segments.AppendPlan.SegmentId;
import dev.rtca.segments.AppendPlan.Transaction;
import dev.rtca.segments.ContactStore.Append;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Properties of {@link AppendPlan}, over random runs of appends executed against a table in memory that checks what
 * DynamoDB checks (a transaction is all or nothing; it is cancelled when the contact's version moved since it was
 * read or a chunk's marker is there; the reasons name the failed actions by index). The executor does what the store
 * does with a plan. Around it: a prior delivery of some of the events cut short after any number of its transactions
 * (another batch, so other neighbours), sometimes any subset of the run's chunks stored on their own, foreign writers
 * and a close of the contact racing the run, and the same event more than once in the run.
 *
 * <p>Seeded: every iteration's seed is in its failure message; {@code -DappendPlan.seed=N} starts from another seed and
 * {@code -DappendPlan.iterations=N} runs more.
 */
class AppendPlanPropertyTest {
    private static final long SEED = Long.getLong("appendPlan.seed", 20_261_205L);
    private static final int ITERATIONS = Integer.getInteger("appendPlan.iterations", 400);
    /** Large payloads are shared strings: the table tells segments apart by identity, so sharing costs nothing. */
    private static final Map<Integer, String> PADDING = new HashMap<>();

    @Test
    void anyRunAnyRedeliveryAnyRaceStoresEverySegmentOnceInOrderWithoutGaps() {
        for (int i = 0; i < ITERATIONS; i++) {
            long seed = SEED + i;
            try {
                iteration(new Random(seed));
            } catch (AssertionError e) {
                throw new AssertionError("iteration seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    private static void iteration(Random random) {
        List<Append> events = new ArrayList<>();
        int distinct = 1 + random.nextInt(6);
        for (int e = 0; e < distinct; e++) {
            events.add(event(random, "event-" + e));
        }
        List<Append> run = new ArrayList<>();
        int length = 1 + random.nextInt(8);
        for (int a = 0; a < length; a++) {
            run.add(events.get(random.nextInt(events.size())));
        }
        Table table = new Table(random);
        table.terminal = random.nextInt(5) == 0;
        // A prior delivery: some of the events, in another order with other neighbours, cut short anywhere.
        List<Append> prior = new ArrayList<>();
        for (Append event : events) {
            if (random.nextBoolean()) {
                prior.add(random.nextInt(4) == 0 ? copy(event) : event);
            }
        }
        Collections.shuffle(prior, random);
        List<Append> known = new ArrayList<>(events);
        if (random.nextBoolean()) {
            Append neighbour = event(random, "neighbour");
            prior.add(neighbour);
            known.add(neighbour);
        }
        AppendPlan priorPlan = AppendPlan.of(prior);
        execute(priorPlan, table, random.nextInt(priorPlan.transactions().size() + 1), random.nextInt(3) == 0);
        // Sometimes any subset of the run's chunks on their own (out of any order an event's chunks would commit in).
        boolean anySubset = random.nextInt(4) == 0;
        AppendPlan plan = AppendPlan.of(run);
        if (anySubset) {
            for (Transaction transaction : plan.transactions()) {
                for (Chunk chunk : transaction.chunks()) {
                    if (random.nextInt(3) == 0) {
                        execute(new Transaction(List.of(chunk)), table, false, new ArrayList<>());
                    }
                }
            }
        }
        Set<MarkerId> storedBefore = new HashSet<>(table.markers);
        boolean terminalBefore = table.terminal;

        List<ChunkOutcome> outcomes = execute(plan, table, Integer.MAX_VALUE, random.nextBoolean());
        List<AppendResult> results = plan.results(outcomes);

        checkBounds(plan, run);
        checkTable(table, known, run, !anySubset);
        checkResults(plan, run, results, storedBefore, terminalBefore, table.terminal);

        // Delivered once more, whole: nothing is written.
        int items = table.size();
        List<AppendResult> again = plan.results(execute(plan, table, Integer.MAX_VALUE, false));
        assertEquals(items, table.size(), "a redelivery wrote");
        for (int a = 0; a < run.size(); a++) {
            assertEquals(new AppendResult(0, run.get(a).segments().size(), 0), again.get(a), "redelivered append " + a);
        }
    }

    @Test
    void producerRetriesAndRepeatedIdsStoreEachIdOnceAndLoseNothing() {
        for (int i = 0; i < ITERATIONS; i++) {
            long seed = SEED + 1_000_000 + i;
            try {
                idIteration(new Random(seed));
            } catch (AssertionError e) {
                throw new AssertionError("iteration seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Events whose segments mostly carry Ids from a small pool (so an Id comes back in another event, under another
     * key, in the same event, in both streams), retried by their producer under new keys, redelivered, cut short, raced.
     */
    private static void idIteration(Random random) {
        List<Segment> pool = new ArrayList<>();
        SegmentType[] withIds = {SegmentType.Transcript, SegmentType.Event, SegmentType.Attachments};
        for (int p = 0, size = 1 + random.nextInt(40); p < size; p++) {
            // One Id under two types now and then: a claim is per type, so these are two segments.
            String id = "id-" + random.nextInt(size);
            pool.add(new Segment(withIds[random.nextInt(withIds.length)], "{\"Id\":\"" + id + "\",\"n\":" + p + "}", id));
        }
        List<Append> events = new ArrayList<>();
        for (int e = 0, count = 1 + random.nextInt(5); e < count; e++) {
            List<Segment> segments = new ArrayList<>();
            for (int s = 0, size = switch (random.nextInt(8)) {
                case 0 -> 0;
                case 1 -> 40 + random.nextInt(80); // around a chunk's 49 segments with Ids
                default -> 1 + random.nextInt(12);
            }; s < size; s++) {
                segments.add(random.nextInt(5) == 0 ? new Segment(SegmentType.Categories, "{\"c\":\"" + e + "/" + s + "\"}")
                        : pool.get(random.nextInt(pool.size())));
            }
            events.add(new Append(OutputType.values()[random.nextInt(2)], "event-" + e, segments));
        }
        List<Append> run = new ArrayList<>();
        for (int a = 0, length = 1 + random.nextInt(8); a < length; a++) {
            Append event = events.get(random.nextInt(events.size()));
            // A producer's retry: the same record under the key of a new sequence number.
            run.add(random.nextInt(3) == 0 ? new Append(event.stream(), event.eventKey() + "/retry-" + a, event.segments()) : event);
        }
        Table table = new Table(random);
        table.racingIds = pool;
        List<Append> prior = new ArrayList<>();
        for (Append event : events) {
            if (random.nextBoolean()) {
                prior.add(random.nextBoolean() ? event : new Append(event.stream(), event.eventKey() + "/earlier", event.segments()));
            }
        }
        Collections.shuffle(prior, random);
        AppendPlan priorPlan = AppendPlan.of(prior);
        execute(priorPlan, table, random.nextInt(priorPlan.transactions().size() + 1), random.nextInt(3) == 0);
        int segmentsBefore = table.segments() - table.foreign.size();

        AppendPlan plan = AppendPlan.of(run);
        checkBounds(plan, run);
        List<AppendResult> results = plan.results(execute(plan, table, Integer.MAX_VALUE, random.nextBoolean()));

        checkIds(table);
        for (OutputType stream : OutputType.values()) {
            TreeMap<Long, Segment> items = table.items.get(stream);
            assertEquals(table.counters.next(stream), items.size(), stream + " counter");
            assertTrue(items.isEmpty() || items.lastKey() == items.size() - 1L, stream + " has a gap");
        }
        int appended = 0;
        for (int a = 0; a < run.size(); a++) {
            Append append = run.get(a);
            AppendResult result = results.get(a);
            assertEquals(append.segments().size(), result.appended() + result.duplicates(), "append " + a + " " + result);
            assertTrue(result.sameId() <= result.duplicates(), "append " + a + " " + result);
            appended += result.appended();
            for (Segment segment : append.segments()) {
                if (segment.id() != null) {
                    assertTrue(table.logged().contains(new SegmentId(append.stream(), segment.type(), segment.id())),
                            "an Id of the run not stored: " + segment.id());
                } else {
                    assertTrue(table.items.get(append.stream()).containsValue(segment), "a segment without an Id lost");
                }
            }
        }
        assertEquals(table.segments() - segmentsBefore - table.foreign.size(), appended, "segments the run says it appended");

        // Redelivered whole: nothing is written. Retried by the producer under new keys: no segment with an Id is.
        int items = table.size();
        List<AppendResult> again = plan.results(execute(plan, table, Integer.MAX_VALUE, false));
        assertEquals(items, table.size(), "a redelivery wrote");
        for (int a = 0; a < run.size(); a++) {
            assertEquals(0, again.get(a).appended(), "redelivered append " + a);
        }
        List<Append> retried = run.stream().map(e -> new Append(e.stream(), e.eventKey() + "/again", e.segments())).toList();
        List<AppendResult> retries = AppendPlan.of(retried).results(execute(AppendPlan.of(retried), table, Integer.MAX_VALUE, false));
        checkIds(table);
        for (int a = 0; a < run.size(); a++) {
            long withoutId = run.get(a).segments().stream().filter(s -> s.id() == null).count();
            assertTrue(retries.get(a).appended() <= withoutId, "a retry stored a segment with an Id again, append " + a);
        }
    }

    /** Each stream holds each (type, Id) once, and its logs name exactly the Ids it holds. */
    private static void checkIds(Table table) {
        Set<SegmentId> stored = new HashSet<>();
        table.items.forEach((stream, items) -> items.values().forEach(segment -> {
            if (segment.id() != null) {
                assertTrue(stored.add(new SegmentId(stream, segment.type(), segment.id())), "an Id stored twice: " + segment.id());
            }
        }));
        assertEquals(stored, table.logged(), "the logs and the Ids stored");
    }

    /** What the store does with a plan: each transaction placed on the counters as read, committed, or cut and retried. */
    private static List<ChunkOutcome> execute(AppendPlan plan, Table table, int transactionsToRun, boolean racing) {
        List<ChunkOutcome> outcomes = new ArrayList<>();
        int run = 0;
        for (Transaction transaction : plan.transactions()) {
            if (run++ == transactionsToRun) {
                return null; // failed here: the rest is not written
            }
            execute(transaction, table, racing, outcomes);
        }
        return outcomes;
    }

    private static void execute(Transaction transaction, Table table, boolean racing, List<ChunkOutcome> outcomes) {
        Transaction left = transaction;
        for (int attempt = 0; attempt < 1_000; attempt++) {
            Counters counters = table.counters;
            long version = table.version;
            boolean terminal = table.terminal;
            left = left.withoutIds(table.held(version, left.ids())); // the Id logs as of the version read
            Placement placement = left.place(counters);
            if (racing && table.random.nextInt(3) == 0) {
                table.foreignWrite(); // another writer of the contact commits between the read and this commit
            }
            Set<Integer> failed = table.commit(placement, version);
            if (failed.isEmpty()) {
                outcomes.addAll(left.committed(terminal));
                return;
            }
            Set<MarkerId> found = placement.markersAt(failed);
            if (!found.isEmpty()) {
                outcomes.addAll(left.alreadyStored(found));
                left = left.without(found);
                if (left.isEmpty()) {
                    return;
                }
            }
        }
        fail("a transaction never committed");
    }

    private static void checkBounds(AppendPlan plan, List<Append> run) {
        Set<MarkerId> markers = new HashSet<>();
        Map<MarkerId, Chunk> planned = new HashMap<>();
        for (Transaction transaction : plan.transactions()) {
            assertTrue(transaction.actions() <= AppendPlan.ACTIONS_PER_TRANSACTION, "actions " + transaction.actions());
            assertTrue(transaction.place(Counters.ZERO).actions().size() <= AppendPlan.ACTIONS_PER_TRANSACTION, "actions with the logs");
            boolean oversizeAlone = transaction.chunks().size() == 1 && transaction.chunks().getFirst().segments().size() == 1;
            assertTrue(transaction.bytes() <= AppendPlan.BYTES_PER_TRANSACTION || oversizeAlone, "bytes " + transaction.bytes());
            assertFalse(transaction.isEmpty(), "an empty transaction");
            for (Chunk chunk : transaction.chunks()) {
                assertTrue(markers.add(chunk.marker()), "a marker twice in a plan: " + chunk.marker());
                planned.put(chunk.marker(), chunk);
                assertTrue(chunk.segments().size() <= AppendPlan.SEGMENTS_PER_CHUNK, "chunk of " + chunk.segments().size());
            }
        }
        for (ChunkOutcome repeated : plan.repeated()) {
            assertEquals(Outcome.ALREADY_STORED, repeated.outcome());
            Chunk first = planned.get(repeated.chunk().marker());
            assertTrue(repeated.chunk().segments().containsAll(first.segments()), "a repeated chunk differs from its first copy");
            assertEquals(repeated.chunk().segments().size(), first.segments().size() + first.repeats(), "a repeated chunk's size");
            assertTrue(first.append() < repeated.chunk().append(), "the first copy is not the one written");
        }
        // Each append's chunks, numbered from 0, are its segments cut without loss, but for those whose Id an earlier
        // segment of the run claims (in the first copy of an event; a later copy is the first's chunks as they are).
        Set<SegmentId> claimed = new HashSet<>();
        Set<String> firstCopies = new HashSet<>();
        Map<Integer, List<Chunk>> byAppend = new TreeMap<>();
        plan.transactions().forEach(t -> t.chunks().forEach(c -> byAppend.computeIfAbsent(c.append(), k -> new ArrayList<>()).add(c)));
        plan.repeated().forEach(r -> byAppend.computeIfAbsent(r.chunk().append(), k -> new ArrayList<>()).add(r.chunk()));
        for (int a = 0; a < run.size(); a++) {
            List<Segment> joined = new ArrayList<>();
            int repeats = 0;
            List<Segment> expected = run.get(a).segments();
            if (firstCopies.add(run.get(a).eventKey())) {
                OutputType stream = run.get(a).stream();
                expected = expected.stream().filter(s -> s.id() == null || claimed.add(new SegmentId(stream, s.type(), s.id()))).toList();
            }
            List<Chunk> chunks = byAppend.getOrDefault(a, List.of());
            for (int c = 0; c < chunks.size(); c++) {
                Chunk chunk = chunks.get(c);
                assertEquals(new MarkerId(run.get(a).eventKey(), c), chunk.marker());
                assertEquals(run.get(a).stream(), chunk.stream());
                assertEquals(chunk.segments().stream().mapToInt(AppendPlan::bytes).sum(), chunk.bytes());
                assertTrue(chunk.bytes() <= AppendPlan.BYTES_PER_TRANSACTION || chunk.segments().size() == 1, "chunk bytes");
                joined.addAll(chunk.segments());
                repeats += chunk.repeats();
            }
            assertEquals(expected, joined, "append " + a + " cut with a loss");
            assertEquals(run.get(a).segments().size(), joined.size() + repeats, "append " + a + " repeats");
        }
    }

    private static void checkTable(Table table, List<Append> events, List<Append> run, boolean eventsInOrder) {
        for (OutputType stream : OutputType.values()) {
            TreeMap<Long, Segment> items = table.items.get(stream);
            assertEquals(table.counters.next(stream), items.size(), stream + " counter");
            if (!items.isEmpty()) {
                assertEquals(0L, items.firstKey(), stream + " starts at 0");
                assertEquals(items.size() - 1L, items.lastKey(), stream + " has a gap");
            }
        }
        assertEquals(0, table.overwrites, "a segment item was written over");
        Map<Segment, Long> where = new IdentityHashMap<>();
        Map<Segment, OutputType> streamOf = new IdentityHashMap<>();
        table.items.forEach((stream, items) -> items.forEach((sequence, segment) -> {
            assertTrue(where.put(segment, sequence) == null, "a segment stored twice");
            streamOf.put(segment, stream);
        }));
        int expected = table.foreign.size();
        for (Append event : events) {
            long previous = -1;
            for (Chunk chunk : AppendPlan.chunks(0, event)) {
                if (!table.markers.contains(chunk.marker())) {
                    assertFalse(run.contains(event), "a chunk of the run not stored: " + chunk.marker());
                    continue; // a prior delivery cut short, of an event the run does not have
                }
                expected += chunk.segments().size();
                long first = where.getOrDefault(chunk.segments().getFirst(), -1L);
                for (int s = 0; s < chunk.segments().size(); s++) {
                    Segment segment = chunk.segments().get(s);
                    assertEquals(first + s, where.get(segment), chunk.marker() + " segment " + s + " lost or not contiguous");
                    assertSame(event.stream(), streamOf.get(segment));
                }
                if (eventsInOrder) {
                    assertTrue(first > previous, event.eventKey() + " out of order at chunk " + chunk.marker().chunk());
                }
                previous = first;
            }
        }
        for (Segment segment : table.foreign) {
            assertTrue(where.containsKey(segment), "a foreign writer's segment lost");
        }
        assertEquals(expected, where.size(), "items besides the events'");
    }

    private static void checkResults(AppendPlan plan, List<Append> run, List<AppendResult> results, Set<MarkerId> storedBefore,
                                     boolean terminalBefore, boolean terminalAfter) {
        assertEquals(run.size(), results.size());
        Set<String> seen = new HashSet<>();
        for (int a = 0; a < run.size(); a++) {
            Append append = run.get(a);
            AppendResult result = results.get(a);
            int size = append.segments().size();
            assertEquals(size, result.appended() + result.duplicates(), "append " + a + " " + result);
            if (!seen.add(append.eventKey())) {
                assertEquals(new AppendResult(0, size, 0), result, "a repeated event in the run, append " + a);
                continue;
            }
            int fresh = 0;
            for (Chunk chunk : AppendPlan.chunks(a, append)) {
                fresh += storedBefore.contains(chunk.marker()) ? 0 : chunk.segments().size();
            }
            assertEquals(fresh, result.appended(), "append " + a + " appended");
            if (terminalBefore) {
                assertEquals(result.appended(), result.afterTerminal(), "after the end, append " + a);
            }
            if (!terminalAfter) {
                assertEquals(0, result.afterTerminal(), "never ended, append " + a);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ generators

    private static Append event(Random random, String key) {
        int count = switch (random.nextInt(20)) {
            case 0 -> 0;
            case 1, 2, 3 -> 90 + random.nextInt(20); // around a chunk's size
            case 4, 5 -> 100 + random.nextInt(200);
            default -> 1 + random.nextInt(40);
        };
        List<Segment> segments = new ArrayList<>(count);
        boolean large = random.nextInt(6) == 0;
        for (int s = 0; s < count; s++) {
            segments.add(segment(random, key + "/" + s, large));
        }
        return new Append(OutputType.values()[random.nextInt(2)], key, segments);
    }

    private static Segment segment(Random random, String id, boolean large) {
        SegmentType type = SegmentType.values()[random.nextInt(SegmentType.values().length)];
        if (!large || random.nextInt(3) != 0) {
            return new Segment(type, "{\"id\":\"" + id + "\"}");
        }
        // Large payloads: around the byte bound's edges (three of 349,440 fill it exactly), rarely one past it alone.
        int[] lengths = {50_000, 200_000, 349_439, 349_440, 349_441, 700_000, 1_048_321, 1_100_000};
        int length = lengths[random.nextInt(lengths.length)];
        return new Segment(type, PADDING.computeIfAbsent(length, "x"::repeat));
    }

    private static Append copy(Append event) {
        return new Append(event.stream(), event.eventKey(), new ArrayList<>(event.segments()));
    }

    /** One contact's items as DynamoDB would hold them, with its conditions. */
    private static final class Table {
        final Random random;
        final Set<MarkerId> markers = new HashSet<>();
        /** Each version's Id logs, by stream. */
        final Map<Long, Map<OutputType, Set<SegmentId>>> logs = new HashMap<>();
        /** Segments with Ids a racing writer may store (a producer's retry racing its original). */
        List<Segment> racingIds = List.of();
        final Map<OutputType, TreeMap<Long, Segment>> items = new EnumMap<>(OutputType.class);
        final List<Segment> foreign = new ArrayList<>();
        Counters counters = Counters.ZERO;
        long version;
        boolean terminal;
        int overwrites;

        Table(Random random) {
            this.random = random;
            for (OutputType stream : OutputType.values()) {
                items.put(stream, new TreeMap<>());
            }
        }

        /**
         * The failed actions' indexes, or none when it committed: all or nothing. The actions are taken as sent, each
         * checked as DynamoDB checks its condition; one item twice in a transaction is refused.
         */
        Set<Integer> commit(Placement placement, long readVersion) {
            List<Action> actions = placement.actions();
            assertTrue(actions.getFirst() instanceof Action.UpdateContact, "the contact item is not action 0");
            Set<Integer> failed = new HashSet<>();
            Set<Object> items = new HashSet<>();
            for (int i = 0; i < actions.size(); i++) {
                Action action = actions.get(i);
                Object item = switch (action) {
                    case Action.UpdateContact contact -> "contact";
                    case Action.PutMarker marker -> marker.marker();
                    case Action.PutSegment put -> List.of(put.stream(), put.sequence());
                    case Action.LogIds log -> List.of("log", log.stream());
                };
                assertTrue(items.add(item), "two actions on one item in a transaction: " + item);
                boolean holds = switch (action) {
                    case Action.UpdateContact contact -> version == readVersion;
                    case Action.PutMarker marker -> !markers.contains(marker.marker());
                    case Action.PutSegment put -> true;
                    case Action.LogIds log -> true;
                };
                if (!holds) {
                    failed.add(i);
                }
            }
            if (!failed.isEmpty()) {
                return failed;
            }
            for (Action action : actions) {
                switch (action) {
                    case Action.UpdateContact contact -> { }
                    case Action.PutMarker marker -> markers.add(marker.marker());
                    case Action.PutSegment put -> put(put.stream(), put.sequence(), put.segment());
                    case Action.LogIds log -> log(version + 1, log.stream(), log.ids());
                }
            }
            counters = placement.counters();
            version++;
            return Set.of();
        }

        /** Those of these Ids their streams hold as of a version: in the union of the logs up to it. */
        Set<SegmentId> held(long asOf, Set<SegmentId> candidates) {
            Set<SegmentId> held = new HashSet<>();
            logs.forEach((version, byStream) -> {
                if (version <= asOf) {
                    byStream.values().forEach(ids -> ids.stream().filter(candidates::contains).forEach(held::add));
                }
            });
            return held;
        }

        void log(long version, OutputType stream, Set<SegmentId> ids) {
            assertTrue(logs.computeIfAbsent(version, v -> new EnumMap<>(OutputType.class)).put(stream, ids) == null,
                    "a log written twice");
        }

        /** Every Id its stream holds, logged. */
        Set<SegmentId> logged() {
            Set<SegmentId> logged = new HashSet<>();
            logs.values().forEach(byStream -> byStream.values().forEach(logged::addAll));
            return logged;
        }

        void foreignWrite() {
            if (random.nextInt(4) == 0) {
                terminal = true; // a COMPLETED: the contact item's version moves on
            } else if (!racingIds.isEmpty() && random.nextBoolean()) {
                // Another writer stores a segment with an Id the stream does not hold yet, and logs it.
                Segment segment = racingIds.get(random.nextInt(racingIds.size()));
                OutputType stream = OutputType.values()[random.nextInt(2)];
                SegmentId id = new SegmentId(stream, segment.type(), segment.id());
                if (held(version, Set.of(id)).isEmpty()) {
                    foreign.add(segment);
                    put(stream, counters.next(stream), segment);
                    counters = counters.plus(stream, 1);
                    log(version + 1, stream, Set.of(id));
                }
            } else {
                OutputType stream = OutputType.values()[random.nextInt(2)];
                for (int s = random.nextInt(3); s >= 0; s--) {
                    Segment segment = new Segment(SegmentType.Event, "{\"foreign\":" + foreign.size() + "}");
                    foreign.add(segment);
                    put(stream, counters.next(stream), segment);
                    counters = counters.plus(stream, 1);
                }
            }
            version++;
        }

        private void put(OutputType stream, long sequence, Segment segment) {
            if (items.get(stream).put(sequence, segment) != null) {
                overwrites++;
            }
        }

        int segments() {
            return items.values().stream().mapToInt(Map::size).sum();
        }

        int size() {
            return items.values().stream().mapToInt(Map::size).sum() + markers.size() + logs.size();
        }

    }
}
