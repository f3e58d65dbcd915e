package dev.rtca.bench;

import dev.rtca.model.Json;
import dev.rtca.model.SegmentModel;
import dev.rtca.local.LocalDynamo;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.Segment;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.SegmentType;
import dev.rtca.segments.Operation;
import dev.rtca.segments.Permission;
import dev.rtca.segments.TokenCodec;
import dev.rtca.store.DynamoContactStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code bin/bench}: page cost by position and by filter, measured side by side in one run on DynamoDB Local.
 * Absolute times depend on the machine; the ratios are what the design promises: a page deep
 * in a 10,000-segment contact costs what the first page costs.
 */
public final class PagingBench {
    private static final int SEGMENTS = 10_000;
    private static final int ROUNDS = 200;

    private PagingBench() {
    }

    public static void main(String[] args) {
        LocalDynamo dynamo = LocalDynamo.start();
        try (DynamoDbClient client = dynamo.client()) {
            String table = dynamo.table("rtca-bench");
            DynamoContactStore store = new DynamoContactStore(client, table, Duration.ofHours(24), Clock.systemUTC());
            ContactKey key = new ContactKey("bench", "contact");
            List<Segment> all = new ArrayList<>();
            for (int i = 0; i < SEGMENTS; i++) {
                all.add(segment(i % 1000 == 999 ? "{\"PostContactSummary\":{\"Content\":\"Summary " + i + "\",\"Status\":\"COMPLETED\"}}"
                        : i % 4 == 3 ? "{\"Event\":{\"Id\":\"e-" + i + "\",\"EventType\":\"application/vnd.amazonaws.connect.event.typing\","
                                + "\"Time\":{\"AbsoluteTime\":\"2024-03-14T19:40:00.614Z\"}}}"
                        : "{\"Transcript\":{\"Id\":\"t-" + i + "\",\"ParticipantId\":\"p-1\",\"ParticipantRole\":\"AGENT\","
                                + "\"Content\":\"message " + i + "\",\"Time\":{\"AbsoluteTime\":\"2024-03-14T19:39:26.715Z\"}}}"));
            }
            for (int at = 0; at < SEGMENTS; at += 500) {
                store.append(key, Channel.CHAT, OutputType.Raw, "bulk-" + at, all.subList(at, at + 500));
            }
            store.close(key, Channel.CHAT, ContactStatus.COMPLETED);
            TokenCodec codec = new TokenCodec(new byte[32], Duration.ofHours(24), Clock.systemUTC());
            SegmentLister lister = new SegmentLister(store, codec);
            Set<SegmentType> every = EnumSet.allOf(SegmentType.class);

            System.out.printf("contact of %,d segments, MaxResults 100, median of %d rounds each (interleaved)%n", SEGMENTS, ROUNDS);
            String[] names = {"first page", "page at 5,000", "page at 9,900", "filter: Event (1 in 4)", "filter: PostContactSummary (1 in 1000)"};
            List<java.util.function.Supplier<SegmentLister.Page>> cases = List.of(
                    () -> lister.list(query(key, every, null), Permission.EVERY_STREAM),
                    () -> lister.list(query(key, every, codec.seal(key, Operation.V2, OutputType.Raw, every, 5_000)), Permission.EVERY_STREAM),
                    () -> lister.list(query(key, every, codec.seal(key, Operation.V2, OutputType.Raw, every, 9_900)), Permission.EVERY_STREAM),
                    () -> lister.list(query(key, EnumSet.of(SegmentType.Event), null), Permission.EVERY_STREAM),
                    () -> lister.list(query(key, EnumSet.of(SegmentType.PostContactSummary), null), Permission.EVERY_STREAM));
            long[][] nanos = new long[cases.size()][ROUNDS];
            for (int warm = 0; warm < 50; warm++) {
                cases.forEach(java.util.function.Supplier::get);
            }
            for (int round = 0; round < ROUNDS; round++) {
                for (int c = 0; c < cases.size(); c++) {
                    long start = System.nanoTime();
                    cases.get(c).get();
                    nanos[c][round] = System.nanoTime() - start;
                }
            }
            double base = median(nanos[0]);
            for (int c = 0; c < cases.size(); c++) {
                double m = median(nanos[c]);
                System.out.printf("  %-40s %8.2f ms   x%.2f of the first page%n", names[c], m / 1e6, m / base);
            }
        } finally {
            dynamo.close();
        }
    }

    /** A chat segment, validated as the writers validate it. */
    private static Segment segment(String json) {
        return SegmentModel.V2.parse(Json.tree(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)), "segment").orElseThrow();
    }

    private static SegmentLister.Query query(ContactKey key, Set<SegmentType> types, String token) {
        return new SegmentLister.Query(Operation.V2, key, OutputType.Raw, types, 100, token);
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
