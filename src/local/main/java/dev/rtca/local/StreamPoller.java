package dev.rtca.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * What Lambda's DynamoDB event source mapping does for the fan-out function, over the table's stream: read every
 * shard in order, keep the records the template's filter pattern admits, invoke the function with a batch of them,
 * and go on from where a reported failure starts (retried a few times, then skipped, as MaximumRetryAttempts would).
 * It polls every 10 ms while the stream is quiet; under load, batches grow while the function works.
 */
final class StreamPoller implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long it waits after a round that found no records (the README's "every 10 ms"). */
    static final Duration IDLE = Duration.ofMillis(10);
    private static final long DESCRIBE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int ATTEMPTS = 5;

    private final DynamoDbStreamsClient streams;
    private final DynamoDbClient dynamo;
    private final String table;
    private final LambdaFunction function;
    private final JsonNode filter;
    private final Thread thread;
    private final Map<String, String> iterators = new HashMap<>();
    private final Set<String> finished = new HashSet<>();
    private volatile boolean running = true;
    private long describedAt = System.nanoTime();
    private int shardsOpen;

    /** @param filter the event source mapping's filter pattern (null: every record) */
    StreamPoller(LocalDynamo source, String table, LambdaFunction function, JsonNode filter) {
        this.streams = source.streamsClient();
        this.dynamo = source.client();
        this.table = table;
        this.function = function;
        this.filter = filter;
        String streamArn = dynamo.describeTable(r -> r.tableName(table)).table().latestStreamArn();
        if (streamArn == null) {
            streams.close();
            dynamo.close();
            throw new IllegalStateException("table " + table + " has no stream for the fan-out to read");
        }
        for (Shard shard : shards(streamArn)) {
            // What was written before the runtime started is not news: start at the end, as StartingPosition LATEST.
            iterators.put(shard.shardId(), streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.LATEST)).shardIterator());
        }
        shardsOpen = iterators.size();
        this.thread = Thread.ofPlatform().daemon().name("stream-poller-" + table).start(() -> run(streamArn));
    }

    private List<Shard> shards(String streamArn) {
        return streams.describeStream(r -> r.streamArn(streamArn)).streamDescription().shards();
    }

    private void run(String streamArn) {
        while (running) {
            try {
                if (!pollOnce(streamArn)) {
                    Thread.sleep(IDLE);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    System.err.println("stream poller (" + table + "): " + e);
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        }
    }

    /** One round over the shards; true when it found records. */
    private boolean pollOnce(String streamArn) {
        // New shards are looked for once a second, or at once when one ended: the records are read every round.
        long now = System.nanoTime();
        if (iterators.size() < shardsOpen || now - describedAt > DESCRIBE_NANOS) {
            describedAt = now;
            for (Shard shard : shards(streamArn)) {
                if (!iterators.containsKey(shard.shardId()) && !finished.contains(shard.shardId())) {
                    iterators.put(shard.shardId(), streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shard.shardId())
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator());
                }
            }
            shardsOpen = iterators.size();
        }
        boolean found = false;
        for (Map.Entry<String, String> shard : Map.copyOf(iterators).entrySet()) {
            var page = streams.getRecords(r -> r.shardIterator(shard.getValue()).limit(100));
            if (page.nextShardIterator() == null) {
                iterators.remove(shard.getKey());
                finished.add(shard.getKey());
            } else {
                iterators.put(shard.getKey(), page.nextShardIterator());
            }
            List<ObjectNode> batch = page.records().stream().map(r -> record(r, streamArn)).filter(this::admitted).toList();
            if (!batch.isEmpty()) {
                found = true;
                deliver(batch);
            }
        }
        return found;
    }

    /** Invokes the function; from a reported failure on, the batch is invoked again, a few times. */
    private void deliver(List<ObjectNode> batch) {
        List<ObjectNode> pending = batch;
        for (int attempt = 0; attempt < ATTEMPTS && !pending.isEmpty() && running; attempt++) {
            ObjectNode event = JSON.createObjectNode();
            ArrayNode records = event.putArray("Records");
            pending.forEach(records::add);
            String failedFrom = null;
            try {
                JsonNode response = JSON.readTree(function.invoke(JSON.writeValueAsBytes(event), LambdaFunction.newRequestId()));
                JsonNode failures = response.path("batchItemFailures");
                failedFrom = failures.isEmpty() ? null : failures.get(0).path("itemIdentifier").asText();
            } catch (Exception e) {
                System.err.println("function " + function.name() + " failed: " + e);
                failedFrom = pending.get(0).path("dynamodb").path("SequenceNumber").asText();
            }
            if (failedFrom == null) {
                return;
            }
            String from = failedFrom;
            int at = 0;
            while (at < pending.size() && !pending.get(at).path("dynamodb").path("SequenceNumber").asText().equals(from)) {
                at++;
            }
            pending = pending.subList(Math.min(at, pending.size()), pending.size());
        }
        if (!pending.isEmpty() && running) {
            System.err.println("function " + function.name() + ": " + pending.size() + " records skipped after " + ATTEMPTS + " attempts");
        }
    }

    /** A stream record as Lambda's DynamoDB event carries it (keys only, as the table's stream). */
    private static ObjectNode record(Record record, String streamArn) {
        ObjectNode out = JSON.createObjectNode();
        out.put("eventID", record.eventID());
        out.put("eventName", record.eventNameAsString());
        out.put("eventVersion", "1.1");
        out.put("eventSource", "aws:dynamodb");
        out.put("awsRegion", "us-east-1");
        ObjectNode dynamodb = out.putObject("dynamodb");
        ObjectNode keys = dynamodb.putObject("Keys");
        record.dynamodb().keys().forEach((name, value) -> keys.set(name, attribute(value)));
        dynamodb.put("SequenceNumber", record.dynamodb().sequenceNumber());
        dynamodb.put("SizeBytes", record.dynamodb().sizeBytes());
        dynamodb.put("StreamViewType", record.dynamodb().streamViewTypeAsString());
        out.put("eventSourceARN", streamArn);
        return out;
    }

    private static ObjectNode attribute(AttributeValue value) {
        ObjectNode out = JSON.createObjectNode();
        if (value.s() != null) {
            out.put("S", value.s());
        } else if (value.n() != null) {
            out.put("N", value.n());
        }
        return out;
    }

    /** The EventBridge-style filter pattern: every field it names must match one of its values (exact or prefix). */
    private boolean admitted(JsonNode record) {
        return filter == null || matches(filter, record);
    }

    private static boolean matches(JsonNode pattern, JsonNode value) {
        if (pattern.isArray()) {
            for (JsonNode option : pattern) {
                if (option.isTextual() && option.asText().equals(value.asText(null))) {
                    return true;
                }
                if (option.has("prefix") && value.isTextual() && value.asText().startsWith(option.path("prefix").asText())) {
                    return true;
                }
            }
            return false;
        }
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) pattern::fields) {
            if (!matches(field.getValue(), value.path(field.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000); // let the invocation under way finish, as Lambda would, before the table goes away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
        streams.close();
        dynamo.close();
    }
}
