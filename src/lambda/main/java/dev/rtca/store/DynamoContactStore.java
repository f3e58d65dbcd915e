package dev.rtca.store;

import dev.rtca.segments.AppendPlan;
import dev.rtca.segments.AppendPlan.Action;
import dev.rtca.segments.AppendPlan.ChunkOutcome;
import dev.rtca.segments.AppendPlan.MarkerId;
import dev.rtca.segments.AppendPlan.SegmentId;
import dev.rtca.segments.AppendPlan.Placement;
import dev.rtca.segments.AppendPlan.Transaction;
import dev.rtca.segments.AppendResult;
import dev.rtca.segments.Channel;
import dev.rtca.segments.Contact;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.ContactStore;
import dev.rtca.segments.OpenTranscript;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.Utterance;
import dev.rtca.segments.Segment;
import dev.rtca.segments.SegmentType;
import dev.rtca.segments.Slice;
import dev.rtca.segments.StoredSegment;
import dev.rtca.segments.StreamRead;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.BatchWriteResult;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.Page;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.WriteBatch;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The single-table DynamoDB implementation of {@link ContactStore}; the only class that talks to DynamoDB about
 * contacts, segments and kept Utterances. Every call goes through the Enhanced client: one {@code DynamoDbTable} per
 * item class ({@link ContactItem}, {@link SegmentItem}, {@link MarkerItem}, {@link IdLogItem}, {@link UtteranceItem}:
 * views of the one table, each with its static immutable schema), built once on the low-level client the store is
 * given, so whatever wraps or intercepts that client still sees every call (ADR 0012).
 *
 * <p>Appends execute an {@link AppendPlan}: per transaction, its actions in order: the contact item (its stream counters
 * advanced, guarded by the contact's version), then for each chunk its ingest marker (guarded by "not there yet") and its
 * segment items, then each stream's Id log at the new version. Before a transaction is placed, the segments whose Ids
 * their stream holds as of the version read ({@link SegmentIdLog}) are left out: a producer's retry.
 * The Enhanced client sends a transaction's actions in the order they were added (its request builder keeps them in a
 * list), so a cancellation reason's index is the plan's action index.
 * A cancellation is told by its reasons: chunks whose markers were there already (a redelivery) are left out and the
 * rest tried at once; a lost race on the contact's version is retried, after a back-off, on the fresh counters. So
 * every segment lands once, at the next free sequence, with no gap.
 *
 * <p>DynamoDB's failures surface as {@link StoreException}: throttled, or failed.
 */
public final class DynamoContactStore implements ContactStore {
    /** The attribute DynamoDB's TTL deletes items by (epoch seconds); every item has it. */
    public static final String TTL_ATTRIBUTE = "expiresAt";
    private static final int MAX_ATTEMPTS = 64;
    /** Runs the contact read beside the stream read: a virtual thread each, nothing to size or shut down. */
    private static final Executor CONCURRENT_READS = Executors.newVirtualThreadPerTaskExecutor();
    /** {@code BatchWriteItem} takes at most 25 puts. */
    static final int ITEMS_PER_BATCH_WRITE = 25;
    /** How often a batch of Utterances is sent while DynamoDB leaves some of it unprocessed. */
    static final int BATCH_WRITE_ATTEMPTS = 8;
    /** The most Utterances {@link #utterances} reads for one open transcript. */
    public static final int MAX_UTTERANCES = 1_000;
    private static final int UTTERANCES_PER_PAGE = 100;
    private static final Expression NEW_ITEM = Expression.builder().expression("attribute_not_exists(pk)").build();

    static {
        // A cold-start measure: the contact's and a segment's schema each read one item here, in memory, so their
        // converters load in the function's init phase, and so into a SnapStart snapshot (the priming request asks for a
        // contact that does not exist and reads no item), not in the first request that reads an item.
        ContactItem.SCHEMA.mapToItem(Map.of("pk", AttributeValue.fromS("C#"), "outputTypes", AttributeValue.fromSs(List.of("Raw")),
                "nextRaw", AttributeValue.fromN("0")));
        SegmentItem.SCHEMA.mapToItem(Map.of("pk", AttributeValue.fromS("C#"), "expiresAt", AttributeValue.fromN("0")));
    }

    private final DynamoDbEnhancedClient enhanced;
    private final DynamoDbTable<ContactItem> contacts;
    private final DynamoDbTable<SegmentItem> segments;
    private final DynamoDbTable<MarkerItem> markers;
    private final DynamoDbTable<IdLogItem> idLogs;
    private final DynamoDbTable<UtteranceItem> utteranceItems;
    private final SegmentIdLog idLog;
    private final RecentReads recent = new RecentReads();
    private final Duration retention;
    private final Clock clock;

    public DynamoContactStore(DynamoDbClient client, String tableName, Duration retention, Clock clock) {
        this(enhanced(client), tableName, retention, clock);
    }

    DynamoContactStore(DynamoDbEnhancedClient enhanced, String tableName, Duration retention, Clock clock) {
        this.enhanced = enhanced;
        this.contacts = enhanced.table(tableName, ContactItem.SCHEMA);
        this.segments = enhanced.table(tableName, SegmentItem.SCHEMA);
        this.markers = enhanced.table(tableName, MarkerItem.SCHEMA);
        this.idLogs = enhanced.table(tableName, IdLogItem.SCHEMA);
        this.utteranceItems = enhanced.table(tableName, UtteranceItem.SCHEMA);
        this.idLog = new SegmentIdLog(enhanced, idLogs, clock);
        this.retention = retention;
        this.clock = clock;
    }

    /**
     * The Enhanced client over this low-level client (so whatever wraps or intercepts it sees every call), without
     * extensions: no item of the table uses one, and each would run on every call.
     */
    static DynamoDbEnhancedClient enhanced(DynamoDbClient client) {
        return DynamoDbEnhancedClient.builder().dynamoDbClient(client).extensions(List.of()).build();
    }

    /** An item's primary key, as the Enhanced client takes it. */
    static Key key(String pk, String sk) {
        return Key.builder().partitionValue(pk).sortValue(sk).build();
    }

    @Override
    public Optional<Contact> find(ContactKey key) {
        String pk = Keys.partition(key);
        ContactItem item = contactItem(pk);
        recent.put(pk, item);
        return Optional.ofNullable(item).map(i -> contact(key, i));
    }

    /** The open transcript whose Utterances changed with the item of this sort key; empty for any other item. */
    public static Optional<OpenTranscript> openTranscriptChangedBy(String sortKey) {
        return Keys.openTranscriptChangedBy(sortKey);
    }

    @Override
    public int keep(ContactKey key, Channel channel, OutputType stream, List<Utterance> utterances) {
        return keep(key, channel, List.of(new Keep(stream, utterances))).getFirst();
    }

    /**
     * Reads the contact item once: an Utterance whose stream holds a Transcript with its TranscriptId as of that version
     * ({@link SegmentIdLog}) is late, not written. The contact is created (IN_PROGRESS, with the streams) only when its
     * item is absent, or written when it lacks one of the streams: otherwise keeping writes no contact item. The rest
     * are put, one item each ({@link Keys#utterance}, the contact's time to live), with {@code BatchWriteItem}, outside
     * any append transaction: an Utterance racing its Transcript's append may be written after it (ADR 0016).
     */
    @Override
    public List<Integer> keep(ContactKey key, Channel channel, List<Keep> keeps) {
        String pk = Keys.partition(key);
        Set<SegmentId> finals = new HashSet<>();
        Set<OutputType> streams = EnumSet.noneOf(OutputType.class);
        for (Keep keep : keeps) {
            for (Utterance utterance : keep.utterances()) {
                finals.add(transcriptOf(keep.stream(), utterance));
                streams.add(keep.stream());
            }
        }
        if (finals.isEmpty()) {
            return keeps.stream().map(k -> 0).toList();
        }
        ContactItem current = recent.take(pk).orElseGet(() -> contactItem(pk));
        Set<SegmentId> held = current == null ? Set.of() : idLog.held(pk, current.version(), current::logged, finals);
        if (current == null || !current.outputTypes().containsAll(streams.stream().map(Enum::name).toList())) {
            open(key, channel, streams);
        } else {
            recent.put(pk, current); // the append's read: keeping wrote no contact item
        }
        long expiresAt = clock.instant().plus(retention).getEpochSecond();
        // By key: an Utterance twice in one call is one put (BatchWriteItem refuses a key twice in a request).
        Map<String, UtteranceItem> items = new LinkedHashMap<>();
        List<Integer> late = new ArrayList<>(keeps.size());
        for (Keep keep : keeps) {
            int count = 0;
            for (Utterance utterance : keep.utterances()) {
                if (held.contains(transcriptOf(keep.stream(), utterance))) {
                    count++;
                } else {
                    String sk = Keys.utterance(new OpenTranscript(keep.stream(), utterance.transcriptId()), utterance.id());
                    items.put(sk, UtteranceItem.of(pk, sk, utterance, expiresAt));
                }
            }
            late.add(count);
        }
        putAll(List.copyOf(items.values()));
        return late;
    }

    /** The Id a stream logs for the final Transcript of an Utterance's transcript. */
    private static SegmentId transcriptOf(OutputType stream, Utterance utterance) {
        return new SegmentId(stream, SegmentType.Transcript, utterance.transcriptId());
    }

    /**
     * Puts the items with {@code BatchWriteItem}, {@value #ITEMS_PER_BATCH_WRITE} a call; the items DynamoDB leaves
     * unprocessed (throttled) are sent again after a growing back-off, at most {@value #BATCH_WRITE_ATTEMPTS} times,
     * then the call fails as throttled (the event source retries the event; keeping is idempotent).
     */
    private void putAll(List<UtteranceItem> items) {
        for (int from = 0; from < items.size(); from += ITEMS_PER_BATCH_WRITE) {
            List<UtteranceItem> left = items.subList(from, Math.min(items.size(), from + ITEMS_PER_BATCH_WRITE));
            for (int attempt = 0; !left.isEmpty(); attempt++) {
                if (attempt == BATCH_WRITE_ATTEMPTS) {
                    throw new StoreException("DynamoDB left " + left.size() + " Utterances unwritten; retry later", true, null);
                }
                if (attempt > 0) {
                    pause(attempt);
                }
                WriteBatch.Builder<UtteranceItem> batch = WriteBatch.builder(UtteranceItem.class).mappedTableResource(utteranceItems);
                left.forEach(batch::addPutItem);
                WriteBatch request = batch.build();
                BatchWriteResult result = guard(() -> enhanced.batchWriteItem(r -> r.writeBatches(request)));
                left = result.unprocessedPutItemsForTable(utteranceItems);
            }
        }
    }

    /**
     * The Utterances kept for the open transcript: one strongly consistent Query of its items' prefix, page by page, at
     * most {@value #MAX_UTTERANCES} (an open transcript is one speaker's turn: a handful of fragments; a transcript
     * with more is assembled from the first {@value #MAX_UTTERANCES} in key order).
     */
    @Override
    public List<Utterance> utterances(ContactKey key, OpenTranscript transcript) {
        QueryEnhancedRequest request = QueryEnhancedRequest.builder().consistentRead(true).limit(UTTERANCES_PER_PAGE)
                .queryConditional(QueryConditional.sortBeginsWith(key(Keys.partition(key), Keys.openTranscript(transcript))))
                .build();
        List<Utterance> out = new ArrayList<>();
        var pages = guard(() -> utteranceItems.query(request).iterator());
        while (out.size() < MAX_UTTERANCES && guard(pages::hasNext)) {
            for (UtteranceItem item : pages.next().items()) {
                if (out.size() < MAX_UTTERANCES) {
                    out.add(item.utterance());
                }
            }
        }
        return out;
    }

    /** The streams a change of the item with this sort key concerns (a stream record's keys name the item). */
    public static Set<OutputType> streamsChangedBy(String sortKey) {
        return Keys.streamsChangedBy(sortKey);
    }

    /**
     * The contact a partition key of the table names (a stream record carries only keys): decoded from the key, or
     * read from the contact item when the key is a digest. Empty for a key that is not a contact's.
     */
    public Optional<ContactKey> contactOf(String partitionKey) {
        Optional<ContactKey> decoded = Keys.contact(partitionKey);
        if (decoded.isPresent() || !partitionKey.startsWith("C#")) {
            return decoded;
        }
        ContactItem item = contactItem(partitionKey);
        return item == null || item.instanceId() == null ? Optional.empty() : Optional.of(new ContactKey(item.instanceId(), item.contactId()));
    }

    /** The contact item, strongly consistent; null when there is none. */
    private ContactItem contactItem(String pk) {
        GetItemEnhancedRequest request = GetItemEnhancedRequest.builder().key(key(pk, Keys.CONTACT_SK)).consistentRead(true).build();
        return guard(() -> contacts.getItem(request));
    }

    private static Contact contact(ContactKey key, ContactItem item) {
        Set<OutputType> outputs = EnumSet.noneOf(OutputType.class);
        item.outputTypes().forEach(name -> OutputType.parse(name).ifPresent(outputs::add));
        return new Contact(key, Channel.valueOf(item.channel()), ContactStatus.valueOf(item.status()), outputs);
    }

    /**
     * The contact item and the stream's first slice, read at the same time: one round trip's latency. Neither read
     * bounds the other (the lister proves what a later read must see from what both returned), so their order does
     * not matter.
     */
    @Override
    public StreamRead read(ContactKey key, OutputType stream, long from, int limit) {
        String pk = Keys.partition(key);
        CompletableFuture<ContactItem> contact = CompletableFuture.supplyAsync(() -> contactItem(pk), CONCURRENT_READS);
        Slice slice;
        try {
            slice = slice(pk, stream, from, limit);
        } catch (RuntimeException e) {
            contact.cancel(false);
            throw e;
        }
        ContactItem item;
        try {
            item = contact.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        return new StreamRead(Optional.ofNullable(item).map(i -> contact(key, i)), item == null ? 0 : item.next(stream), slice);
    }

    /** One strongly consistent Query of the stream's range from {@code from}, every segment type (no filter). */
    @Override
    public Slice more(ContactKey key, OutputType stream, long from, int limit) {
        return slice(Keys.partition(key), stream, from, limit);
    }

    /**
     * The first page of the Query of the stream's sort-key range from {@code from}: {@code more} when DynamoDB stopped
     * at the limit (it returned a last evaluated key). The lister's NextToken is its own sequence, never that key.
     */
    private Slice slice(String pk, OutputType stream, long from, int limit) {
        QueryEnhancedRequest request = QueryEnhancedRequest.builder().consistentRead(true).limit(limit)
                .queryConditional(QueryConditional.sortBetween(key(pk, Keys.segment(stream, from)),
                        key(pk, Keys.segment(stream, Keys.MAX_SEQUENCE))))
                .build();
        Page<SegmentItem> page = guard(() -> segments.query(request).iterator().next());
        List<StoredSegment> items = new ArrayList<>(page.items().size());
        for (SegmentItem item : page.items()) {
            items.add(new StoredSegment(Keys.sequence(item.sk()), new Segment(SegmentType.valueOf(item.segmentType()), item.payload())));
        }
        Map<String, AttributeValue> last = page.lastEvaluatedKey();
        return new Slice(items, last != null && !last.isEmpty());
    }

    @Override
    public void open(ContactKey key, Channel channel, Set<OutputType> outputTypes) {
        update(key, channel, next -> next.withStreams(outputTypes));
    }

    @Override
    public void close(ContactKey key, Channel channel, ContactStatus terminal) {
        if (!terminal.isTerminal()) {
            throw new IllegalArgumentException("close takes COMPLETED or FAILED, not " + terminal);
        }
        // The first terminal status wins: a redelivered or late COMPLETED/FAILED changes nothing.
        update(key, channel, next -> ContactStatus.valueOf(next.status).isTerminal() ? next : next.status(terminal.name()));
    }

    @Override
    public List<AppendResult> append(ContactKey key, Channel channel, List<Append> appends) {
        AppendPlan plan = AppendPlan.of(appends);
        if (!plan.streamsToOpen().isEmpty()) {
            open(key, channel, plan.streamsToOpen());
        }
        List<ChunkOutcome> outcomes = new ArrayList<>();
        for (Transaction transaction : plan.transactions()) {
            outcomes.addAll(write(key, channel, transaction));
        }
        return plan.results(outcomes);
    }

    /**
     * Runs one of a plan's transactions: its chunks at the ends of their streams as the contact item reads now. A
     * chunk whose marker is there already was stored before (a redelivery): it is left out and the rest tried again at
     * once; a lost race on the contact's version is tried again after a back-off, on the new counters.
     */
    private List<ChunkOutcome> write(ContactKey key, Channel channel, Transaction transaction) {
        String pk = Keys.partition(key);
        List<ChunkOutcome> outcomes = new ArrayList<>();
        Transaction left = transaction;
        for (int attempt = 0; ; attempt++) {
            // The first attempt may start from the read the same ingest's channel check or keeping made moments ago: the
            // transaction's condition on its version still guards it, and a retry reads afresh.
            ContactItem current = attempt == 0 ? recent.take(pk).orElseGet(() -> contactItem(pk)) : contactItem(pk);
            boolean terminal = current != null && ContactStatus.valueOf(current.status()).isTerminal();
            if (current != null) { // the segments whose Ids the streams hold as of this version: a producer's retry
                left = left.withoutIds(idLog.held(pk, current.version(), current::logged, left.ids()));
            }
            Placement placement = left.place(current == null ? AppendPlan.Counters.ZERO : current.counters());
            ContactItem contact = successor(key, channel, current).counters(placement.counters())
                    .withStreams(placement.streams()).logged(placement.logged().keySet()).build();
            TransactWriteItemsEnhancedRequest.Builder request = TransactWriteItemsEnhancedRequest.builder();
            long expiresAt = contact.expiresAt();
            for (Action action : placement.actions()) {
                switch (action) {
                    case Action.UpdateContact update -> request.addPutItem(contacts,
                            TransactPutItemEnhancedRequest.builder(ContactItem.class).item(contact)
                                    .conditionExpression(versioned(current)).build());
                    case Action.PutMarker marker -> request.addPutItem(markers, newMarker(
                            new MarkerItem(pk, Keys.marker(marker.marker().eventKey(), marker.marker().chunk()), expiresAt)));
                    case Action.LogIds log -> request.addPutItem(idLogs, new IdLogItem(pk, Keys.idLog(log.stream(), contact.version()),
                            log.ids().stream().map(Keys::idLogEntry).collect(Collectors.toSet()), expiresAt));
                    case Action.PutSegment put -> request.addPutItem(segments, new SegmentItem(pk,
                            Keys.segment(put.stream(), put.sequence()), put.segment().type().name(), put.segment().json(), expiresAt));
                }
            }
            TransactWriteItemsEnhancedRequest built = request.build();
            try {
                guard(() -> enhanced.transactWriteItems(built));
                idLog.committed(pk, contact.version(), placement.logged());
                outcomes.addAll(left.committed(terminal));
                return outcomes;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                Set<Integer> failed = failedActions(reasons);
                Set<MarkerId> stored = placement.markersAt(failed);
                if (!stored.isEmpty()) {
                    outcomes.addAll(left.alreadyStored(stored));
                    left = left.without(stored);
                    if (left.isEmpty()) {
                        return outcomes;
                    }
                    continue; // the rest again, at once (on the counters as they read now)
                }
                if (!failed.contains(0) && !hasCode(reasons, "TransactionConflict")) {
                    throw new StoreException("the append transaction was cancelled: " + reasons, false, e);
                }
                backOff(attempt, key);
            }
        }
    }

    /** A marker's put, guarded by "not there yet". */
    private static TransactPutItemEnhancedRequest<MarkerItem> newMarker(MarkerItem item) {
        return TransactPutItemEnhancedRequest.builder(MarkerItem.class).item(item).conditionExpression(NEW_ITEM).build();
    }

    /** The indexes of a cancelled transaction's actions whose condition failed. */
    private static Set<Integer> failedActions(List<CancellationReason> reasons) {
        Set<Integer> failed = new HashSet<>();
        for (int i = 0; i < reasons.size(); i++) {
            if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                failed.add(i);
            }
        }
        return failed;
    }

    /** Read-modify-write of the contact item alone, retried while other writers move its version on. */
    private void update(ContactKey key, Channel channel, UnaryOperator<ContactItem.Builder> change) {
        for (int attempt = 0; ; attempt++) {
            ContactItem current = contactItem(Keys.partition(key));
            PutItemEnhancedRequest<ContactItem> request = PutItemEnhancedRequest.builder(ContactItem.class)
                    .item(change.apply(successor(key, channel, current)).build()).conditionExpression(versioned(current)).build();
            try {
                guard(() -> {
                    contacts.putItem(request);
                    return null;
                });
                return;
            } catch (ConditionalCheckFailedException e) {
                backOff(attempt, key);
            }
        }
    }

    /** The condition of a put of the contact item's next version: the stored one is still {@code current} (or still absent). */
    private static Expression versioned(ContactItem current) {
        return current == null ? NEW_ITEM : Expression.builder().expression("#version = :version")
                .putExpressionName("#version", ContactItem.VERSION)
                .putExpressionValue(":version", AttributeValue.fromN(Long.toString(current.version()))).build();
    }

    /** The next version of a contact item: a copy with version, timestamps and TTL moved on (or a new contact). */
    private ContactItem.Builder successor(ContactKey key, Channel channel, ContactItem current) {
        Instant now = clock.instant();
        ContactItem.Builder next = current == null
                ? new ContactItem.Builder().channel(channel.name()).status(ContactStatus.IN_PROGRESS.name()).version(1L)
                        .createdAt(now.toString())
                : current.toBuilder().version(current.version() + 1);
        return next.pk(Keys.partition(key)).instanceId(key.instanceId()).contactId(key.contactId())
                .updatedAt(now.toString()).expiresAt(now.plus(retention).getEpochSecond());
    }

    private static boolean hasCode(List<CancellationReason> reasons, String code) {
        return reasons.stream().anyMatch(r -> code.equals(r.code()));
    }

    private static void backOff(int attempt, ContactKey key) {
        if (attempt + 1 >= MAX_ATTEMPTS) {
            throw new StoreException("too many concurrent writers on contact " + key.contactId() + "; retry later", true, null);
        }
        pause(attempt);
    }

    /** A random pause that grows with the attempt: 1 ms up to 50 ms. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 2L + Math.min(50, 1L << Math.min(attempt, 6))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a write", e);
        }
    }

    /**
     * Runs one DynamoDB call: throttling becomes a throttled {@link StoreException}, any other failure of the SDK a
     * failed one. A transaction's cancellation (not for throttling) and a failed condition are left to the caller, which
     * reads again.
     */
    static <T> T guard(Supplier<T> call) {
        try {
            return call.get();
        } catch (ProvisionedThroughputExceededException | RequestLimitExceededException e) {
            throw throttled(e);
        } catch (TransactionCanceledException e) {
            if (hasCode(e.cancellationReasons(), "ThrottlingError") || hasCode(e.cancellationReasons(), "ProvisionedThroughputExceeded")) {
                throw throttled(e);
            }
            throw e;
        } catch (ConditionalCheckFailedException e) {
            throw e; // a lost race: the caller reads again and retries
        } catch (DynamoDbException e) {
            if (e.awsErrorDetails() != null && "ThrottlingException".equals(e.awsErrorDetails().errorCode())) {
                throw throttled(e);
            }
            throw new StoreException("DynamoDB failed: " + e.getMessage(), false, e);
        } catch (SdkException e) {
            throw new StoreException("DynamoDB could not be reached: " + e.getMessage(), false, e);
        }
    }

    private static StoreException throttled(SdkException cause) {
        return new StoreException("DynamoDB throttled the request", true, cause);
    }
}
