package dev.rtca.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.rtca.api.ListSegmentsV2Handler;
import dev.rtca.runtime.Config;
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
 * One cold start, in a JVM of its own that {@link ColdStartBench} launches with a function's environment: build the
 * V2 handler, serve the first page of a 100-segment contact, print the milliseconds since the JVM started and the
 * classes loaded. {@code secret}: the handler as Lambda builds it (no-arg constructor; the NextToken key read from
 * Secrets Manager); {@code given}: the same handler with the key handed to it, no Secrets Manager client at all.
 */
public final class ColdStart {
    static final String GIVEN_KEY = "cold-start-bench-key-0123456789abcdef";

    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        RequestStreamHandler handler = switch (args[0]) {
            case "secret" -> new ListSegmentsV2Handler();
            case "given" -> {
                Config config = Config.fromEnvironment(System.getenv());
                TokenCodec codec = new TokenCodec(GIVEN_KEY.getBytes(StandardCharsets.UTF_8), config.retention(), Clock.systemUTC());
                DynamoDbClient dynamo = Wiring.dynamo(config);
                yield new ListSegmentsV2Handler(new SegmentLister(new DynamoContactStore(dynamo, config.tableName(),
                        config.retention(), Clock.systemUTC()), codec), Wiring.authorizer(config, dynamo));
            }
            default -> throw new IllegalArgumentException("mode: secret or given");
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(args[1].getBytes(StandardCharsets.UTF_8)), out, null);
        long elapsed = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        String response = out.toString(StandardCharsets.UTF_8);
        if (!response.contains("\"statusCode\":200")) {
            throw new IllegalStateException("the first page failed: " + response);
        }
        System.out.println(elapsed + " " + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
    }
}
