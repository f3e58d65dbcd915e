package dev.rtca.store;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The contact items the store read moments ago, each for the next call of the same ingest to start from instead of
 * reading again: an ingest of one contact's run reads the contact for its channel check ({@code find}), then keeps its
 * Utterances ({@code keep}), then appends ({@code append}), one call after the other. A read is taken once, and only
 * while it is younger than {@link #REUSE_WITHIN}; any older, or taken already, the caller reads afresh.
 *
 * <p>What a taken read may miss is what the read itself may miss by the time its caller writes: a write of another
 * writer in between. The append's transaction is guarded by the contact's version, so a stale read costs it one
 * retry (which reads afresh); keeping checks late Utterances against the read as it did against its own (ADR 0016).
 */
final class RecentReads {
    /** How long a read stays the next call's: the calls of one ingest follow each other within milliseconds. */
    static final Duration REUSE_WITHIN = Duration.ofSeconds(1);
    /** The most reads remembered (a read that no call takes, e.g. a channel check that fails, is dropped in time). */
    static final int CAPACITY = 256;

    private record Read(ContactItem item, long atNanos) {
    }

    private final LongSupplier nanoTime;
    private final Map<String, Read> reads = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Read> eldest) {
            return size() > CAPACITY;
        }
    };

    RecentReads() {
        this(System::nanoTime);
    }

    RecentReads(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Remembers the contact item just read (an absent contact is not remembered: its first write reads again). */
    synchronized void put(String pk, ContactItem item) {
        if (item != null) {
            reads.remove(pk);
            reads.put(pk, new Read(item, nanoTime.getAsLong()));
        }
    }

    /** The item read for this partition key moments ago, forgotten now; empty when there is none that young. */
    synchronized Optional<ContactItem> take(String pk) {
        Read read = reads.remove(pk);
        return read == null || nanoTime.getAsLong() - read.atNanos() > REUSE_WITHIN.toNanos()
                ? Optional.empty() : Optional.of(read.item());
    }
}
