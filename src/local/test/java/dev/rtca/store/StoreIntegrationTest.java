package dev.rtca.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtca.fixtures.Access;
import dev.rtca.fixtures.Samples;
import dev.rtca.local.DynamoCalls;
import dev.rtca.segments.AppendPlan;
import dev.rtca.segments.AppendResult;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.ContactStore;
import dev.rtca.segments.Operation;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.Segment;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.SegmentType;
import dev.rtca.segments.Slice;
import dev.rtca.segments.StoredSegment;
import dev.rtca.segments.StreamRead;
import dev.rtca.segments.TokenCodec;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * The store against a real DynamoDB engine. Subclasses choose the engine: DynamoDB Local (always) and
 * LocalStack through Testcontainers (where Docker exists).
 */
abstract class StoreIntegrationTest {

    /** A client for the engine under test, on which {@link #table()} exists, with the given interceptors. */
    abstract DynamoDbClient client(ExecutionInterceptor... interceptors);

    abstract String table();

    private final String instance = "i-" + UUID.randomUUID();
    /** Every call the tests' stores make. */
    private final DynamoCalls calls = new DynamoCalls();

    DynamoContactStore store(DynamoDbClient client) {
        return new DynamoContactStore(client, table(), Duration.ofHours(24), Clock.systemUTC());
    }

    /** A store whose calls are recorded. */
    DynamoContactStore store() {
        return store(client(calls));
    }

    /**
     * A read that is not strongly consistent could miss the segments a COMPLETED status promises (DynamoDB Local
     * cannot show it, so the request itself is checked): every GetItem and Query of the store asks for it.
     */
    @AfterEach
    void everyReadWasStronglyConsistent() {
        assertTrue(calls.reads() > 0, "the test read through the recorded client");
        assertEquals(List.of(), calls.eventuallyConsistentReads());
        assertEquals(List.of(), calls.itemsActedOnTwiceInOneTransaction(), "DynamoDB rejects a transaction that does");
    }

    /** The whole stream, read {@code max} items at a time; its sequences must be dense from 0. */
    private static List<Segment> drain(DynamoContactStore store, ContactKey key, OutputType stream, int max) {
        List<Segment> out = new ArrayList<>();
        for (int guard = 0; guard < 100_000; guard++) {
            Slice slice = store.more(key, stream, out.size(), max);
            assertTrue(slice.items().size() <= max);
            for (StoredSegment item : slice.items()) {
                assertEquals(out.size(), item.sequence(), "the stream's sequences are dense");
                out.add(item.segment());
            }
            if (!slice.more()) {
                return out;
            }
        }
        throw new AssertionError("read never reached the end of the stream");
    }

    private static List<Long> sequences(DynamoContactStore store, ContactKey key, OutputType stream) {
        return store.more(key, stream, 0, 100_000).items().stream().map(StoredSegment::sequence).toList();
    }

    /** The stored items' attributes, names and types, as the low-level client sees them. */
    private Map<String, Map<String, String>> storedItems(ContactKey key) {
        Map<String, Map<String, String>> items = new TreeMap<>();
        client(calls).query(r -> r.tableName(table()).consistentRead(true).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.partition(key))))).items()
                .forEach(item -> {
                    Map<String, String> shape = new TreeMap<>();
                    item.forEach((name, value) -> shape.put(name, value.type() + (name.equals("pk") || name.endsWith("At")
                            || name.endsWith("Id") ? "" : "=" + (value.s() != null ? value.s() : value.n() != null ? value.n() : value.ss()))));
                    items.put(item.get("sk").s(), shape);
                });
        return items;
    }

    @Test
    void itemsAreStoredWithTheAttributesExistingTablesHold() {
        ContactKey key = new ContactKey(instance, "c-" + UUID.randomUUID());
        DynamoContactStore store = store();
        store.open(key, Channel.VOICE, EnumSet.of(OutputType.Redacted, OutputType.Raw));
        store.append(key, Channel.VOICE, OutputType.Raw, "e", List.of(Samples.v1Transcript(0)));
        Map<String, Map<String, String>> items = storedItems(key);
        assertEquals(Set.of("META", "S#Raw#000000000000", "E#0#e", "L#Raw#2"), items.keySet());
        assertEquals(new TreeMap<>(Map.ofEntries(Map.entry("pk", "S"), Map.entry("sk", "S=META"), Map.entry("instanceId", "S"),
                Map.entry("contactId", "S"), Map.entry("channel", "S=VOICE"), Map.entry("status", "S=IN_PROGRESS"),
                Map.entry("outputTypes", "SS=[Raw, Redacted]"), Map.entry("nextRaw", "N=1"), Map.entry("nextRedacted", "N=0"),
                Map.entry("version", "N=2"), Map.entry("createdAt", "S"), Map.entry("updatedAt", "S"), Map.entry("expiresAt", "N"),
                Map.entry("loggedRaw", "N=2"))),
                items.get("META"));
        assertEquals(Map.of("pk", "S", "sk", "S=S#Raw#000000000000", "segmentType", "S=Transcript",
                "payload", "S=" + Samples.v1Transcript(0).json(), "expiresAt", "N"), items.get("S#Raw#000000000000"));
        assertEquals(Map.of("pk", "S", "sk", "S=E#0#e", "expiresAt", "N"), items.get("E#0#e"));
        // The Raw stream's Id log at the contact's version 2 (the open was 1): the Ids its append stored.
        assertEquals(Map.of("pk", "S", "sk", "S=L#Raw#2", "ids", "SS=[Transcript#t-0]", "expiresAt", "N"), items.get("L#Raw#2"));
    }

    @Test
    void itemsWrittenAsBeforeReadTheSameAndAppendsGoOnFromTheirCounter() {
        // A contact item as an older writer left it: no Redacted counter, no IDs, no TTL; and one segment.
        ContactKey key = new ContactKey(instance, "c-" + UUID.randomUUID());
        String pk = Keys.partition(key);
        DynamoDbClient raw = client(calls);
        raw.putItem(r -> r.tableName(table()).item(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("META"),
                "channel", AttributeValue.fromS("CHAT"), "status", AttributeValue.fromS("IN_PROGRESS"),
                "outputTypes", AttributeValue.fromSs(List.of("Raw")), "nextRaw", AttributeValue.fromN("1"),
                "version", AttributeValue.fromN("7"))));
        Segment old = Samples.v2Transcript(0, "AGENT");
        raw.putItem(r -> r.tableName(table()).item(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("S#Raw#000000000000"),
                "segmentType", AttributeValue.fromS("Transcript"), "payload", AttributeValue.fromS(old.json()),
                "expiresAt", AttributeValue.fromN("4102444800"))));
        DynamoContactStore store = store();
        StreamRead read = store.read(key, OutputType.Raw, 0, 10);
        assertEquals(Set.of(OutputType.Raw), read.contact().orElseThrow().outputTypes());
        assertEquals(ContactStatus.IN_PROGRESS, read.contact().orElseThrow().status());
        assertEquals(1, read.end());
        assertEquals(List.of(new StoredSegment(0, old)), read.slice().items());
        store.append(key, Channel.CHAT, OutputType.Raw, "next", List.of(Samples.v2Transcript(1, "CUSTOMER")));
        assertEquals(List.of(0L, 1L), sequences(store, key, OutputType.Raw));
        assertEquals("N=8", storedItems(key).get("META").get("version"));
    }

    @Test
    void twoWritersRacingOnOneContactItemBothSucceed() throws Exception {
        // Both read the contact item, then both put their version of it: one put's condition fails, and that writer
        // must read again and retry (never fail the event as if DynamoDB had failed).
        CyclicBarrier both = new CyclicBarrier(2);
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean(true);
        ExecutionInterceptor meetBeforePut = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if (armed.get() && "PutItem".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
                    try {
                        both.await(2, TimeUnit.SECONDS);
                    } catch (Exception alone) {
                        // the other writer already went on
                    }
                    armed.set(false);
                }
            }
        };
        DynamoContactStore store = store(client(calls, meetBeforePut));
        ContactKey key = new ContactKey(instance, "c-" + UUID.randomUUID());
        store.open(key, Channel.CHAT, Set.of(OutputType.Raw));
        armed.set(true);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> opening = pool.submit(() -> store.open(key, Channel.CHAT, Set.of(OutputType.Redacted)));
            Future<?> closing = pool.submit(() -> store.close(key, Channel.CHAT, ContactStatus.COMPLETED));
            opening.get(30, TimeUnit.SECONDS);
            closing.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        var contact = store.find(key).orElseThrow();
        assertEquals(ContactStatus.COMPLETED, contact.status());
        assertEquals(Set.of(OutputType.Raw, OutputType.Redacted), contact.outputTypes());
    }

    @Test
    void aReadAsksForTheContactAndTheStreamAtTheSameTime() throws Exception {
        // The GetItem and the first Query each wait (up to 2 s) for the other to be in flight: read one after the
        // other, they could not meet, and the page would pay two round trips.
        CyclicBarrier both = new CyclicBarrier(2);
        List<String> met = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        ExecutionInterceptor meet = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                String call = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
                if (armed.get() && (call.equals("GetItem") || call.equals("Query"))) {
                    try {
                        both.await(2, TimeUnit.SECONDS);
                        met.add(call);
                    } catch (Exception alone) {
                        // waited for the other in vain
                    }
                }
            }
        };
        DynamoContactStore store = store(client(calls, meet));
        ContactKey key = new ContactKey(instance, "c-" + UUID.randomUUID());
        store.open(key, Channel.CHAT, Set.of(OutputType.Raw));
        store.append(key, Channel.CHAT, OutputType.Raw, "e", List.of(Samples.v2Transcript(0, "AGENT")));
        armed.set(true);
        StreamRead read = store.read(key, OutputType.Raw, 0, 10);
        assertEquals(1, read.slice().items().size());
        assertEquals(Set.of("GetItem", "Query"), Set.copyOf(met), "both calls were in flight together");
    }

    @Test
    void keysOfTrickyIdsNeverShareAPartition() {
        DynamoContactStore store = store();
        String[][] ids = {{"a#1", "b"}, {"a", "1#b"}, {"a#", "1#b"}, {"x/y", "z"}, {"x", "y/z"}, {"1#a", "b"}, {"1", "a#b"},
            {"instance", "contact"}, {"instancé", "contact"}, {"😀", "😀#"}, {"😀#", "😀"}, {"C#1#a", "b"}, {"arn:aws:connect:us-east-1:1:instance/x", "c"}};
        List<ContactKey> keys = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            ContactKey key = new ContactKey(instance + ids[i][0], ids[i][1]);
            keys.add(key);
            store.append(key, Channel.CHAT, OutputType.Raw, "e", List.of(Samples.v2Transcript(i, "AGENT")));
        }
        for (int i = 0; i < keys.size(); i++) {
            List<Segment> read = drain(store, keys.get(i), OutputType.Raw, 100);
            assertEquals(List.of(Samples.v2Transcript(i, "AGENT")), read, "contact " + keys.get(i) + " sees only its own segment");
        }
    }

    @Test
    void theSameEventTwiceIsStoredOnce() {
        DynamoContactStore store = store();
        ContactKey key = new ContactKey(instance, "c-" + UUID.randomUUID());
        List<Segment> big = IntStream.range(0, 250).mapToObj(i -> Samples.v2Transcript(i, "AGENT")).toList();

        assertEquals(new AppendResult(3, 0, 0), store.append(key, Channel.CHAT, OutputType.Raw, "small", big.subList(0, 3)));
        assertEquals(new AppendResult(0, 3, 0), store.append(key, Channel.CHAT, OutputType.Raw, "small", big.subList(0, 3)));
        assertEquals(new AppendResult(247, 0, 0), store.append(key, Channel.CHAT, OutputType.Raw, "big", big.subList(3, 250)));
        assertEquals(new AppendResult(0, 247, 0), store.append(key, Channel.CHAT, OutputType.Raw, "big", big.subList(3, 250)));

        assertEquals(big, drain(store, key, OutputType.Raw, 100));
        assertEquals(sequenceRange(250), sequences(store, key, OutputType.Raw));
    }

    /** A client that passes calls to {@code real} until its second transaction, which fails as a crashed writer would. */
    private static DynamoDbClient dyingAfterTheFirstTransaction(DynamoDbClient real) {
        AtomicInteger transactions = new AtomicInteger();
        return (DynamoDbClient) Proxy.newProxyInstance(StoreIntegrationTest.class.getClassLoader(), new Class<?>[] {DynamoDbClient.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("transactWriteItems") && transactions.incrementAndGet() > 1) {
                        throw new IllegalStateException("crash after the first transaction");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aChunkedEventCutShortIsCompletedByItsRedelivery() {
        // A client that dies after the first transaction: the first chunk lands, the rest does not.
        DynamoDbClient real = client(calls);
        DynamoDbClient dying = dyingAfterTheFirstTransaction(real);
        ContactKey key = new ContactKey(instance, "c-" + UUID.randomUUID());
        List<Segment> event = IntStream.range(0, 200).mapToObj(i -> Samples.v2Transcript(i, "CUSTOMER")).toList();
        try {
            store(dying).append(key, Channel.CHAT, OutputType.Raw, "event", event);
            throw new AssertionError("the dying client should have failed");
        } catch (IllegalStateException expected) {
            // as planned
        }
        // A chunk: 100 actions less the contact item, the marker and two Id logs.
        assertEquals(96, drain(store(real), key, OutputType.Raw, 100).size());

        AppendResult redelivered = store(real).append(key, Channel.CHAT, OutputType.Raw, "event", event);
        assertEquals(new AppendResult(200 - 96, 96, 0), redelivered);
        assertEquals(event, drain(store(real), key, OutputType.Raw, 100));
    }

    @Test
    void aProducersRetryUnderANewKeyStoresOnlyWhatTheStreamDoesNotHoldById() {
        ContactKey key = new ContactKey(instance, "c-" + UUID.randomUUID());
        List<Segment> first = IntStream.range(0, 10).mapToObj(i -> withId(i)).toList();
        List<Segment> overlapping = IntStream.range(5, 15).mapToObj(i -> withId(i)).toList();
        Segment categories = new Segment(SegmentType.Categories, "{\"Categories\":{\"MatchedDetails\":{}}}");
        DynamoContactStore store = store(client(calls));
        assertEquals(new AppendResult(11, 0, 0, 0), store.append(key, Channel.CHAT, OutputType.Raw, "shard:1",
                concat(first, List.of(categories))));
        // The producer retried its record (a new sequence number) and sent more: only the new Ids are stored, in order.
        assertEquals(new AppendResult(6, 5, 0, 5), store.append(key, Channel.CHAT, OutputType.Raw, "shard:2",
                concat(overlapping, List.of(categories))));
        // The same Ids in the other stream are that stream's own.
        assertEquals(new AppendResult(10, 0, 0, 0), store.append(key, Channel.CHAT, OutputType.Redacted, "shard:3", first));
        List<Segment> expected = concat(concat(first, List.of(categories)), concat(overlapping.subList(5, 10), List.of(categories)));
        assertEquals(expected, drain(store, key, OutputType.Raw, 100));
        assertEquals(first, drain(store, key, OutputType.Redacted, 100));
        // A redelivery of the retry is a redelivery: its marker is there.
        assertEquals(new AppendResult(0, 11, 0, 0), store.append(key, Channel.CHAT, OutputType.Raw, "shard:2",
                concat(overlapping, List.of(categories))));
    }

    @Test
    void writersOfOneContactInOtherInstancesReadEachOthersIdLogs() {
        ContactKey key = new ContactKey(instance, "c-" + UUID.randomUUID());
        DynamoContactStore a = store(client(calls));
        DynamoContactStore b = store(client(calls)); // another Lambda instance: its own memory of the logs
        assertEquals(new AppendResult(5, 0, 0, 0), a.append(key, Channel.CHAT, OutputType.Raw, "a:1",
                IntStream.range(0, 5).mapToObj(StoreIntegrationTest::withId).toList()));
        assertEquals(new AppendResult(2, 2, 0, 2), b.append(key, Channel.CHAT, OutputType.Raw, "b:1",
                IntStream.range(3, 7).mapToObj(StoreIntegrationTest::withId).toList()));
        // a remembers the Ids as of its own write; b wrote since: a reads b's log before it writes.
        assertEquals(new AppendResult(3, 2, 0, 2), a.append(key, Channel.CHAT, OutputType.Raw, "a:2",
                IntStream.range(5, 10).mapToObj(StoreIntegrationTest::withId).toList()));
        assertEquals(IntStream.range(0, 10).mapToObj(StoreIntegrationTest::withId).toList(), drain(a, key, OutputType.Raw, 100));
        // A close in between moves the version without a log; a fresh instance reads every log there is.
        a.close(key, Channel.CHAT, ContactStatus.COMPLETED);
        assertEquals(new AppendResult(1, 10, 1, 10), store(client(calls)).append(key, Channel.CHAT, OutputType.Raw, "c:1",
                IntStream.range(0, 11).mapToObj(StoreIntegrationTest::withId).toList()));
    }

    @Test
    void aLongEventWithIdsAndARetryOfItUnderANewKeyStoredOnce() {
        ContactKey key = new ContactKey(instance, "c-" + UUID.randomUUID());
        List<Segment> event = IntStream.range(0, 120).mapToObj(i -> withId(i)).toList();
        DynamoContactStore store = store(client(calls));
        assertEquals(new AppendResult(120, 0, 0, 0), store.append(key, Channel.CHAT, OutputType.Raw, "shard:1", event));
        assertEquals(new AppendResult(0, 120, 0, 120), store.append(key, Channel.CHAT, OutputType.Raw, "shard:2", event));
        assertEquals(event, drain(store, key, OutputType.Raw, 100));
    }

    /** A transcript segment with its Id ({@code t-i}), as the ingest model gives it. */
    private static Segment withId(int i) {
        Segment segment = Samples.v2Transcript(i, "CUSTOMER");
        assertEquals("t-" + i, segment.id());
        return segment;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Ten events of ten segments for one contact, in order. */
    private static List<ContactStore.Append> tenEvents(String prefix) {
        List<ContactStore.Append> appends = new ArrayList<>();
        for (int e = 0; e < 10; e++) {
            int first = e * 10;
            appends.add(new ContactStore.Append(OutputType.Raw, prefix + e,
                    IntStream.range(first, first + 10).mapToObj(i -> Samples.v2Transcript(i, "AGENT")).toList()));
        }
        return appends;
    }

    private static List<Segment> segmentsOf(List<ContactStore.Append> appends) {
        return appends.stream().flatMap(a -> a.segments().stream()).toList();
    }

    @Test
    void eventsOfOneContactShareTransactions() {
        DynamoContactStore store = store();
        ContactKey key = new ContactKey(instance, "c-" + UUID.randomUUID());
        List<ContactStore.Append> events = tenEvents("e");
        int before = calls.count(TransactWriteItemsRequest.class);

        List<AppendResult> results = store.append(key, Channel.CHAT, events);

        // 100 actions a transaction: the contact item, eight events' markers and segments (88), the Id log; the last two.
        assertEquals(2, calls.count(TransactWriteItemsRequest.class) - before);
        assertEquals(java.util.Collections.nCopies(10, new AppendResult(10, 0, 0)), results);
        assertEquals(segmentsOf(events), drain(store, key, OutputType.Raw, 100));
    }

    @Test
    void eventsStoredBeforeAreLeftOutOfASharedTransaction() {
        DynamoContactStore store = store();
        ContactKey key = new ContactKey(instance, "c-" + UUID.randomUUID());
        List<ContactStore.Append> events = tenEvents("e");
        store.append(key, Channel.CHAT, List.of(events.get(1), events.get(3)));
        ContactStore.Append redacted = new ContactStore.Append(OutputType.Redacted, "r", List.of(Samples.v2Transcript(7, "AGENT")));

        List<AppendResult> results = store.append(key, Channel.CHAT,
                List.of(events.get(0), events.get(1), events.get(2), redacted, events.get(3), events.get(2)));

        AppendResult stored = new AppendResult(10, 0, 0);
        AppendResult duplicate = new AppendResult(0, 10, 0);
        assertEquals(List.of(stored, duplicate, stored, new AppendResult(1, 0, 0), duplicate, duplicate), results,
                "an event stored before, or twice in one call, is stored once");
        assertEquals(segmentsOf(List.of(events.get(1), events.get(3), events.get(0), events.get(2))),
                drain(store, key, OutputType.Raw, 100));
        assertEquals(redacted.segments(), drain(store, key, OutputType.Redacted, 100));
    }

    @Test
    void eventsCutShortBetweenTransactionsAreCompletedByTheirRedelivery() {
        DynamoDbClient real = client(calls);
        DynamoDbClient dying = dyingAfterTheFirstTransaction(real);
        ContactKey key = new ContactKey(instance, "c-" + UUID.randomUUID());
        List<ContactStore.Append> events = tenEvents("e");
        try {
            store(dying).append(key, Channel.CHAT, events);
            throw new AssertionError("the dying client should have failed");
        } catch (IllegalStateException expected) {
            // as planned
        }
        assertEquals(segmentsOf(events.subList(0, 8)), drain(store(real), key, OutputType.Raw, 100));

        List<AppendResult> redelivered = store(real).append(key, Channel.CHAT, events);
        List<AppendResult> expected = new ArrayList<>(java.util.Collections.nCopies(8, new AppendResult(0, 10, 0)));
        expected.addAll(java.util.Collections.nCopies(2, new AppendResult(10, 0, 0)));
        assertEquals(expected, redelivered);
        assertEquals(segmentsOf(events), drain(store(real), key, OutputType.Raw, 100));
    }

    @Test
    void concurrentAppendersLeaveNoGapNoDuplicateAndLoseNothing() throws Exception {
        DynamoContactStore store = store();
        ContactKey key = new ContactKey(instance, "c-" + UUID.randomUUID());
        int writers = 2;
        int events = 25;
        calls.rendezvousAtFirstTransaction(writers); // both read the same version before either writes
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            done.add(pool.submit((Callable<Void>) () -> {
                for (int e = 0; e < events; e++) {
                    int base = writer * 10_000 + e * 3;
                    store.append(key, Channel.CHAT, OutputType.Raw, "w" + writer + "-" + e,
                            List.of(Samples.v2Transcript(base, "AGENT"), Samples.v2Transcript(base + 1, "AGENT"), Samples.v2Transcript(base + 2, "AGENT")));
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        assertTrue(calls.cancelledTransactions() >= 1, "the writers contended (a transaction was cancelled and retried)");
        List<Segment> all = drain(store, key, OutputType.Raw, 100);
        assertEquals(writers * events * 3, all.size());
        assertEquals(sequenceRange(writers * events * 3), sequences(store, key, OutputType.Raw));
        for (int w = 0; w < writers; w++) {
            int writer = w;
            List<Segment> own = all.stream().filter(s -> writerOf(s) == writer).toList();
            List<Segment> expected = IntStream.range(0, events * 3).mapToObj(i -> Samples.v2Transcript(writer * 10_000 + i, "AGENT")).toList();
            assertEquals(expected, own, "writer " + w + "'s segments, each once and in its order");
        }
    }

    @Test
    void filteredPagesOverTenThousandSegmentsAreCompleteOrderedAndBounded() {
        DynamoContactStore store = store();
        ContactKey key = new ContactKey(instance, "big-" + UUID.randomUUID());
        List<Segment> all = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            all.add(i % 1000 == 999 ? Samples.v2(Samples.V2_SUMMARY) : i % 4 == 3 ? Samples.v2Event(i) : Samples.v2Transcript(i, "AGENT"));
        }
        for (int at = 0; at < all.size(); at += 500) {
            store.append(key, Channel.CHAT, OutputType.Raw, "bulk-" + at, all.subList(at, at + 500));
        }
        store.close(key, Channel.CHAT, ContactStatus.COMPLETED);

        // Pages through the paging rules on this store; Query calls counted as the SDK sends them.
        SegmentLister lister = new SegmentLister(store(), new TokenCodec(
                "store-integration-test-key-0123456789".getBytes(StandardCharsets.UTF_8), Duration.ofHours(24), Clock.systemUTC()));

        for (Set<SegmentType> types : List.of(EnumSet.of(SegmentType.PostContactSummary), EnumSet.of(SegmentType.Event),
                EnumSet.of(SegmentType.Transcript, SegmentType.PostContactSummary), EnumSet.allOf(SegmentType.class))) {
            List<Segment> expected = all.stream().filter(s -> types.contains(s.type())).toList();
            boolean filtered = !types.equals(EnumSet.allOf(SegmentType.class));
            for (int max : new int[] {1, 100}) {
                if (max == 1 && expected.size() > 100) {
                    continue; // one-by-one over thousands adds time, not coverage
                }
                List<Segment> seen = new ArrayList<>();
                String token = null;
                int mostQueries = 0;
                do {
                    calls.reset();
                    SegmentLister.Page page = lister.list(new SegmentLister.Query(Operation.V2, key, OutputType.Raw, types, max, token), Access.all());
                    List<QueryRequest> queries = calls.requests(QueryRequest.class);
                    assertTrue(queries.size() >= 1 && queries.size() <= 4, "a page spends at most 4 reads: " + queries.size());
                    mostQueries = Math.max(mostQueries, queries.size());
                    Integer limit = filtered ? Integer.valueOf(500) : Integer.valueOf(max);
                    queries.forEach(q -> assertEquals(limit, q.limit(),
                            filtered ? "500 items a read when SegmentTypes filters" : "MaxResults items a read otherwise"));
                    assertTrue(page.segments().size() <= max);
                    page.segments().forEach(s -> seen.add(s.segment()));
                    token = page.nextToken();
                } while (token != null);
                assertEquals(expected, seen, "types " + types + " max " + max);
                if (max == 100 && types.equals(EnumSet.of(SegmentType.PostContactSummary))) {
                    assertEquals(4, mostQueries, "1 summary in 1,000 items: a page of 100 spends its 4 reads of 500, then returns");
                }
            }
        }
    }

    @Test
    void lifecycleFirstTerminalStatusWinsAndLateSegmentsAreKept() {
        DynamoContactStore store = store();
        ContactKey key = new ContactKey(instance, "c-" + UUID.randomUUID());
        store.open(key, Channel.CHAT, Set.of(OutputType.Redacted));
        store.close(key, Channel.CHAT, ContactStatus.COMPLETED);
        store.close(key, Channel.CHAT, ContactStatus.FAILED);
        store.open(key, Channel.CHAT, Set.of(OutputType.Raw));
        var contact = store.find(key).orElseThrow();
        assertEquals(ContactStatus.COMPLETED, contact.status());
        assertEquals(Set.of(OutputType.Raw, OutputType.Redacted), contact.outputTypes());
        assertEquals(new AppendResult(1, 0, 1), store.append(key, Channel.CHAT, OutputType.Redacted, "late", List.of(Samples.v2Event(1))));
    }

    /** Writer w numbers its transcripts from w * 10000. */
    private static int writerOf(Segment segment) {
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"Id\":\"t-(\\d+)\"").matcher(segment.json());
        if (!id.find()) {
            throw new AssertionError("no transcript id in " + segment.json());
        }
        return Integer.parseInt(id.group(1)) / 10_000;
    }

    private static List<Long> sequenceRange(int n) {
        return java.util.stream.LongStream.range(0, n).boxed().toList();
    }
}
