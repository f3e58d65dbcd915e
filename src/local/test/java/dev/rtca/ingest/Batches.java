package dev.rtca.ingest;

import dev.rtca.fixtures.Envelopes;
import static dev.rtca.fixtures.Envelopes.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Standard Lambda event JSON (Kinesis, SQS, EventBridge) around envelopes, as the event sources deliver it.
 */
public final class Batches {
    private static final AtomicLong SEQUENCE = new AtomicLong(System.nanoTime() % 1_000_000_000L * 1000);
    static final String STREAM_ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/rtca-test";
    static final String QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:rtca-test.fifo";

    private Batches() {
    }

    /** A record's data: an envelope's JSON bytes, or any bytes (to test invalid ones). */
    record Data(byte[] bytes, String partitionKey) {
        static Data of(JsonNode envelope) {
            return new Data(Envelopes.bytes(envelope), envelope.path("ContactId").asText("no-contact"));
        }

        static Data raw(String text, String partitionKey) {
            return new Data(text.getBytes(StandardCharsets.UTF_8), partitionKey);
        }
    }

    static ObjectNode kinesis(List<? extends JsonNode> envelopes) {
        return kinesisData(envelopes.stream().map(Data::of).toList());
    }

    static ObjectNode kinesisData(List<Data> data) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Data d : data) {
            String sequenceNumber = String.format("4959%052d", SEQUENCE.incrementAndGet());
            ObjectNode record = records.addObject();
            ObjectNode kinesis = record.putObject("kinesis");
            kinesis.put("kinesisSchemaVersion", "1.0");
            kinesis.put("partitionKey", d.partitionKey());
            kinesis.put("sequenceNumber", sequenceNumber);
            kinesis.put("data", Base64.getEncoder().encodeToString(d.bytes()));
            kinesis.put("approximateArrivalTimestamp", 1710445166.987);
            record.put("eventSource", "aws:kinesis");
            record.put("eventVersion", "1.0");
            record.put("eventID", "shardId-000000000000:" + sequenceNumber);
            record.put("eventName", "aws:kinesis:record");
            record.put("invokeIdentityArn", "arn:aws:iam::123456789012:role/rtca-test");
            record.put("awsRegion", "us-east-1");
            record.put("eventSourceARN", STREAM_ARN);
        }
        return event;
    }

    static ObjectNode sqs(List<? extends JsonNode> envelopes) {
        return sqsData(envelopes.stream().map(Data::of).toList());
    }

    /** An SQS FIFO batch; each message's MessageGroupId is the data's partition key (the contact ID). */
    static ObjectNode sqsData(List<Data> data) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Data d : data) {
            String body = new String(d.bytes(), StandardCharsets.UTF_8);
            ObjectNode record = records.addObject();
            record.put("messageId", UUID.randomUUID().toString());
            record.put("receiptHandle", "AQEB" + UUID.randomUUID());
            record.put("body", body);
            ObjectNode attributes = record.putObject("attributes");
            attributes.put("ApproximateReceiveCount", "1");
            attributes.put("SentTimestamp", "1710446472000");
            attributes.put("SequenceNumber", Long.toString(SEQUENCE.incrementAndGet()));
            attributes.put("MessageGroupId", d.partitionKey());
            attributes.put("SenderId", "AROAEXAMPLE:job");
            attributes.put("MessageDeduplicationId", UUID.randomUUID().toString());
            attributes.put("ApproximateFirstReceiveTimestamp", "1710446472050");
            record.putObject("messageAttributes");
            record.put("md5OfBody", "00000000000000000000000000000000");
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", QUEUE_ARN);
            record.put("awsRegion", "us-east-1");
        }
        return event;
    }

    public static ObjectNode eventBridge(JsonNode detail) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Contact Analysis Segments");
        event.put("source", "rtca.analysis");
        event.put("account", "123456789012");
        event.put("time", "2024-03-14T19:45:00Z");
        event.put("region", "us-east-1");
        event.putArray("resources");
        event.set("detail", detail);
        return event;
    }

    /** The identifiers a batch response reports: sequence numbers (Kinesis) or message IDs (SQS). */
    static List<String> ids(JsonNode batch) {
        List<String> ids = new ArrayList<>();
        for (JsonNode record : batch.path("Records")) {
            ids.add(record.has("kinesis") ? record.path("kinesis").path("sequenceNumber").asText() : record.path("messageId").asText());
        }
        return ids;
    }

    /** The batch with only the records whose identifier is in {@code ids}, in their original order. */
    static ObjectNode only(JsonNode batch, Collection<String> ids) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode records = out.putArray("Records");
        List<String> all = ids(batch);
        for (int i = 0; i < all.size(); i++) {
            if (ids.contains(all.get(i))) {
                records.add(batch.path("Records").get(i).deepCopy());
            }
        }
        return out;
    }

    /** What Kinesis redelivers after a partial failure: every record from the lowest failed sequence number on. */
    static ObjectNode from(JsonNode batch, String firstFailed) {
        List<String> all = ids(batch);
        int start = all.indexOf(firstFailed);
        if (start < 0) {
            throw new IllegalArgumentException(firstFailed + " is not in the batch");
        }
        return only(batch, all.subList(start, all.size()));
    }


}
