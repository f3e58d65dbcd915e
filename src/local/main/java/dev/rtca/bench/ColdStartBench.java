package dev.rtca.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.local.LocalDynamo;
import dev.rtca.local.LocalSecrets;
import dev.rtca.model.Json;
import dev.rtca.model.SegmentModel;
import dev.rtca.runtime.Config;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.Segment;
import dev.rtca.store.DynamoContactStore;
import dev.rtca.store.DynamoPolicyStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Cold starts side by side: separate JVMs ({@link ColdStart}), the two sides alternated, medians of each. Today's pair
 * is what reading the NextToken key from Secrets Manager adds to the first V2 page: the handler as Lambda builds it
 * vs the same handler with the key handed to it. Both run against DynamoDB Local and the local Secrets Manager over
 * loopback, so the figure is the client's classes and one local round trip; in AWS the round trip is a regional one.
 */
public final class ColdStartBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ColdStartBench() {
    }

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        try (LocalDynamo dynamo = LocalDynamo.start(); LocalSecrets secrets = LocalSecrets.start("us-east-1", "123456789012")) {
            String table = dynamo.table("rtca-cold-start");
            String secret = secrets.createTokenKeySecret("rtca-cold-start-key", null);
            ContactKey contact = new ContactKey("cold-start", "contact");
            String principal = "arn:aws:iam::123456789012:user/bench";
            try (DynamoDbClient client = dynamo.client()) {
                DynamoContactStore store = new DynamoContactStore(client, table, Duration.ofHours(24), Clock.systemUTC());
                store.open(contact, Channel.CHAT, Set.of(OutputType.Raw));
                store.append(contact, Channel.CHAT, OutputType.Raw, "bench", IntStream.range(0, 100).mapToObj(ColdStartBench::segment).toList());
                new DynamoPolicyStore(client, table).put(principal,
                        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"}]}");
            }
            Map<String, String> environment = new HashMap<>(Map.of(
                    Config.TABLE_NAME, table, Config.AWS_REGION, "us-east-1", Config.RETENTION_HOURS, "24",
                    Config.DYNAMODB_ENDPOINT, dynamo.endpoint().toString(),
                    Config.SECRETS_MANAGER_ENDPOINT, secrets.endpoint().toString(), Config.TOKEN_SECRET_ID, secret,
                    Config.ACCOUNT_ID, "123456789012", Config.PARTITION, "aws",
                    "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local"));
            String event = event(contact, principal);

            List<long[]> secretRuns = new ArrayList<>();
            List<long[]> givenRuns = new ArrayList<>();
            run("secret", environment, event); // the first launch warms the OS's file cache for both sides
            for (int pair = 0; pair < pairs; pair++) {
                secretRuns.add(run("secret", environment, event));
                givenRuns.add(run("given", environment, event));
            }
            long[] secretMs = column(secretRuns, 0);
            long[] givenMs = column(givenRuns, 0);
            System.out.printf("cold start, JVM start -> first V2 page of 100 segments, %d pairs alternated, medians:%n", pairs);
            System.out.printf("  key read from Secrets Manager  %5d ms  %,6d classes%n", median(secretMs), median(column(secretRuns, 1)));
            System.out.printf("  key handed to the handler      %5d ms  %,6d classes%n", median(givenMs), median(column(givenRuns, 1)));
            System.out.printf("  ratio                          x%.2f      x%.2f%n", (double) median(secretMs) / median(givenMs),
                    (double) median(column(secretRuns, 1)) / median(column(givenRuns, 1)));
        }
    }

    private static long[] run(String mode, Map<String, String> environment, String event) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), ColdStart.class.getName(), mode, event);
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(mode + " failed: " + output);
        }
        String[] last = output.lines().reduce((a, b) -> b).orElse("").split(" ");
        return new long[] {Long.parseLong(last[0]), Long.parseLong(last[1])};
    }

    private static String event(ContactKey contact, String principal) throws IOException {
        ObjectNode event = JSON.createObjectNode().put("httpMethod", "POST")
                .put("body", "{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"],\"MaxResults\":100}");
        event.putObject("pathParameters").put("InstanceId", contact.instanceId()).put("ContactId", contact.contactId());
        event.putObject("requestContext").put("requestId", "cold-start").putObject("identity").put("userArn", principal);
        return JSON.writeValueAsString(event);
    }

    private static Segment segment(int i) {
        String json = "{\"Transcript\":{\"Id\":\"t-" + i + "\",\"ParticipantId\":\"p-1\",\"ParticipantRole\":\"AGENT\","
                + "\"Content\":\"message " + i + "\",\"Time\":{\"AbsoluteTime\":\"2024-03-14T19:39:26.715Z\"}}}";
        return SegmentModel.V2.parse(Json.tree(json.getBytes(StandardCharsets.UTF_8)), "segment").orElseThrow();
    }

    private static long[] column(List<long[]> runs, int index) {
        return runs.stream().mapToLong(r -> r[index]).toArray();
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
