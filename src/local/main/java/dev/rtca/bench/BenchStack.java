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
import dev.rtca.writers.KinesisIngestHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * What every benchmark runs against: DynamoDB Local and the local Secrets Manager over loopback, a table, the key
 * secret, a principal allowed to read, and the environment a list function gets (for functions in other JVMs).
 */
final class BenchStack implements AutoCloseable {
    static final String PRINCIPAL = "arn:aws:iam::123456789012:user/bench";
    private static final ObjectMapper JSON = new ObjectMapper();

    final LocalDynamo dynamo = LocalDynamo.start();
    final LocalSecrets secrets = LocalSecrets.start("us-east-1", "123456789012");
    final DynamoDbClient client = dynamo.client();
    final String table = dynamo.table("rtca-bench");
    final String secret = secrets.createTokenKeySecret("rtca-bench-token-key", null);
    final DynamoContactStore store = new DynamoContactStore(client, table, Duration.ofHours(24), Clock.systemUTC());

    BenchStack() {
        new DynamoPolicyStore(client, table).put(PRINCIPAL,
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"}]}");
    }

    /** The variables template.yaml sets for a list function, with the stack's local values and credentials. */
    Map<String, String> environment() {
        return new HashMap<>(Map.of(
                Config.TABLE_NAME, table, Config.AWS_REGION, "us-east-1", Config.RETENTION_HOURS, "24",
                Config.DYNAMODB_ENDPOINT, dynamo.endpoint().toString(),
                Config.SECRETS_MANAGER_ENDPOINT, secrets.endpoint().toString(), Config.TOKEN_SECRET_ID, secret,
                Config.ACCOUNT_ID, "123456789012", Config.PARTITION, "aws",
                "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local"));
    }

    Config config() {
        return Config.fromEnvironment(environment()).withCredentials(
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")));
    }

    /** A chat contact in progress with {@code count} Raw transcript segments, appended in events of 500. */
    ContactKey chatContact(int count) {
        ContactKey key = new ContactKey("bench", "contact-" + UUID.randomUUID());
        store.open(key, Channel.CHAT, Set.of(OutputType.Raw));
        for (int at = 0; at < count; at += 500) {
            int from = at;
            store.append(key, Channel.CHAT, OutputType.Raw, "bulk-" + at,
                    IntStream.range(from, Math.min(count, from + 500)).mapToObj(BenchStack::transcript).toList());
        }
        return key;
    }

    /** {@code count} new contacts of the channel in progress (Raw), under instance "ingest". */
    List<ContactKey> openContacts(int count, Channel channel, String prefix) {
        List<ContactKey> contacts = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            ContactKey key = new ContactKey("ingest", prefix + UUID.randomUUID());
            store.open(key, channel, Set.of(OutputType.Raw));
            contacts.add(key);
        }
        return contacts;
    }

    /** The ingest benches' n-th record's sequence number (56 digits, as Kinesis's). */
    static String sequenceNumber(long n) {
        return String.format("4959%052d", n);
    }

    /** The time the Kinesis writer took on the event, in ns; it must report no batch item failures. */
    static long ingest(KinesisIngestHandler writer, byte[] event) {
        long start = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.handleRequest(new ByteArrayInputStream(event), out, null);
        long time = System.nanoTime() - start;
        if (!out.toString(StandardCharsets.UTF_8).contains("\"batchItemFailures\":[]")) {
            throw new IllegalStateException("the writer reported failures: " + out);
        }
        return time;
    }

    /** The time raw BatchWriteItem took to put the items (25 per call, all processed), in ns. */
    long batchWrite(List<WriteRequest> items) {
        long start = System.nanoTime();
        for (int at = 0; at < items.size(); at += 25) {
            List<WriteRequest> chunk = items.subList(at, Math.min(items.size(), at + 25));
            var response = client.batchWriteItem(r -> r.requestItems(Map.of(table, chunk)));
            if (!response.unprocessedItems().isEmpty()) {
                throw new IllegalStateException("unprocessed items");
            }
        }
        return System.nanoTime() - start;
    }

    static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    static Segment transcript(int i) {
        return segment("{\"Transcript\":{\"Id\":\"t-" + i + "\",\"ParticipantId\":\"p-1\",\"ParticipantRole\":\"AGENT\","
                + "\"Content\":\"message " + i + " of the benchmark conversation\",\"Time\":{\"AbsoluteTime\":\"2024-03-14T19:39:26.715Z\"}}}");
    }

    static Segment segment(String json) {
        return SegmentModel.V2.parse(Json.tree(json.getBytes(StandardCharsets.UTF_8)), "segment").orElseThrow();
    }

    /** The API Gateway proxy event of a V2 page request, as the local runtime and API Gateway build it. */
    static String v2Event(ContactKey contact, int maxResults, String nextToken) {
        ObjectNode body = JSON.createObjectNode().put("OutputType", "Raw").put("MaxResults", maxResults);
        body.putArray("SegmentTypes").add("Transcript");
        if (nextToken != null) {
            body.put("NextToken", nextToken);
        }
        ObjectNode event = JSON.createObjectNode().put("httpMethod", "POST").put("resource",
                "/contact/list-real-time-analysis-segments-v2/{InstanceId}/{ContactId}").put("body", body.toString());
        event.putObject("pathParameters").put("InstanceId", contact.instanceId()).put("ContactId", contact.contactId());
        event.putObject("requestContext").put("requestId", "bench").putObject("identity").put("userArn", PRINCIPAL);
        return event.toString();
    }

    static long median(long[] values) {
        return percentile(values, 50);
    }

    static long percentile(long[] values, int percent) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }

    static long[] sorted(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** The quantile of sorted nanoseconds, in ms (NaN for none). */
    static double ms(long[] sorted, double quantile) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))] / 1e6;
    }

    static List<String> lines(String text) {
        return text.lines().toList();
    }

    @Override
    public void close() {
        client.close();
        secrets.close();
        dynamo.close();
    }
}
