package dev.rtca.store;

import dev.rtca.segments.AppendPlan.SegmentId;
import dev.rtca.segments.OutputType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.model.BatchGetResultPage;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.ReadBatch;

/**
 * Which Ids a contact's stream holds, as of a version of the contact: the union of the stream's Id logs
 * ({@link IdLogItem}) up to that version. Every append to a contact moves its version by one and is conditioned on the
 * version it read, so the logs up to the version a writer read are exactly the appends before it; a writer that left
 * out the Ids they hold and commits on that version stores no Id twice.
 *
 * <p>The logs read are kept, per stream, with the version they were read up to, so a writer reads only the logs of the
 * versions written since it last looked (none, while it is the only writer of the contact). That memory is a cache:
 * bounded ({@value #MAX_IDS} Ids, the contacts used longest ago dropped first), and what it lacks is read again.
 * The logs are read with {@code BatchGetItem}, each get strongly consistent (serializable against transactions, where a
 * Query is only read-committed).
 */
final class SegmentIdLog {
    /** The most Ids kept in memory (a few megabytes). */
    static final int MAX_IDS = 100_000;
    private static final int KEYS_PER_BATCH = 100;

    /** A stream's Ids as of a version of its contact (the set is this log's own, grown in place). */
    private record Known(long version, Set<SegmentId> ids) {
    }

    private final DynamoDbEnhancedClient enhanced;
    private final DynamoDbTable<IdLogItem> logs;
    private final Clock clock;
    private final LinkedHashMap<String, Known> known = new LinkedHashMap<>(64, 0.75f, true);
    private int idsKept;

    SegmentIdLog(DynamoDbEnhancedClient enhanced, DynamoDbTable<IdLogItem> logs, Clock clock) {
        this.enhanced = enhanced;
        this.logs = logs;
        this.clock = clock;
    }

    /**
     * Those of {@code candidates} their streams hold as of the contact item just read: its {@code version}, and per
     * stream the version whose append wrote the stream's latest log ({@code lastLogged}, 0 for none). Only the logs
     * after what is kept, up to that one, are read: none for a stream without logs or while this writer wrote the latest.
     */
    synchronized Set<SegmentId> held(String pk, long version, ToLongFunction<OutputType> lastLogged, Set<SegmentId> candidates) {
        Map<OutputType, Set<SegmentId>> streams = new EnumMap<>(OutputType.class);
        Set<SegmentId> held = new HashSet<>();
        for (SegmentId candidate : candidates) {
            Set<SegmentId> ids = streams.computeIfAbsent(candidate.stream(),
                    stream -> known(pk, stream, version, lastLogged.applyAsLong(stream)));
            if (ids.contains(candidate)) {
                held.add(candidate);
            }
        }
        return held;
    }

    /** The stream's Ids as of {@code version}, its latest log being {@code last}'s: what is kept, with the logs since. */
    private Set<SegmentId> known(String pk, OutputType stream, long version, long last) {
        String key = key(pk, stream);
        Known kept = known.get(key);
        // Kept beyond this version: the contact was created anew (its item expired); read it all again.
        boolean fresh = kept == null || kept.version() > version;
        Set<SegmentId> ids = fresh ? new HashSet<>() : kept.ids();
        long from = fresh ? 0 : kept.version();
        int before = kept == null ? 0 : kept.ids().size();
        if (from < last) {
            ids.addAll(read(pk, stream, from + 1, last));
        }
        keep(key, new Known(version, ids), ids.size() - before);
        return ids;
    }

    /** An append committed the contact's {@code version}, logging these Ids: what is kept as of the version before moves on. */
    synchronized void committed(String pk, long version, Map<OutputType, Set<SegmentId>> logged) {
        for (OutputType stream : OutputType.values()) {
            Known kept = known.get(key(pk, stream));
            if (kept != null && kept.version() == version - 1) {
                int before = kept.ids().size();
                kept.ids().addAll(logged.getOrDefault(stream, Set.of()));
                keep(key(pk, stream), new Known(version, kept.ids()), kept.ids().size() - before);
            }
        }
    }

    /** The Ids logged at versions {@code from} to {@code to} (some have no log: opens, closes, appends without Ids). */
    private Set<SegmentId> read(String pk, OutputType stream, long from, long to) {
        Set<SegmentId> ids = new HashSet<>();
        long now = clock.instant().getEpochSecond();
        for (long first = from; first <= to; first += KEYS_PER_BATCH) {
            ReadBatch.Builder<IdLogItem> batch = ReadBatch.builder(IdLogItem.class).mappedTableResource(logs);
            for (long v = first; v <= Math.min(to, first + KEYS_PER_BATCH - 1); v++) {
                batch.addGetItem(GetItemEnhancedRequest.builder().key(DynamoContactStore.key(pk, Keys.idLog(stream, v)))
                        .consistentRead(true).build());
            }
            ReadBatch request = batch.build();
            List<BatchGetResultPage> pages = DynamoContactStore.guard(
                    () -> new ArrayList<>(enhanced.batchGetItem(r -> r.readBatches(request)).stream().toList()));
            for (BatchGetResultPage page : pages) {
                for (IdLogItem item : page.resultsForTable(logs)) {
                    if (item.expiresAt() >= now) { // one past its TTL (not deleted yet) is a former life's
                        item.ids().forEach(entry -> ids.add(Keys.idLogEntry(stream, entry)));
                    }
                }
            }
            if (!pages.getLast().unprocessedKeysForTable(logs).isEmpty()) {
                throw new StoreException("DynamoDB left Id logs unread; retry later", true, null);
            }
        }
        return ids;
    }

    /** Keeps {@code value} under {@code key}, {@code added} Ids more than before; drops the eldest over the bound. */
    private void keep(String key, Known value, int added) {
        known.put(key, value);
        idsKept += added;
        var eldest = known.entrySet().iterator();
        while (idsKept > MAX_IDS && eldest.hasNext()) {
            Map.Entry<String, Known> entry = eldest.next();
            if (entry.getKey().equals(key)) {
                continue;
            }
            idsKept -= entry.getValue().ids().size();
            eldest.remove();
        }
    }

    private static String key(String pk, OutputType stream) {
        return stream.name() + "\n" + pk;
    }
}
