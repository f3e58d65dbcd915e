package dev.rtca.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtca.fixtures.Access;
import dev.rtca.fixtures.Samples;
import dev.rtca.local.LocalDynamo;
import dev.rtca.local.PartialVisibility;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.Operation;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.Segment;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.SegmentType;
import dev.rtca.segments.StoredSegment;
import dev.rtca.segments.TokenCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The read path under DynamoDB's real isolation, not DynamoDB Local's: Query is only read-committed against the
 * writers' transactions, so a page may see sequence n+1 of an append without n ({@link PartialVisibility} makes
 * that happen). Writers append and complete contacts while readers page them with SegmentLister, many times: every
 * reader must end (no NextToken) with every segment exactly once and in order, so a page never crossed an invisible
 * sequence and the terminal status never hid a segment written before it.
 */
class PartialVisibilityRaceTest {
    private static final int CONTACTS = 24;
    private static final int READERS_PER_CONTACT = 2;
    private static final int EVENTS = 12;
    private static final int SEGMENTS_PER_EVENT = 3;

    @Test
    void readersRacingWritersNeverSkipASegmentOnPartiallyVisibleTransactions() throws Exception {
        PartialVisibility visibility = new PartialVisibility(20261122L);
        String table = LocalDynamo.shared().table("rtca-partial-visibility-" + UUID.randomUUID().toString().substring(0, 8));
        DynamoContactStore store = new DynamoContactStore(LocalDynamo.client(LocalDynamo.shared().endpoint(), visibility),
                table, Duration.ofHours(24), Clock.systemUTC());
        TokenCodec tokens = new TokenCodec("partial-visibility-race-key-0123456789".getBytes(StandardCharsets.UTF_8),
                Duration.ofHours(24), Clock.systemUTC());
        SegmentLister lister = new SegmentLister(store, tokens);

        ExecutorService pool = Executors.newFixedThreadPool(1 + READERS_PER_CONTACT);
        try {
            for (int c = 0; c < CONTACTS; c++) {
                ContactKey key = new ContactKey("instance-race", "contact-" + c + "-" + UUID.randomUUID());
                List<Segment> written = IntStream.range(0, EVENTS * SEGMENTS_PER_EVENT)
                        .mapToObj(i -> i % 4 == 3 ? Samples.v2Event(i) : Samples.v2Transcript(i, "AGENT")).toList();
                store.open(key, Channel.CHAT, Set.of(OutputType.Raw));
                Future<?> writer = pool.submit(() -> {
                    for (int e = 0; e < EVENTS; e++) {
                        store.append(key, Channel.CHAT, OutputType.Raw, "event-" + e,
                                written.subList(e * SEGMENTS_PER_EVENT, (e + 1) * SEGMENTS_PER_EVENT));
                    }
                    store.close(key, Channel.CHAT, ContactStatus.COMPLETED);
                    return null;
                });
                List<Future<List<Segment>>> readers = new ArrayList<>();
                for (int r = 0; r < READERS_PER_CONTACT; r++) {
                    int pageSize = r == 0 ? 2 : 5;
                    readers.add(pool.submit(() -> drain(lister, key, pageSize)));
                }
                writer.get(60, TimeUnit.SECONDS);
                for (Future<List<Segment>> reader : readers) {
                    assertEquals(ids(written), ids(reader.get(60, TimeUnit.SECONDS)),
                            "contact " + c + ": a reader that paged to the end saw every segment once, in order");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(visibility.holes() > 0, "the readers met holes (n hidden, a later one shown): " + visibility.holes()
                + " holes, " + visibility.hidden() + " items hidden");
    }

    private static List<String> ids(List<Segment> segments) {
        return segments.stream().map(s -> s.json().replaceAll(".*\"Id\":\"([^\"]+)\".*", "$1")).toList();
    }

    /** Pages a contact until the service says it is over (no NextToken), as a paginator does. */
    private static List<Segment> drain(SegmentLister lister, ContactKey key, int pageSize) {
        List<Segment> seen = new ArrayList<>();
        String token = null;
        for (int call = 0; call < 10_000; call++) {
            SegmentLister.Page page = lister.list(new SegmentLister.Query(Operation.V2, key, OutputType.Raw,
                    EnumSet.allOf(SegmentType.class), pageSize, token), Access.all());
            page.segments().stream().map(StoredSegment::segment).forEach(seen::add);
            token = page.nextToken();
            if (token == null) {
                return seen;
            }
        }
        throw new AssertionError("the reader never reached the end of contact " + key);
    }
}
