package dev.rtca.store;

import dev.rtca.segments.AppendResult;
import dev.rtca.segments.Channel;
import dev.rtca.segments.Contact;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.ContactStore;
import dev.rtca.segments.OutputType;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The single-table DynamoDB implementation of {@link ContactStore}; the only class that talks to DynamoDB about
 * contacts and segments, with the SDK's low-level client (items are a handful of attributes: a mapper would cost a
 * list function's cold start a few hundred classes and every page a copy).
 *
 * <p>Appends are TransactWriteItems of up to 100 actions: the contact item (its stream counters advanced, guarded by
 * the contact's version), then for each event chunk in it, the chunk's ingest marker (guarded by "not there yet") and
 * its segment items. A redelivered chunk fails on its marker and is left out; a racing writer fails on the version and
 * retries on the fresh counters. So every segment lands once, at the next free sequence, with no gap.
 *
 * <p>DynamoDB's failures surface as {@link StoreException}: throttled, or failed.
 */
public final class DynamoContactStore implements ContactStore {
    /** TransactWriteItems takes 100 actions. */
    static final int ACTIONS_PER_TRANSACTION = 100;
    /** An event's segments are stored in chunks that fit one transaction with the contact item and the chunk's marker. */
    static final int SEGMENTS_PER_TRANSACTION = ACTIONS_PER_TRANSACTION - 2;
    /** Stay well under the 4 MB transaction limit. */
    static final int BYTES_PER_TRANSACTION = 3 * 1024 * 1024;
    /** The attribute DynamoDB's TTL deletes items by (epoch seconds); every item has it. */
    public static final String TTL_ATTRIBUTE = "expiresAt";
    private static final int MAX_ATTEMPTS = 64;
    /** Runs the contact read beside the stream read: a virtual thread each, nothing to size or shut down. */
    private static final Executor CONCURRENT_READS = Executors.newVirtualThreadPerTaskExecutor();

    private final DynamoDbClient client;
    private final String table;
    private final Duration retention;
    private final Clock clock;

    public DynamoContactStore(DynamoDbClient client, String tableName, Duration retention, Clock clock) {
        this.client = client;
        this.table = tableName;
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public Optional<Contact> find(ContactKey key) {
        return Optional.ofNullable(contactItem(Keys.partition(key))).map(i -> contact(key, i));
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
        return item == null || item.instanceId == null ? Optional.empty() : Optional.of(new ContactKey(item.instanceId, item.contactId));
    }

    /** The contact item, strongly consistent; null when there is none. */
    private ContactItem contactItem(String pk) {
        GetItemRequest request = GetItemRequest.builder().tableName(table).consistentRead(true)
                .key(Keys.primaryKey(pk, Keys.CONTACT_SK)).build();
        GetItemResponse response = guard(() -> client.getItem(request));
        return response.hasItem() && !response.item().isEmpty() ? ContactItem.from(response.item()) : null;
    }

    private static Contact contact(ContactKey key, ContactItem item) {
        Set<OutputType> outputs = EnumSet.noneOf(OutputType.class);
        item.outputTypes.forEach(name -> OutputType.parse(name).ifPresent(outputs::add));
        return new Contact(key, Channel.valueOf(item.channel), ContactStatus.valueOf(item.status), outputs);
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

    private Slice slice(String pk, OutputType stream, long from, int limit) {
        QueryRequest request = QueryRequest.builder().tableName(table).consistentRead(true).limit(limit)
                .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk),
                        ":from", AttributeValue.fromS(Keys.segment(stream, from)),
                        ":to", AttributeValue.fromS(Keys.segment(stream, Keys.MAX_SEQUENCE))))
                .build();
        QueryResponse page = guard(() -> client.query(request));
        List<StoredSegment> items = new ArrayList<>(page.items().size());
        for (Map<String, AttributeValue> item : page.items()) {
            items.add(new StoredSegment(Keys.sequence(item.get("sk").s()),
                    new Segment(SegmentType.valueOf(SegmentItem.type(item)), SegmentItem.payload(item))));
        }
        return new Slice(items, page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty());
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

    /** One chunk of one append: what one marker guards. */
    private record Chunk(int append, OutputType stream, String marker, List<Segment> segments, int bytes) {
    }

    private enum Outcome { APPENDED, APPENDED_AFTER_TERMINAL, DUPLICATE }

    @Override
    public List<AppendResult> append(ContactKey key, Channel channel, List<Append> appends) {
        List<Chunk> chunks = new ArrayList<>();
        for (int a = 0; a < appends.size(); a++) {
            Append append = appends.get(a);
            if (append.segments().isEmpty()) {
                open(key, channel, Set.of(append.stream()));
                continue;
            }
            List<List<Segment>> parts = pack(append.segments(), segment -> 1, DynamoContactStore::bytes, SEGMENTS_PER_TRANSACTION);
            for (int c = 0; c < parts.size(); c++) {
                List<Segment> part = parts.get(c);
                chunks.add(new Chunk(a, append.stream(), Keys.marker(append.eventKey(), c), part,
                        part.stream().mapToInt(DynamoContactStore::bytes).sum()));
            }
        }
        Outcome[] outcomes = new Outcome[chunks.size()];
        Set<String> markers = new HashSet<>();
        List<Integer> toWrite = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            if (markers.add(chunks.get(i).marker())) {
                toWrite.add(i);
            } else {
                outcomes[i] = Outcome.DUPLICATE; // the same event twice in one call: its first copy stores it
            }
        }
        // After the contact item, as many chunks to a transaction (each its marker and segments) as fit.
        for (List<Integer> transaction : pack(toWrite, i -> 1 + chunks.get(i).segments().size(), i -> chunks.get(i).bytes(),
                ACTIONS_PER_TRANSACTION - 1)) {
            appendChunks(key, channel, chunks, transaction, outcomes);
        }
        int[] appended = new int[appends.size()];
        int[] duplicates = new int[appends.size()];
        int[] afterTerminal = new int[appends.size()];
        for (int i = 0; i < chunks.size(); i++) {
            int a = chunks.get(i).append();
            int size = chunks.get(i).segments().size();
            if (outcomes[i] == Outcome.DUPLICATE) {
                duplicates[a] += size;
            } else {
                appended[a] += size;
                afterTerminal[a] += outcomes[i] == Outcome.APPENDED_AFTER_TERMINAL ? size : 0;
            }
        }
        List<AppendResult> results = new ArrayList<>(appends.size());
        for (int a = 0; a < appends.size(); a++) {
            results.add(new AppendResult(appended[a], duplicates[a], afterTerminal[a]));
        }
        return results;
    }

    /**
     * Stores the chunks in one transaction, at the ends of their streams. A chunk whose marker is there already was
     * stored before (a redelivery): it is left out and the rest tried again; so is a lost race on the contact's version.
     */
    private void appendChunks(ContactKey key, Channel channel, List<Chunk> chunks, List<Integer> transaction, Outcome[] outcomes) {
        String pk = Keys.partition(key);
        List<Integer> left = new ArrayList<>(transaction);
        for (int attempt = 0; ; attempt++) {
            ContactItem current = contactItem(pk);
            boolean terminal = current != null && ContactStatus.valueOf(current.status).isTerminal();
            ContactItem next = successor(key, channel, current);
            List<TransactWriteItem> actions = new ArrayList<>();
            actions.add(null); // the contact item, once its counters are moved on
            List<Integer> markerAt = new ArrayList<>(); // the action index of each left chunk's marker
            for (int i : left) {
                Chunk chunk = chunks.get(i);
                long first = next.next(chunk.stream());
                next.next(chunk.stream(), first + chunk.segments().size());
                next.outputTypes.add(chunk.stream().name());
                markerAt.add(actions.size());
                actions.add(put(SegmentItem.marker(pk, chunk.marker(), next.expiresAt), "attribute_not_exists(pk)", null));
                for (int s = 0; s < chunk.segments().size(); s++) {
                    Segment segment = chunk.segments().get(s);
                    actions.add(put(SegmentItem.segment(pk, Keys.segment(chunk.stream(), first + s), segment.type().name(),
                            segment.json(), next.expiresAt), null, null));
                }
            }
            actions.set(0, versioned(next, current));
            try {
                TransactWriteItemsRequest request = TransactWriteItemsRequest.builder().transactItems(actions).build();
                guard(() -> client.transactWriteItems(request));
                for (int i : left) {
                    outcomes[i] = terminal ? Outcome.APPENDED_AFTER_TERMINAL : Outcome.APPENDED;
                }
                return;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                List<Integer> stored = new ArrayList<>();
                for (int c = 0; c < left.size(); c++) {
                    if (failedCondition(reasons, markerAt.get(c))) {
                        stored.add(left.get(c));
                    }
                }
                if (!stored.isEmpty()) {
                    stored.forEach(i -> outcomes[i] = Outcome.DUPLICATE);
                    left.removeAll(stored);
                    if (left.isEmpty()) {
                        return;
                    }
                    continue; // the others again, at once: nothing raced
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
            ContactItem current = contactItem(Keys.partition(key));
            ContactItem next = successor(key, channel, current);
            change.accept(next);
            Put put = versioned(next, current).put();
            try {
                PutItemRequest request = PutItemRequest.builder().tableName(table).item(put.item())
                        .conditionExpression(put.conditionExpression())
                        .expressionAttributeNames(put.hasExpressionAttributeNames() ? put.expressionAttributeNames() : null)
                        .expressionAttributeValues(put.hasExpressionAttributeValues() ? put.expressionAttributeValues() : null)
                        .build();
                guard(() -> client.putItem(request));
                return;
            } catch (ConditionalCheckFailedException e) {
                backOff(attempt, key);
            }
        }
    }

    /** The contact item's next version, put only if the stored one is still {@code current} (or still absent). */
    private TransactWriteItem versioned(ContactItem next, ContactItem current) {
        return current == null
                ? put(next.toItem(), "attribute_not_exists(pk)", null)
                : put(next.toItem(), "#version = :version", AttributeValue.fromN(Long.toString(current.version)));
    }

    private TransactWriteItem put(Map<String, AttributeValue> item, String condition, AttributeValue version) {
        Put.Builder put = Put.builder().tableName(table).item(item);
        if (condition != null) {
            put.conditionExpression(condition);
        }
        if (version != null) {
            put.expressionAttributeNames(Map.of("#version", "version")).expressionAttributeValues(Map.of(":version", version));
        }
        return TransactWriteItem.builder().put(put.build()).build();
    }

    /** The next version of a contact item: a copy with version, timestamps and TTL moved on (or a new contact). */
    private ContactItem successor(ContactKey key, Channel channel, ContactItem current) {
        Instant now = clock.instant();
        ContactItem next = new ContactItem();
        next.pk = Keys.partition(key);
        next.instanceId = key.instanceId();
        next.contactId = key.contactId();
        if (current == null) {
            next.channel = channel.name();
            next.status = ContactStatus.IN_PROGRESS.name();
            next.version = 1L;
            next.createdAt = now.toString();
        } else {
            next.channel = current.channel;
            next.status = current.status;
            next.outputTypes.addAll(current.outputTypes);
            next.nextRaw = current.nextRaw;
            next.nextRedacted = current.nextRedacted;
            next.version = current.version + 1;
            next.createdAt = current.createdAt;
        }
        next.updatedAt = now.toString();
        next.expiresAt = now.plus(retention).getEpochSecond();
        return next;
    }

    /**
     * Items in order, cut into runs that each stay within {@code maxActions} actions and {@link #BYTES_PER_TRANSACTION}
     * bytes (an item too big alone still gets a run of its own).
     */
    private static <T> List<List<T>> pack(List<T> items, ToIntFunction<T> actions, ToIntFunction<T> bytes, int maxActions) {
        List<List<T>> runs = new ArrayList<>();
        List<T> run = new ArrayList<>();
        int runActions = 0;
        int runBytes = 0;
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

    /** An upper bound of a segment item's size: its payload's UTF-8 bound plus key and attribute overhead. */
    private static int bytes(Segment segment) {
        return segment.json().length() * 3 + 256;
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
