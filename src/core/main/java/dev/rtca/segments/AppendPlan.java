package dev.rtca.segments;

import dev.rtca.segments.ContactStore.Append;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * How a run of appends to one contact is written, worked out before anything is written: the store only executes it.
 *
 * <p>An event's segments are cut into {@link Chunk}s, each guarded by its own marker ({@link MarkerId}: the event key
 * and the chunk's number), so that a chunk fits one transaction with the contact item and its marker. The chunks go,
 * in order, into {@link Transaction}s of at most {@value #ACTIONS_PER_TRANSACTION} actions (the contact item, then per
 * chunk its marker and its segments) and {@link #BYTES_PER_TRANSACTION} bytes. An event given twice in one run is
 * written once: its later copies are {@link Outcome#ALREADY_STORED} from the start (a transaction may not act on one
 * item twice). A transaction is {@link Transaction#place placed} on the contact's counters as read; when its commit
 * finds some markers stored already (a redelivery), {@link Transaction#without} is what is left to write. The results
 * are tallied from the chunks' named outcomes.
 *
 * <p>The cut of an event depends on its segments alone, never on the run around it: a redelivery in another batch
 * finds the same markers.
 */
public final class AppendPlan {
    /** A transaction takes at most 100 actions. */
    public static final int ACTIONS_PER_TRANSACTION = 100;
    /** A chunk fits one transaction with the contact item and its own marker. */
    public static final int SEGMENTS_PER_CHUNK = ACTIONS_PER_TRANSACTION - 2;
    /** Well under DynamoDB's 4 MB per transaction. */
    public static final int BYTES_PER_TRANSACTION = 3 * 1024 * 1024;

    /** A chunk's marker: which event, which of its chunks. The store encodes it as the marker item's key. */
    public record MarkerId(String eventKey, int chunk) {
    }

    /**
     * Consecutive segments of one append, written together under one marker.
     *
     * @param append   the append's index in the run
     * @param bytes    the bound of its segment items' size ({@link #bytes(Segment)} summed)
     */
    public record Chunk(int append, OutputType stream, MarkerId marker, List<Segment> segments, int bytes) {
        public Chunk {
            segments = List.copyOf(segments);
        }

        /** The chunk's actions in a transaction: its marker and its segments. */
        public int actions() {
            return 1 + segments.size();
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

    /** A transaction laid out on the counters it was read with: where each chunk goes, and the counters after it. */
    public record Placement(List<Placed> chunks, Counters counters, Set<OutputType> streams) {
        public Placement {
            chunks = List.copyOf(chunks);
            streams = Set.copyOf(streams);
        }

        /** The markers of the chunks whose marker actions failed, given the failed actions' indexes. */
        public Set<MarkerId> markersAt(Collection<Integer> failedActions) {
            Set<MarkerId> found = new HashSet<>();
            for (Placed placed : chunks) {
                if (failedActions.contains(placed.markerAction())) {
                    found.add(placed.chunk().marker());
                }
            }
            return found;
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

        /** The chunks at the ends of their streams as the counters stand, in order; the counters after them. */
        public Placement place(Counters from) {
            List<Placed> placed = new ArrayList<>(chunks.size());
            Set<OutputType> streams = EnumSet.noneOf(OutputType.class);
            Counters counters = from;
            int action = 1;
            for (Chunk chunk : chunks) {
                placed.add(new Placed(chunk, counters.next(chunk.stream()), action));
                counters = counters.plus(chunk.stream(), chunk.segments().size());
                streams.add(chunk.stream());
                action += chunk.actions();
            }
            return new Placement(placed, counters, streams);
        }

        /** What is left to write once these markers were found stored. */
        public Transaction without(Set<MarkerId> stored) {
            return new Transaction(chunks.stream().filter(c -> !stored.contains(c.marker())).toList());
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
        List<Chunk> toWrite = new ArrayList<>();
        List<ChunkOutcome> repeated = new ArrayList<>();
        for (int a = 0; a < appends.size(); a++) {
            Append append = appends.get(a);
            if (append.segments().isEmpty()) {
                streamsToOpen.add(append.stream());
            }
            for (Chunk chunk : chunks(a, append)) {
                if (planned.add(chunk.marker())) {
                    toWrite.add(chunk);
                } else {
                    repeated.add(new ChunkOutcome(chunk, Outcome.ALREADY_STORED));
                }
            }
        }
        List<Transaction> transactions = new ArrayList<>();
        for (List<Chunk> run : pack(toWrite, Chunk::actions, Chunk::bytes, ACTIONS_PER_TRANSACTION - 1)) {
            transactions.add(new Transaction(run));
        }
        return new AppendPlan(appends.size(), streamsToOpen, List.copyOf(repeated), List.copyOf(transactions));
    }

    /** One append's segments cut into chunks of at most {@value #SEGMENTS_PER_CHUNK} segments and the byte bound. */
    static List<Chunk> chunks(int index, Append append) {
        List<Chunk> chunks = new ArrayList<>();
        List<List<Segment>> parts = pack(append.segments(), segment -> 1, AppendPlan::bytes, SEGMENTS_PER_CHUNK);
        for (int c = 0; c < parts.size(); c++) {
            List<Segment> part = parts.get(c);
            int bytes = 0;
            for (Segment segment : part) {
                bytes += bytes(segment);
            }
            chunks.add(new Chunk(index, append.stream(), new MarkerId(append.eventKey(), c), part, bytes));
        }
        return chunks;
    }

    /** An upper bound of a segment item's size: its payload's UTF-8 bound plus key and attribute overhead. */
    public static int bytes(Segment segment) {
        return segment.json().length() * 3 + 256;
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
            AppendResult result = new AppendResult(0, 0, 0);
            for (ChunkOutcome outcome : all) {
                if (outcome.chunk().append() == a) {
                    result = tally(result, outcome);
                }
            }
            results.add(result);
        }
        return results;
    }

    /** A result with one more chunk's outcome counted. */
    private static AppendResult tally(AppendResult result, ChunkOutcome outcome) {
        int size = outcome.chunk().segments().size();
        return switch (outcome.outcome()) {
            case ALREADY_STORED -> new AppendResult(result.appended(), result.duplicates() + size, result.afterTerminal());
            case APPENDED -> new AppendResult(result.appended() + size, result.duplicates(), result.afterTerminal());
            case APPENDED_AFTER_TERMINAL -> new AppendResult(result.appended() + size, result.duplicates(),
                    result.afterTerminal() + size);
        };
    }
}
