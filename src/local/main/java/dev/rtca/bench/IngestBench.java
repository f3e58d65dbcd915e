package dev.rtca.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.local.KinesisEvent;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.writers.KinesisIngestHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Ingest throughput on DynamoDB Local: the Kinesis writer given batches of 100 records of 10 segments each (10 chat
 * contacts, 10 records each), against raw BatchWriteItem of the same 1,000 segment items per batch (25 per call, no
 * ordering, idempotency or contact bookkeeping). Batches alternate between the sides; segments per second each.
 */
public final class IngestBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RECORDS = 100;
    private static final int SEGMENTS_PER_RECORD = 10;
    private static final int CONTACTS_PER_BATCH = 10;
    /** The budget: the writer's throughput against raw BatchWriteItem's. */
    private static final double BUDGET = 0.6;

    private IngestBench() {
    }

    public static void main(String[] args) throws Exception {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        try (BenchStack stack = new BenchStack()) {
            KinesisIngestHandler writer = new KinesisIngestHandler(stack.config());
            long writerNanos = 0;
            long rawNanos = 0;
            long sequence = 0;
            for (int batch = -2; batch < batches; batch++) { // two warm-up batches per side
                List<ContactKey> contacts = stack.openContacts(CONTACTS_PER_BATCH, Channel.CHAT, "contact-");
                byte[] event = kinesisEvent(contacts, sequence);
                sequence += RECORDS;
                long writerTime = BenchStack.ingest(writer, event);
                long rawTime = stack.batchWrite(rawItems());
                if (batch >= 0) {
                    writerNanos += writerTime;
                    rawNanos += rawTime;
                }
            }
            long segments = (long) batches * RECORDS * SEGMENTS_PER_RECORD;
            double writerRate = segments / (writerNanos / 1e9);
            double rawRate = segments / (rawNanos / 1e9);
            System.out.printf("ingest, %d batches of %d records x %d segments, sides alternated%n", batches, RECORDS, SEGMENTS_PER_RECORD);
            System.out.printf("  Kinesis writer            %,9.0f segments/s%n", writerRate);
            System.out.printf("  raw BatchWriteItem        %,9.0f segments/s%n", rawRate);
            System.out.printf("  writer vs raw             x%.2f of the throughput (budget x%.2f: %s)%n", writerRate / rawRate,
                    BUDGET, WarmBench.met(writerRate / rawRate >= BUDGET));
        }
    }

    private static byte[] kinesisEvent(List<ContactKey> contacts, long firstSequence) throws Exception {
        List<KinesisEvent.Record> records = new ArrayList<>();
        for (int r = 0; r < RECORDS; r++) {
            ContactKey contact = contacts.get(r % contacts.size());
            ObjectNode envelope = JSON.createObjectNode().put("Version", "2.0.0").put("Channel", "CHAT")
                    .put("AccountId", "123456789012").put("InstanceId", contact.instanceId()).put("ContactId", contact.contactId())
                    .put("OutputType", "Raw").put("StreamingEventType", "SEGMENTS");
            ArrayNode segments = envelope.putArray("Segments");
            for (int s = 0; s < SEGMENTS_PER_RECORD; s++) {
                segments.add(JSON.readTree(BenchStack.transcript(r * SEGMENTS_PER_RECORD + s).json()));
            }
            records.add(new KinesisEvent.Record(envelope, BenchStack.sequenceNumber(firstSequence + r)));
        }
        return KinesisEvent.of(records);
    }

    /** The same 1,000 segment items the writer stores for a batch, as plain puts. */
    private static List<WriteRequest> rawItems() {
        List<WriteRequest> items = new ArrayList<>();
        String pk = "C#3#raw#" + UUID.randomUUID();
        for (int i = 0; i < RECORDS * SEGMENTS_PER_RECORD; i++) {
            items.add(BenchStack.put(Map.of(
                    "pk", AttributeValue.fromS(pk + "#" + (i % CONTACTS_PER_BATCH)),
                    "sk", AttributeValue.fromS(String.format("S#Raw#%012d", i)),
                    "segmentType", AttributeValue.fromS("Transcript"),
                    "payload", AttributeValue.fromS(BenchStack.transcript(i).json()),
                    "expiresAt", AttributeValue.fromN(Long.toString(System.currentTimeMillis() / 1000 + 86_400)))));
        }
        return items;
    }
}
