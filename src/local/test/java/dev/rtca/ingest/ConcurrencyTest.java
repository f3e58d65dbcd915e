package dev.rtca.ingest;

import dev.rtca.fixtures.Access;
import dev.rtca.fixtures.Envelopes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.local.DynamoCalls;
import dev.rtca.local.TestRuntime;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.Operation;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.TokenCodec;
import dev.rtca.segments.SegmentType;
import dev.rtca.segments.StoredSegment;
import dev.rtca.store.DynamoContactStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.connect.model.ListRealtimeContactAnalysisSegmentsV2Response;

/**
 * Several writers appending to one contact (distinct event keys) while readers page the same stream, both
 * through the store and through the official SDK against the local runtime: every reader sees every segment
 * exactly once, in sequence order, and each writer's segments keep the writer's order. The test proves the
 * race it claims: the writers' first transactions are made to collide (one is cancelled and retried), and every
 * reader sees its first segments while the writers are still writing.
 */
class ConcurrencyTest {
    private static final int WRITERS = 4;
    private static final int EVENTS_PER_WRITER = 6;
    private static final int SEGMENTS_PER_EVENT = 3;
    private static final int TOTAL = WRITERS * EVENTS_PER_WRITER * SEGMENTS_PER_EVENT;

    @Test
    void writersAndReadersOnOneContact() throws Exception {
        TestRuntime runtime = TestRuntime.shared();
        DynamoCalls writes = new DynamoCalls();
        DynamoContactStore writerStore = runtime.store(writes);
        DynamoContactStore store = runtime.store(); // the table the read API serves
        ContactKey key = Envelopes.newContact();
        new Ingestor(store).ingest(Envelopes.chat(key, "STARTED", "Raw"), "started");
        writes.rendezvousAtFirstTransaction(WRITERS);
        AtomicLong writersDone = new AtomicLong(Long.MAX_VALUE);

        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 3);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    Ingestor ingestor = new Ingestor(writerStore); // each writer as its own Lambda instance
                    start.await();
                    for (int e = 0; e < EVENTS_PER_WRITER; e++) {
                        List<ObjectNode> segments = new ArrayList<>();
                        for (int s = 0; s < SEGMENTS_PER_EVENT; s++) {
                            segments.add(Envelopes.v2Transcript(tag(writer, e, s), false));
                        }
                        IngestResult result = ingestor.ingest(Envelopes.chatSegments(key, "Raw", segments), "w" + writer + "-e" + e);
                        assertEquals(SEGMENTS_PER_EVENT, result.appended());
                    }
                    return null;
                }));
            }
            List<Future<Read>> readers = new ArrayList<>();
            readers.add(pool.submit(storeReader(store, key, start, 5)));
            readers.add(pool.submit(storeReader(store, key, start, 2)));
            readers.add(pool.submit(sdkReader(runtime.connect(), key, start)));
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
            writersDone.set(System.nanoTime());
            assertTrue(writes.cancelledTransactions() >= 1, "the writers contended: a transaction was cancelled and retried");

            List<JsonNode> stored = Readback.stream(store, key, OutputType.Raw);
            assertEquals(TOTAL, stored.size());
            assertEquals(TOTAL, new HashSet<>(stored).size(), "no segment stored twice");
            for (int w = 0; w < WRITERS; w++) {
                List<String> order = new ArrayList<>();
                for (JsonNode s : stored) {
                    String id = s.path("Transcript").path("Id").asText();
                    if (id.startsWith("tr-w" + w + "-")) {
                        order.add(id);
                    }
                }
                List<String> expected = new ArrayList<>();
                for (int e = 0; e < EVENTS_PER_WRITER; e++) {
                    for (int s = 0; s < SEGMENTS_PER_EVENT; s++) {
                        expected.add("tr-" + tag(w, e, s));
                    }
                }
                assertEquals(expected, order, "writer " + w + "'s segments in its order");
            }
            for (Future<Read> reader : readers) {
                Read read = reader.get(60, TimeUnit.SECONDS);
                assertEquals(stored, read.segments(), "a concurrent reader saw each segment once, in order");
                assertTrue(read.firstSegmentAt() < writersDone.get(), "the reader read while the writers wrote");
            }
        } finally {
            pool.shutdownNow();
        }

        // Completed: the SDK paginator now ends, with the same stream.
        new Ingestor(store).ingest(Envelopes.chat(key, "COMPLETED", "Raw"), "completed");
        List<JsonNode> paged = new ArrayList<>();
        runtime.connect().listRealtimeContactAnalysisSegmentsV2Paginator(r -> r.instanceId(key.instanceId())
                        .contactId(key.contactId()).outputType("Raw").segmentTypesWithStrings(Readback.ALL_V2_TYPES).maxResults(7))
                .forEach(page -> paged.addAll(Readback.sdkJson(page.segments())));
        assertEquals(Readback.stream(store, key, OutputType.Raw), paged);
    }

    private static String tag(int writer, int event, int segment) {
        return "w" + writer + "-e" + event + "-s" + segment;
    }

    /** What a reader saw, and when it saw its first segment ({@link System#nanoTime()}). */
    private record Read(List<JsonNode> segments, long firstSegmentAt) {
    }

    /**
     * Polls the stream through the paging rules, holding one NextToken chain, until it has seen every segment;
     * the sequences it is given must be contiguous.
     */
    private static Callable<Read> storeReader(DynamoContactStore store, ContactKey key, CountDownLatch start, int pageSize) {
        SegmentLister lister = new SegmentLister(store, new TokenCodec(
                "concurrency-test-key-0123456789abcdefgh".getBytes(StandardCharsets.UTF_8), Duration.ofHours(24), Clock.systemUTC()));
        return () -> {
            start.await();
            List<JsonNode> seen = new ArrayList<>();
            long first = Long.MAX_VALUE;
            String token = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seen.size() < TOTAL) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("store reader saw only " + seen.size() + " of " + TOTAL);
                }
                SegmentLister.Page page = lister.list(new SegmentLister.Query(Operation.V2, key, OutputType.Raw,
                        EnumSet.allOf(SegmentType.class), pageSize, token), Access.all());
                for (StoredSegment s : page.segments()) {
                    assertEquals(seen.size(), s.sequence(), "a reader must never skip or repeat a sequence");
                    seen.add(Envelopes.parse(s.segment().json()));
                }
                first = seen.isEmpty() ? first : Math.min(first, System.nanoTime());
                token = page.nextToken();
                if (page.segments().isEmpty()) {
                    Thread.sleep(5);
                }
            }
            return new Read(seen, first);
        };
    }

    /** A client holding one NextToken chain for the contact's whole life, as a live dashboard would. */
    private static Callable<Read> sdkReader(ConnectClient connect, ContactKey key, CountDownLatch start) {
        return () -> {
            start.await();
            List<JsonNode> seen = new ArrayList<>();
            long first = Long.MAX_VALUE;
            String token = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seen.size() < TOTAL) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("SDK reader saw only " + seen.size() + " of " + TOTAL);
                }
                String next = token;
                ListRealtimeContactAnalysisSegmentsV2Response page = connect.listRealtimeContactAnalysisSegmentsV2(r -> r
                        .instanceId(key.instanceId()).contactId(key.contactId()).outputType("Raw")
                        .segmentTypesWithStrings(Readback.ALL_V2_TYPES).maxResults(4).nextToken(next));
                seen.addAll(Readback.sdkJson(page.segments()));
                first = seen.isEmpty() ? first : Math.min(first, System.nanoTime());
                assertTrue(page.nextToken() != null, "IN_PROGRESS pages always carry a NextToken");
                token = page.nextToken();
                if (page.segments().isEmpty()) {
                    Thread.sleep(5);
                }
            }
            return new Read(seen, first);
        };
    }
}
