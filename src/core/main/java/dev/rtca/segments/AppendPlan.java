package dev.rtca.segments;

import dev.rtca.segments.ContactStore.Append;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * How a run of appends to one contact is written, worked out before anything is written: the store only executes it.
 *
 * <p>An event's segments are cut into {@link Chunk}s, each guarded by its own marker ({@link MarkerId}: the event key
 * and the chunk's number), so that a chunk fits one transaction with the contact item and its marker. The chunks go, in
 * order, into {@link Transaction}s of at most {@value #ACTIONS_PER_TRANSACTION} actions and
 * {@link #BYTES_PER_TRANSACTION} bytes; a transaction {@link Transaction#place placed} on the contact's counters as read
 * is a list of {@link Action}s: the contact item, per chunk its marker and its segments, then per stream the
 * {@link SegmentId}s of its segments that have an {@code Id} of their own (the stream's Id log at the contact's next
 * version: which Ids the stream holds is the union of its logs up to the version read).
 *
 * <p>Repeats: an event given twice in one run is written once, its later copies {@link Outcome#ALREADY_STORED} from the
 * start; a segment whose Id came earlier in the run is left out of its chunk. Before a transaction is placed, the
 * segments whose Ids the stream holds (a producer's retry under a new event key) are left out
 * ({@link Transaction#withoutIds}). When a commit is cancelled because some markers were there already (a redelivery),
 * {@link Placement#markersAt} names them and {@link Transaction#without} drops those chunks. The results are tallied
 * from the chunks' named outcomes.
 *
 * <p>The cut of an event depends on its segments alone, never on the run around it or on what is stored: a
 * redelivery in another batch finds the same markers.
 */
public final class AppendPlan {
    /** A transaction takes at most 100 actions. */
    public static final int ACTIONS_PER_TRANSACTION = 100;
    /** A transaction's Id logs: one per stream. */
    public static final int ID_LOGS_PER_TRANSACTION = OutputType.values().length;
    /** A chunk fits one transaction with the contact item, its own marker and the Id logs. */
    public static final int SEGMENTS_PER_CHUNK = ACTIONS_PER_TRANSACTION - 2 - ID_LOGS_PER_TRANSACTION;
    /** Well under DynamoDB's 4 MB per transaction. */
    public static final int BYTES_PER_TRANSACTION = 3 * 1024 * 1024;

    /** A chunk's marker: which event, which of its chunks. The store encodes it as the marker item's key. */
    public record MarkerId(String eventKey, int chunk) {
    }

    /** A segment's Id in its stream: a stream holds one segment of a type with a given Id. */
    public record SegmentId(OutputType stream, SegmentType type, String id) {
        /** The Id of a segment in a stream; null when the segment has no Id of its own. */
        static SegmentId of(OutputType stream, Segment segment) {
            return segment.id() == null ? null : new SegmentId(stream, segment.type(), segment.id());
        }
    }

    /**
     * Consecutive segments of one append, written together under one marker.
     *
     * @param append   the append's index in the run
     * @param segments the segments to write
     * @param repeats  the chunk's segments left out because their stream holds their Id (a producer's retry), or an
     *                 earlier append of the run brings it
     */
    public record Chunk(int append, OutputType stream, MarkerId marker, List<Segment> segments, int repeats) {
        public Chunk {
            segments = List.copyOf(segments);
        }

        /** The chunk's actions in a transaction: its marker and its segments. */
        public int actions() {
            return 1 + segments.size();
        }

        /** The bound of its items' size ({@link #bytes(Segment)} summed). */
        public int bytes() {
            int bytes = 0;
            for (Segment segment : segments) {
                bytes += AppendPlan.bytes(segment);
            }
            return bytes;
        }

        /** The chunk with the segments of these Ids left out (and counted as repeats). */
        public Chunk without(Set<SegmentId> held) {
            return keeping(segment -> segment.id() == null || !held.contains(SegmentId.of(stream, segment)));
        }

        /**
         * The chunk planned after others in a run: the segments whose Ids {@code claimed} holds, or that came earlier in
         * the chunk, left out; its own Ids added to {@code claimed}.
         */
        Chunk claiming(Set<SegmentId> claimed) {
            return keeping(segment -> segment.id() == null || claimed.add(SegmentId.of(stream, segment)));
        }

        private Chunk keeping(Predicate<Segment> keep) {
            List<Segment> left = new ArrayList<>(segments.size());
            for (Segment segment : segments) {
                if (keep.test(segment)) {
                    left.add(segment);
                }
            }
            return left.size() == segments.size() ? this
                    : new Chunk(append, stream, marker, left, repeats + segments.size() - left.size());
        }
    }

    /** One write of a transaction, in the order sent; a cancellation's reasons are by this order. */
    public sealed interface Action {
        /** The contact item's next version (counters, streams), guarded by the version read. Always action 0. */
        record UpdateContact() implements Action {
        }

        /** A chunk's marker, guarded by "not there yet". */
        record PutMarker(MarkerId marker) implements Action {
        }

        /** A segment item at its sequence. */
        record PutSegment(OutputType stream, long sequence, Segment segment) implements Action {
        }

        /** The Ids a stream's segments in this transaction have (the stream's Id log at the contact's next version). */
        record LogIds(OutputType stream, Set<SegmentId> ids) implements Action {
            public LogIds {
                ids = Set.copyOf(ids);
            }
        }
    }

    /** What became of a chunk. */
    public enum Outcome {
        /** Written by this run. */
        APPENDED,
        /** Written by this run to a contact already COMPLETED or FAILED. */
        APPENDED_AFTER_TERMINAL,
        /** Its marker was there (written before), or the same event came earlier in this run: not written again. */
        ALREADY_STORED
    }

    /** A chunk and what became of it. */
    public record ChunkOutcome(Chunk chunk, Outcome outcome) {
    }

    /** A contact's stream counters: the next sequence of each stream. */
    public record Counters(long raw, long redacted) {
        public static final Counters ZERO = new Counters(0, 0);

        public long next(OutputType stream) {
            return stream == OutputType.Raw ? raw : redacted;
        }

        /** The counters once {@code count} more segments are in {@code stream}. */
        public Counters plus(OutputType stream, long count) {
            return stream == OutputType.Raw ? new Counters(raw + count, redacted) : new Counters(raw, redacted + count);
        }
    }

    /**
     * A chunk's place in a transaction.
     *
     * @param first        the sequence of its first segment in its stream
     * @param markerAction the index of its marker's action in the transaction (the contact item is action 0); the
     *                     transaction's cancellation reasons are by action index
     */
    public record Placed(Chunk chunk, long first, int markerAction) {
    }

    /**
     * A transaction laid out on the counters it was read with: where each chunk goes, its actions in order, and the
     * counters after it.
     */
    public record Placement(List<Placed> chunks, List<Action> actions, Counters counters, Set<OutputType> streams) {
        public Placement {
            chunks = List.copyOf(chunks);
            actions = List.copyOf(actions);
            streams = Set.copyOf(streams);
        }

        /** The markers that were there already, given the indexes of the actions whose condition failed. */
        public Set<MarkerId> markersAt(Collection<Integer> failedActions) {
            Set<MarkerId> markers = new HashSet<>();
            for (int index : failedActions) {
                if (actions.get(index) instanceof Action.PutMarker marker) {
                    markers.add(marker.marker()); // the others: the contact's version (a lost race), or unconditional
                }
            }
            return markers;
        }

        /** The Ids this transaction logs, by stream. */
        public Map<OutputType, Set<SegmentId>> logged() {
            Map<OutputType, Set<SegmentId>> logged = new EnumMap<>(OutputType.class);
            for (Action action : actions) {
                if (action instanceof Action.LogIds log) {
                    logged.put(log.stream(), log.ids());
                }
            }
            return logged;
        }
    }

    /** Chunks written in one transaction, after the contact item. */
    public record Transaction(List<Chunk> chunks) {
        public Transaction {
            chunks = List.copyOf(chunks);
        }

        /** Its actions: the contact item, then each chunk's marker and segments. */
        public int actions() {
            int actions = 1;
            for (Chunk chunk : chunks) {
                actions += chunk.actions();
            }
            return actions;
        }

        /** The bound of its segment items' size. */
        public long bytes() {
            long bytes = 0;
            for (Chunk chunk : chunks) {
                bytes += chunk.bytes();
            }
            return bytes;
        }

        /**
         * The chunks at the ends of their streams as the counters stand, in order, as actions, then each stream's Id log;
         * the counters after them.
         */
        public Placement place(Counters from) {
            List<Placed> placed = new ArrayList<>(chunks.size());
            List<Action> actions = new ArrayList<>(actions());
            actions.add(new Action.UpdateContact());
            Set<OutputType> streams = EnumSet.noneOf(OutputType.class);
            Map<OutputType, Set<SegmentId>> logs = new EnumMap<>(OutputType.class);
            Counters counters = from;
            for (Chunk chunk : chunks) {
                long first = counters.next(chunk.stream());
                placed.add(new Placed(chunk, first, actions.size()));
                actions.add(new Action.PutMarker(chunk.marker()));
                for (int s = 0; s < chunk.segments().size(); s++) {
                    Segment segment = chunk.segments().get(s);
                    actions.add(new Action.PutSegment(chunk.stream(), first + s, segment));
                    SegmentId id = SegmentId.of(chunk.stream(), segment);
                    if (id != null) {
                        logs.computeIfAbsent(chunk.stream(), k -> new HashSet<>()).add(id);
                    }
                }
                counters = counters.plus(chunk.stream(), chunk.segments().size());
                streams.add(chunk.stream());
            }
            logs.forEach((stream, ids) -> actions.add(new Action.LogIds(stream, ids)));
            return new Placement(placed, actions, counters, streams);
        }

        /** The Ids of its segments that have one: those a writer looks up in their streams before placing it. */
        public Set<SegmentId> ids() {
            Set<SegmentId> ids = new HashSet<>();
            for (Chunk chunk : chunks) {
                for (Segment segment : chunk.segments()) {
                    SegmentId id = SegmentId.of(chunk.stream(), segment);
                    if (id != null) {
                        ids.add(id);
                    }
                }
            }
            return ids;
        }

        /** What is left to write once these markers were found stored: their chunks dropped. */
        public Transaction without(Set<MarkerId> stored) {
            return new Transaction(chunks.stream().filter(c -> !stored.contains(c.marker())).toList());
        }

        /** What is left to write once the streams are known to hold these Ids: those segments left out of their chunks. */
        public Transaction withoutIds(Set<SegmentId> held) {
            return held.isEmpty() ? this : new Transaction(chunks.stream().map(c -> c.without(held)).toList());
        }

        /** The outcomes of those of its chunks whose markers were found stored. */
        public List<ChunkOutcome> alreadyStored(Set<MarkerId> stored) {
            return chunks.stream().filter(c -> stored.contains(c.marker()))
                    .map(c -> new ChunkOutcome(c, Outcome.ALREADY_STORED)).toList();
        }

        /** The outcomes of its chunks once it committed, on a contact that was or was not ended already. */
        public List<ChunkOutcome> committed(boolean afterTerminal) {
            Outcome outcome = afterTerminal ? Outcome.APPENDED_AFTER_TERMINAL : Outcome.APPENDED;
            return chunks.stream().map(c -> new ChunkOutcome(c, outcome)).toList();
        }

        public boolean isEmpty() {
            return chunks.isEmpty();
        }
    }

    private final int appends;
    private final Set<OutputType> streamsToOpen;
    private final List<ChunkOutcome> repeated;
    private final List<Transaction> transactions;

    private AppendPlan(int appends, Set<OutputType> streamsToOpen, List<ChunkOutcome> repeated, List<Transaction> transactions) {
        this.appends = appends;
        this.streamsToOpen = streamsToOpen;
        this.repeated = repeated;
        this.transactions = transactions;
    }

    /** The plan of a run of appends to one contact, in order. */
    public static AppendPlan of(List<Append> appends) {
        Set<OutputType> streamsToOpen = EnumSet.noneOf(OutputType.class);
        Set<MarkerId> planned = new HashSet<>();
        Set<SegmentId> claimed = new HashSet<>();
        List<Chunk> toWrite = new ArrayList<>();
        List<ChunkOutcome> repeated = new ArrayList<>();
        for (int a = 0; a < appends.size(); a++) {
            Append append = appends.get(a);
            if (append.segments().isEmpty()) {
                streamsToOpen.add(append.stream());
            }
            for (Chunk chunk : chunks(a, append)) {
                if (planned.add(chunk.marker())) {
                    toWrite.add(chunk.claiming(claimed));
                } else {
                    repeated.add(new ChunkOutcome(chunk, Outcome.ALREADY_STORED));
                }
            }
        }
        List<Transaction> transactions = new ArrayList<>();
        for (List<Chunk> run : pack(toWrite, Chunk::actions, Chunk::bytes, ACTIONS_PER_TRANSACTION - 1 - ID_LOGS_PER_TRANSACTION)) {
            transactions.add(new Transaction(run));
        }
        return new AppendPlan(appends.size(), streamsToOpen, List.copyOf(repeated), List.copyOf(transactions));
    }

    /**
     * One append's segments cut into chunks of at most {@value #SEGMENTS_PER_CHUNK} segments and the byte bound.
     */
    static List<Chunk> chunks(int index, Append append) {
        List<Chunk> chunks = new ArrayList<>();
        List<List<Segment>> parts = pack(append.segments(), segment -> 1, AppendPlan::bytes, SEGMENTS_PER_CHUNK);
        for (int c = 0; c < parts.size(); c++) {
            chunks.add(new Chunk(index, append.stream(), new MarkerId(append.eventKey(), c), parts.get(c), 0));
        }
        return chunks;
    }

    /**
     * An upper bound of what a segment adds to a transaction: its item (its payload's UTF-8 bound plus key and attribute
     * overhead) and its Id in the stream's log.
     */
    public static int bytes(Segment segment) {
        return segment.json().length() * 3 + 256 + (segment.id() == null ? 0 : segment.id().length() * 3 + 256);
    }

    /**
     * Items in order, cut into runs that each stay within {@code maxActions} actions and {@link #BYTES_PER_TRANSACTION}
     * bytes (an item too big alone still gets a run of its own).
     */
    private static <T> List<List<T>> pack(List<T> items, ToIntFunction<T> actions,
                                          ToIntFunction<T> bytes, int maxActions) {
        List<List<T>> runs = new ArrayList<>();
        List<T> run = new ArrayList<>();
        int runActions = 0;
        long runBytes = 0;
        for (T item : items) {
            int itemActions = actions.applyAsInt(item);
            int itemBytes = bytes.applyAsInt(item);
            if (!run.isEmpty() && (runActions + itemActions > maxActions || runBytes + itemBytes > BYTES_PER_TRANSACTION)) {
                runs.add(run);
                run = new ArrayList<>();
                runActions = 0;
                runBytes = 0;
            }
            run.add(item);
            runActions += itemActions;
            runBytes += itemBytes;
        }
        if (!run.isEmpty()) {
            runs.add(run);
        }
        return runs;
    }

    /** The streams of the run's appends that carry no segments: the store only records that the contact has them. */
    public Set<OutputType> streamsToOpen() {
        return streamsToOpen.isEmpty() ? Set.of() : EnumSet.copyOf(streamsToOpen);
    }

    /** The transactions to run, in order. */
    public List<Transaction> transactions() {
        return transactions;
    }

    /** The chunks of events given earlier in the same run: already stored by their first copy, never written. */
    public List<ChunkOutcome> repeated() {
        return repeated;
    }

    /**
     * Each append's result, from the outcomes of the chunks its transactions wrote or found stored (those of
     * {@link #repeated} are counted too).
     */
    public List<AppendResult> results(List<ChunkOutcome> outcomes) {
        List<ChunkOutcome> all = new ArrayList<>(repeated);
        all.addAll(outcomes);
        List<AppendResult> results = new ArrayList<>(appends);
        for (int a = 0; a < appends; a++) {
            AppendResult result = new AppendResult(0, 0, 0, 0);
            for (ChunkOutcome outcome : all) {
                if (outcome.chunk().append() == a) {
                    result = tally(result, outcome);
                }
            }
            results.add(result);
        }
        return results;
    }

    /**
     * A result with one more chunk's outcome counted: a chunk found stored (a redelivery) counts all its segments as
     * duplicates; a written one its segments as appended and those left out for their Ids as duplicates by Id.
     */
    private static AppendResult tally(AppendResult result, ChunkOutcome outcome) {
        int size = outcome.chunk().segments().size();
        int repeats = outcome.chunk().repeats();
        boolean written = outcome.outcome() != Outcome.ALREADY_STORED;
        return new AppendResult(result.appended() + (written ? size : 0), result.duplicates() + repeats + (written ? 0 : size),
                result.afterTerminal() + (outcome.outcome() == Outcome.APPENDED_AFTER_TERMINAL ? size : 0),
                result.sameId() + (written ? repeats : 0));
    }
}
