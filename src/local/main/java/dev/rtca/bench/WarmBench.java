package dev.rtca.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.rtca.api.ListSegmentsV2Handler;
import dev.rtca.segments.ContactKey;
import dev.rtca.model.ListRequests;
import dev.rtca.runtime.Wiring;
import dev.rtca.segments.Operation;
import dev.rtca.segments.Permission;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.SegmentType;
import dev.rtca.segments.TokenCodec;
import dev.rtca.segments.TokenKey;
import dev.rtca.segments.TokenKeys;
import dev.rtca.store.DynamoContactStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Warm pages, in one JVM on DynamoDB Local over loopback, every side interleaved round after round (warm-up first):
 * the V2 handler's first page of 100 segments against the floor ({@link FloorHandler}: a raw-SDK stream handler doing
 * the same job, the proxy event parsed with Jackson, GetItem and Query sent at once, the page rendered and wrapped as a
 * proxy response) and against the raw SDK's Query alone (the one round trip a page cannot avoid); the handler's store
 * reading the contact and the stream, and its lister making the page from them, each beside the floor (where the
 * handler's time over the floor goes: the reads, the paging, or its own work around them); the handler's page at
 * position 100,000 of a long contact against its first page. Then each of the handler's own steps timed alone, in the
 * same JVM, on the same page.
 */
public final class WarmBench {
    private static final int WARM_UP = 300;
    private static final int ROUNDS = 1_000;
    private static final int DEEP = 100_000;
    /** The budgets: handler vs floor, p50 and p99. */
    private static final double P50_BUDGET = 1.10;
    private static final double P99_BUDGET = 1.30;

    private WarmBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : ROUNDS;
        try (BenchStack stack = new BenchStack()) {
            ContactKey contact = stack.chatContact(100);
            System.out.printf("warm: writing a contact of %,d segments for the deep page...%n", DEEP + 100);
            ContactKey deep = stack.chatContact(DEEP + 100);
            ListSegmentsV2Handler handler = new ListSegmentsV2Handler(stack.config());
            FloorHandler floor = new FloorHandler(stack.client, stack.table);
            String pk = "C#" + contact.instanceId().length() + "#" + contact.instanceId() + "#" + contact.contactId();
            Map<String, AttributeValue> range = Map.of(":pk", AttributeValue.fromS(pk),
                    ":from", AttributeValue.fromS("S#Raw#000000000000"), ":to", AttributeValue.fromS("S#Raw#999999999999"));

            byte[] first = BenchStack.v2Event(contact, 100, null).getBytes(StandardCharsets.UTF_8);
            byte[] deepFirst = BenchStack.v2Event(deep, 100, null).getBytes(StandardCharsets.UTF_8);
            TokenCodec tokens = tokens(stack);
            byte[] deepPage = BenchStack.v2Event(deep, 100, tokens.seal(deep, Operation.V2, OutputType.Raw,
                    EnumSet.of(SegmentType.Transcript), DEEP)).getBytes(StandardCharsets.UTF_8);

            Map<String, Runnable> sides = new LinkedHashMap<>();
            sides.put("handler, first page", () -> invoke(handler, first, "t-99"));
            sides.put("floor: raw handler, GetItem and Query at once", () -> invoke(floor, first, "t-99"));
            sides.put("raw Query (100 items)", () -> stack.client.query(r -> r.tableName(stack.table).consistentRead(true)
                    .limit(100).keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to").expressionAttributeValues(range)));
            // The handler's reads alone, through its store, as it makes them for this page (the types filter reads up to
            // FILTERED_READ_LIMIT items): what the read path costs beside the floor's two raw calls.
            DynamoContactStore store = new DynamoContactStore(stack.client, stack.table, Duration.ofDays(1), Clock.systemUTC());
            sides.put("the handler's store: contact and stream read at once",
                    () -> store.read(contact, OutputType.Raw, 0, SegmentLister.FILTERED_READ_LIMIT));
            // The handler's lister as the handler holds it (its client, the token keys from Secrets Manager, holes checked,
            // the NextToken sealed): everything of the page but the event's binding, validation, authorization and render.
            Wiring.Reader reader = Wiring.reader(stack.config());
            SegmentLister.Query query = ListRequests.v2(contact.instanceId(), contact.contactId(),
                    "{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"],\"MaxResults\":100}");
            sides.put("the handler's lister (reads, holes, NextToken)", () -> reader.lister().list(query, Permission.EVERY_STREAM));
            sides.put("handler, first page of the long contact", () -> invoke(handler, deepFirst, "t-99"));
            sides.put("handler, page at 100,000", () -> invoke(handler, deepPage, "t-" + (DEEP + 99)));
            List<String> names = List.copyOf(sides.keySet());
            long[][] nanos = new long[names.size()][rounds];
            for (int i = 0; i < WARM_UP; i++) {
                sides.values().forEach(Runnable::run);
            }
            for (int round = 0; round < rounds; round++) {
                for (int s = 0; s < names.size(); s++) {
                    long start = System.nanoTime();
                    sides.get(names.get(s)).run();
                    nanos[s][round] = System.nanoTime() - start;
                }
            }
            System.out.printf("warm pages, %,d rounds after %d of warm-up, sides interleaved (p50 / p99)%n", rounds, WARM_UP);
            for (int s = 0; s < names.size(); s++) {
                System.out.printf("  %-48s %7.2f ms / %7.2f ms%n", names.get(s),
                        BenchStack.median(nanos[s]) / 1e6, BenchStack.percentile(nanos[s], 99) / 1e6);
            }
            double p50 = ratio(nanos[0], nanos[1], 50);
            double p99 = ratio(nanos[0], nanos[1], 99);
            System.out.printf("  handler vs floor:                x%.2f p50 (budget x%.2f: %s), x%.2f p99 (budget x%.2f: %s)%n",
                    p50, P50_BUDGET, met(p50 <= P50_BUDGET), p99, P99_BUDGET, met(p99 <= P99_BUDGET));
            System.out.printf("  handler vs raw Query:            x%.2f p50, x%.2f p99%n",
                    ratio(nanos[0], nanos[2], 50), ratio(nanos[0], nanos[2], 99));
            System.out.printf("  the handler's store vs floor:    x%.2f p50, x%.2f p99%n",
                    ratio(nanos[3], nanos[1], 50), ratio(nanos[3], nanos[1], 99));
            System.out.printf("  the handler's lister vs floor:   x%.2f p50, x%.2f p99%n",
                    ratio(nanos[4], nanos[1], 50), ratio(nanos[4], nanos[1], 99));
            System.out.printf("  page at 100,000 vs first page:   x%.2f p50, x%.2f p99%n",
                    ratio(nanos[6], nanos[5], 50), ratio(nanos[6], nanos[5], 99));
            System.out.printf("  handler over floor, p50:         %.3f ms%n",
                    (BenchStack.median(nanos[0]) - BenchStack.median(nanos[1])) / 1e6);
            HandlerSteps.print(stack, contact, first, tokens);
        }
    }

    static String met(boolean met) {
        return met ? "met" : "NOT met";
    }

    private static double ratio(long[] a, long[] b, int percent) {
        return (double) BenchStack.percentile(a, percent) / BenchStack.percentile(b, percent);
    }

    /** A codec with the stack's current token key, to start a page anywhere. */
    private static TokenCodec tokens(BenchStack stack) {
        try (SecretsManagerClient secrets = Wiring.secretsManager(stack.config())) {
            String key = secrets.getSecretValue(r -> r.secretId(stack.secret)).secretString();
            return new TokenCodec(TokenKeys.of(TokenKey.ofText(key)), Duration.ofHours(24), Clock.systemUTC());
        }
    }

    private static void invoke(RequestStreamHandler handler, byte[] event, String expect) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            handler.handleRequest(new ByteArrayInputStream(event), out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String response = out.toString(StandardCharsets.UTF_8);
        if (!response.contains(expect)) {
            throw new IllegalStateException("unexpected page: " + response.substring(0, Math.min(300, response.length())));
        }
    }
}
