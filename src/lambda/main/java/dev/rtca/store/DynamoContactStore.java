package dev.rtca.store;

import dev.rtca.segments.AppendResult;
import dev.rtca.segments.Channel;
import dev.rtca.segments.Contact;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.ContactStore;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.Segment;
import dev.rtca.segments.Slice;
import dev.rtca.segments.StreamRead;
import dev.rtca.segments.SegmentType;
import dev.rtca.segments.StoredSegment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.Page;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactPutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The single-table DynamoDB implementation of {@link ContactStore}; the only class that talks to DynamoDB.
 *
 * <p>Appends are one TransactWriteItems per chunk: the contact item (its stream counter advanced, guarded
 * by the contact's version), the chunk's ingest marker (guarded by "not there yet") and the segment items.
 * A redelivered chunk fails on its marker and is skipped; a racing writer fails on the version and retries
 * on the fresh counter. So every segment lands once, at the next free sequence, with no gap.
 *
 * <p>DynamoDB's failures surface as {@link StoreException}: throttled, or failed.
 */
public final class DynamoContactStore implements ContactStore {
    /** TransactWriteItems takes 100 actions: the contact item, one marker, and the segments. */
    static final int SEGMENTS_PER_TRANSACTION = 98;
    /** Stay well under the 4 MB transaction limit. */
    static final int BYTES_PER_TRANSACTION = 3 * 1024 * 1024;
    /** The attribute DynamoDB's TTL deletes items by (epoch seconds); every item has it. */
    public static final String TTL_ATTRIBUTE = "expiresAt";
    private static final int MAX_ATTEMPTS = 64;
    /** Runs the contact read beside the stream read: a virtual thread each, nothing to size or shut down. */
    private static final Executor CONCURRENT_READS = Executors.newVirtualThreadPerTaskExecutor();

    private final DynamoDbEnhancedClient enhanced;
    private final DynamoDbTable<ContactItem> contacts;
    private final DynamoDbTable<SegmentItem> segments;
    private final Duration retention;
    private final Clock clock;

    public DynamoContactStore(DynamoDbClient client, String tableName, Duration retention, Clock clock) {
        this.enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(client).build();
        this.contacts = enhanced.table(tableName, ContactItem.SCHEMA);
        this.segments = enhanced.table(tableName, SegmentItem.SCHEMA);
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public Optional<Contact> find(ContactKey key) {
        ContactItem item = guard(() -> contacts.getItem(r -> r.key(contactKey(key)).consistentRead(true)));
        return Optional.ofNullable(item).map(i -> contact(key, i));
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
        ContactItem item = guard(() -> contacts.getItem(r -> r.key(Key.builder().partitionValue(partitionKey)
                .sortValue(Keys.CONTACT_SK).build()).consistentRead(true)));
        return item == null || item.instanceId == null ? Optional.empty() : Optional.of(new ContactKey(item.instanceId, item.contactId));
    }

    private static Contact contact(ContactKey key, ContactItem item) {
        Set<OutputType> outputs = EnumSet.noneOf(OutputType.class);
        if (item.outputTypes != null) {
            item.outputTypes.forEach(name -> OutputType.parse(name).ifPresent(outputs::add));
        }
        return new Contact(key, Channel.valueOf(item.channel), ContactStatus.valueOf(item.status), outputs);
    }

    /**
     * The contact item and the stream's first slice, read at the same time: one round trip's latency. Neither read
     * bounds the other (the lister proves what a later read must see from what both returned), so their order does
     * not matter.
     */
    @Override
    public StreamRead read(ContactKey key, OutputType stream, long from, int limit) {
        CompletableFuture<ContactItem> contact = CompletableFuture.supplyAsync(
                () -> guard(() -> contacts.getItem(r -> r.key(contactKey(key)).consistentRead(true))), CONCURRENT_READS);
        Slice slice;
        try {
            slice = more(key, stream, from, limit);
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
        String pk = Keys.partition(key);
        QueryEnhancedRequest request = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBetween(
                        Key.builder().partitionValue(pk).sortValue(Keys.segment(stream, from)).build(),
                        Key.builder().partitionValue(pk).sortValue(Keys.segment(stream, Keys.MAX_SEQUENCE)).build()))
                .consistentRead(true)
                .limit(limit)
                .build();
        Page<SegmentItem> page = guard(() -> segments.query(request).iterator().next());
        List<StoredSegment> items = new ArrayList<>(page.items().size());
        for (SegmentItem segment : page.items()) {
            items.add(new StoredSegment(Keys.sequence(segment.sk), new Segment(SegmentType.valueOf(segment.segmentType), segment.payload)));
        }
        return new Slice(items, page.lastEvaluatedKey() != null && !page.lastEvaluatedKey().isEmpty());
    }

    @Override
    public void open(ContactKey key, Channel channel, Set<OutputType> outputTypes) {
        update(key, channel, item -> outputTypes.forEach(t -> item.outputTypes.add(t.name())));
    }

    @Override
    public void close(ContactKey key, Channel channel, ContactStatus terminal) {
        if (!terminal.isTerminal()) {
            throw new IllegalArgumentException("close takes COMPLETED or FAILED, not " + terminal);
        }
        update(key, channel, item -> {
            // The first terminal status wins: a redelivered or late COMPLETED/FAILED changes nothing.
            if (!ContactStatus.valueOf(item.status).isTerminal()) {
                item.status = terminal.name();
            }
        });
    }

    @Override
    public AppendResult append(ContactKey key, Channel channel, OutputType stream, String eventKey, List<Segment> batch) {
        if (batch.isEmpty()) {
            open(key, channel, Set.of(stream));
            return new AppendResult(0, 0, 0);
        }
        int appended = 0;
        int duplicates = 0;
        int afterTerminal = 0;
        List<List<Segment>> chunks = chunks(batch);
        for (int chunk = 0; chunk < chunks.size(); chunk++) {
            ChunkOutcome outcome = appendChunk(key, channel, stream, Keys.marker(eventKey, chunk), chunks.get(chunk));
            if (outcome == ChunkOutcome.DUPLICATE) {
                duplicates += chunks.get(chunk).size();
            } else {
                appended += chunks.get(chunk).size();
                if (outcome == ChunkOutcome.APPENDED_AFTER_TERMINAL) {
                    afterTerminal += chunks.get(chunk).size();
                }
            }
        }
        return new AppendResult(appended, duplicates, afterTerminal);
    }

    private enum ChunkOutcome { APPENDED, APPENDED_AFTER_TERMINAL, DUPLICATE }

    private ChunkOutcome appendChunk(ContactKey key, Channel channel, OutputType stream, String markerKey, List<Segment> chunk) {
        String pk = Keys.partition(key);
        for (int attempt = 0; ; attempt++) {
            ContactItem current = guard(() -> contacts.getItem(r -> r.key(contactKey(key)).consistentRead(true)));
            boolean terminal = current != null && ContactStatus.valueOf(current.status).isTerminal();
            ContactItem next = successor(key, channel, current);
            long first = next.next(stream);
            next.next(stream, first + chunk.size());
            next.outputTypes.add(stream.name());
            long expiresAt = next.expiresAt;

            TransactWriteItemsEnhancedRequest.Builder tx = TransactWriteItemsEnhancedRequest.builder()
                    .addPutItem(contacts, TransactPutItemEnhancedRequest.builder(ContactItem.class)
                            .item(next).conditionExpression(versionCondition(current)).build())
                    .addPutItem(segments, TransactPutItemEnhancedRequest.builder(SegmentItem.class)
                            .item(SegmentItem.of(pk, markerKey, null, null, expiresAt))
                            .conditionExpression(absent()).build());
            for (int i = 0; i < chunk.size(); i++) {
                Segment segment = chunk.get(i);
                tx.addPutItem(segments, SegmentItem.of(pk, Keys.segment(stream, first + i),
                        segment.type().name(), segment.json(), expiresAt));
            }
            try {
                guard(() -> {
                    enhanced.transactWriteItems(tx.build());
                    return null;
                });
                return terminal ? ChunkOutcome.APPENDED_AFTER_TERMINAL : ChunkOutcome.APPENDED;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                if (failedCondition(reasons, 1)) {
                    return ChunkOutcome.DUPLICATE;
                }
                if (!failedCondition(reasons, 0) && !hasCode(reasons, "TransactionConflict")) {
                    throw new StoreException("the append transaction was cancelled: " + reasons, false, e);
                }
                backOff(attempt, key);
            }
        }
    }

    /** Read-modify-write of the contact item alone, retried while other writers move its version on. */
    private void update(ContactKey key, Channel channel, Consumer<ContactItem> change) {
        for (int attempt = 0; ; attempt++) {
            ContactItem current = guard(() -> contacts.getItem(r -> r.key(contactKey(key)).consistentRead(true)));
            ContactItem next = successor(key, channel, current);
            change.accept(next);
            try {
                guard(() -> {
                    contacts.putItem(PutItemEnhancedRequest.builder(ContactItem.class)
                            .item(next).conditionExpression(versionCondition(current)).build());
                    return null;
                });
                return;
            } catch (ConditionalCheckFailedException e) {
                backOff(attempt, key);
            }
        }
    }

    /** The next version of a contact item: a copy with version, timestamps and TTL moved on (or a new contact). */
    private ContactItem successor(ContactKey key, Channel channel, ContactItem current) {
        Instant now = clock.instant();
        ContactItem next = new ContactItem();
        next.pk = Keys.partition(key);
        next.sk = Keys.CONTACT_SK;
        next.instanceId = key.instanceId();
        next.contactId = key.contactId();
        if (current == null) {
            next.channel = channel.name();
            next.status = ContactStatus.IN_PROGRESS.name();
            next.outputTypes = new HashSet<>();
            next.version = 1L;
            next.createdAt = now.toString();
        } else {
            next.channel = current.channel;
            next.status = current.status;
            next.outputTypes = current.outputTypes == null ? new HashSet<>() : new HashSet<>(current.outputTypes);
            next.nextRaw = current.nextRaw;
            next.nextRedacted = current.nextRedacted;
            next.version = current.version + 1;
            next.createdAt = current.createdAt;
        }
        next.updatedAt = now.toString();
        next.expiresAt = now.plus(retention).getEpochSecond();
        return next;
    }

    private static Expression versionCondition(ContactItem current) {
        if (current == null) {
            return absent();
        }
        return Expression.builder()
                .expression("#version = :version")
                .putExpressionName("#version", "version")
                .putExpressionValue(":version", AttributeValue.fromN(Long.toString(current.version)))
                .build();
    }

    private static Expression absent() {
        return Expression.builder().expression("attribute_not_exists(pk)").build();
    }


    private static List<List<Segment>> chunks(List<Segment> batch) {
        List<List<Segment>> chunks = new ArrayList<>();
        List<Segment> chunk = new ArrayList<>();
        int bytes = 0;
        for (Segment segment : batch) {
            int size = segment.json().length() * 3 + 256; // UTF-8 upper bound plus key and attribute overhead
            if (!chunk.isEmpty() && (chunk.size() == SEGMENTS_PER_TRANSACTION || bytes + size > BYTES_PER_TRANSACTION)) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(segment);
            bytes += size;
        }
        chunks.add(chunk);
        return chunks;
    }

    private static boolean failedCondition(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private static boolean hasCode(List<CancellationReason> reasons, String code) {
        return reasons.stream().anyMatch(r -> code.equals(r.code()));
    }

    private static void backOff(int attempt, ContactKey key) {
        if (attempt + 1 >= MAX_ATTEMPTS) {
            throw new StoreException("too many concurrent writers on contact " + key.contactId() + "; retry later", true, null);
        }
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 2L + Math.min(50, 1L << Math.min(attempt, 6))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a write", e);
        }
    }

    private static Key contactKey(ContactKey key) {
        return Key.builder().partitionValue(Keys.partition(key)).sortValue(Keys.CONTACT_SK).build();
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
