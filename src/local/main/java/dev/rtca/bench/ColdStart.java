package dev.rtca.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.rtca.api.ListSegmentsV2Handler;
import dev.rtca.runtime.Config;
import dev.rtca.runtime.Priming;
import dev.rtca.runtime.Wiring;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.TokenCodec;
import dev.rtca.store.DynamoContactStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One cold start, in a JVM of its own that {@link ColdStartBench} launches with a list function's environment: build
 * a handler as Lambda does (no-arg constructor), serve the first V2 page of a 100-segment contact, print the
 * milliseconds since the JVM started and the classes loaded.
 *
 * <ul>
 *   <li>{@code handler}: ListSegmentsV2Handler, as deployed (its NextToken key read from Secrets Manager);
 *   <li>{@code given}: the same handler with the key handed to it (no Secrets Manager client);
 *   <li>{@code floor}: {@link FloorHandler}, the least a handler can do for the page;
 *   <li>{@code primed}: ListSegmentsV2Handler as deployed, its SnapStart priming run first: prints only what the first
 *       page costs after it (milliseconds and classes loaded from the end of priming), what a restored function's
 *       first request costs beyond the restore.
 * </ul>
 */
public final class ColdStart {
    static final String GIVEN_KEY = "cold-start-bench-key-0123456789abcdef";

    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        long startMs = ManagementFactory.getRuntimeMXBean().getStartTime();
        long startClasses = 0;
        RequestStreamHandler handler = switch (args[0]) {
            case "handler" -> new ListSegmentsV2Handler();
            case "primed" -> {
                ListSegmentsV2Handler primed = new ListSegmentsV2Handler();
                Priming.primeNow();
                startMs = System.currentTimeMillis();
                startClasses = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
                yield primed;
            }
            case "floor" -> new FloorHandler();
            case "given" -> {
                Config config = Config.fromEnvironment(System.getenv());
                TokenCodec codec = new TokenCodec(GIVEN_KEY.getBytes(StandardCharsets.UTF_8), config.retention(), Clock.systemUTC());
                DynamoDbClient dynamo = Wiring.dynamo(config);
                yield new ListSegmentsV2Handler(new Wiring.Reader(new SegmentLister(new DynamoContactStore(dynamo,
                        config.tableName(), config.retention(), Clock.systemUTC()), codec), Wiring.authorizer(config, dynamo)));
            }
            default -> throw new IllegalArgumentException("side: handler, given, floor or primed");
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(args[1].getBytes(StandardCharsets.UTF_8)), out, null);
        long elapsed = System.currentTimeMillis() - startMs;
        String response = out.toString(StandardCharsets.UTF_8);
        if (!response.contains("\"statusCode\":200") || !response.contains("t-99")) {
            throw new IllegalStateException("the first page failed: " + response);
        }
        System.out.println(elapsed + " " + (ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount() - startClasses));
    }
}
