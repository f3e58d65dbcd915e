package dev.rtca.ingest;

import dev.rtca.fixtures.Envelopes;
import static dev.rtca.fixtures.Envelopes.JSON;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.local.Handlers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    public static ObjectNode kinesis(List<? extends JsonNode> envelopes) {
        return kinesisData(envelopes.stream().map(Data::of).toList());
    }

    /**
     * A Kinesis batch built from the events library's types, then written as the Lambda service delivers it (the runtime's
     * own serializers: data in base64, the arrival time in epoch seconds).
     */
    static ObjectNode kinesisData(List<Data> data) {
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        for (Data d : data) {
            String sequenceNumber = String.format("4959%052d", SEQUENCE.incrementAndGet());
            KinesisEvent.Record kinesis = new KinesisEvent.Record();
            kinesis.setKinesisSchemaVersion("1.0");
            kinesis.setPartitionKey(d.partitionKey());
            kinesis.setSequenceNumber(sequenceNumber);
            kinesis.setData(ByteBuffer.wrap(d.bytes()));
            kinesis.setApproximateArrivalTimestamp(new Date(1710445166987L));
            KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
            record.setKinesis(kinesis);
            record.setEventSource("aws:kinesis");
            record.setEventVersion("1.0");
            record.setEventID("shardId-000000000000:" + sequenceNumber);
            record.setEventName("aws:kinesis:record");
            record.setInvokeIdentityArn("arn:aws:iam::123456789012:role/rtca-test");
            record.setAwsRegion("us-east-1");
            record.setEventSourceARN(STREAM_ARN);
            records.add(record);
        }
        KinesisEvent event = new KinesisEvent();
        event.setRecords(records);
        return asDelivered(event);
    }

    public static ObjectNode sqs(List<? extends JsonNode> envelopes) {
        return sqsData(envelopes.stream().map(Data::of).toList());
    }

    /**
     * An SQS FIFO batch built from the events library's types, written as the Lambda service delivers it; each message's
     * MessageGroupId is the data's partition key (the contact ID).
     */
    static ObjectNode sqsData(List<Data> data) {
        List<SQSEvent.SQSMessage> messages = new ArrayList<>();
        for (Data d : data) {
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId(UUID.randomUUID().toString());
            message.setReceiptHandle("AQEB" + UUID.randomUUID());
            message.setBody(new String(d.bytes(), StandardCharsets.UTF_8));
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("ApproximateReceiveCount", "1");
            attributes.put("SentTimestamp", "1710446472000");
            attributes.put("SequenceNumber", Long.toString(SEQUENCE.incrementAndGet()));
            attributes.put("MessageGroupId", d.partitionKey());
            attributes.put("SenderId", "AROAEXAMPLE:job");
            attributes.put("MessageDeduplicationId", UUID.randomUUID().toString());
            attributes.put("ApproximateFirstReceiveTimestamp", "1710446472050");
            message.setAttributes(attributes);
            message.setMessageAttributes(Map.of());
            message.setMd5OfBody("00000000000000000000000000000000");
            message.setEventSource("aws:sqs");
            message.setEventSourceArn(QUEUE_ARN);
            message.setAwsRegion("us-east-1");
            messages.add(message);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(messages);
        return asDelivered(event);
    }

    /** The event as the JSON the Lambda service sends, as a tree (tests take records out and break some). */
    private static ObjectNode asDelivered(Object event) {
        return (ObjectNode) Envelopes.parse(Handlers.json(event));
    }

    /**
     * An EventBridge event. Raw JSON: the writer binds its own record (EventBridgeIngestHandler.Event), and the library's
     * ScheduledEvent would need Joda-Time to be written.
     */
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
