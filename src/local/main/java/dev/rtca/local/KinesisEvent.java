package dev.rtca.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Base64;
import java.util.List;

/**
 * The Kinesis event Lambda's event source mapping delivers to the Kinesis writer: records of one shard, each holding an
 * envelope base64-encoded as {@code data}, {@code partitionKey} its ContactId, {@code eventID}
 * {@code shardId-000000000000:<sequence number>}. What bin/replay sends, and what the ingest benches give the writer.
 */
public final class KinesisEvent {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KinesisEvent() {
    }

    /** A record: the envelope, and its sequence number in the shard. */
    public record Record(ObjectNode envelope, String sequenceNumber) {
    }

    /** The event of these records, in this order, as JSON bytes. */
    public static byte[] of(List<Record> records) {
        try {
            ObjectNode event = JSON.createObjectNode();
            ArrayNode array = event.putArray("Records");
            for (Record record : records) {
                add(array.addObject(), record);
            }
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void add(ObjectNode record, Record from) throws IOException {
        record.putObject("kinesis")
                .put("kinesisSchemaVersion", "1.0")
                .put("partitionKey", from.envelope().path("ContactId").asText())
                .put("sequenceNumber", from.sequenceNumber())
                .put("data", Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(from.envelope())))
                .put("approximateArrivalTimestamp", System.currentTimeMillis() / 1000.0);
        record.put("eventSource", "aws:kinesis")
                .put("eventVersion", "1.0")
                .put("eventID", "shardId-000000000000:" + from.sequenceNumber())
                .put("eventName", "aws:kinesis:record")
                .put("invokeIdentityArn", "arn:aws:iam::" + LocalRuntime.ACCOUNT + ":role/rtca-local-replay")
                .put("awsRegion", LocalRuntime.REGION)
                .put("eventSourceARN", "arn:aws:kinesis:" + LocalRuntime.REGION + ":" + LocalRuntime.ACCOUNT
                        + ":stream/rtca-local-replay");
    }
}
