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
 * The write cost of keeping Utterances, on DynamoDB Local, measured as {@code bin/bench ingest} measures chat: the Kinesis
 * writer given batches of 100 voice records over 10 contacts (10 records each, interleaved), 80 of them records of
 * Utterances (each contact's records: four of Utterances, then one of the Transcripts they make up, twice), against raw
 * BatchWriteItem of the same items (Utterance items and segment items; 25 per call, no ordering, idempotency or contact
 * bookkeeping). Batches alternate between the sides; items/s each. Two shapes: 10 segments a record (as the chat
 * bench; the budget's), and 1 (Connect's smallest events, where every record costs the writer its own calls).
 * Arguments: the batches (20), then optionally one shape alone (its segments a record).
 */
public final class VoiceIngestBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RECORDS = 100;
    private static final int CONTACTS_PER_BATCH = 10;
    /** Of each contact's 10 records in a batch: Utterance, Utterance, Utterance, Utterance, Transcript, then again. */
    private static final int UTTERANCES_PER_TRANSCRIPT = 4;
    /** The budget: the writer's throughput against raw BatchWriteItem's. */
    static final double BUDGET = 0.5;

    private VoiceIngestBench() {
    }

    public static void main(String[] args) throws Exception {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        // A second argument runs one shape alone (10 or 1 segments a record): a quick measure while working on one.
        if (args.length > 1) {
            try (BenchStack stack = new BenchStack()) {
                run(stack, batches, Integer.parseInt(args[1]));
            }
            return;
        }
        try (BenchStack stack = new BenchStack()) {
            double ratio = run(stack, batches, 10);
            run(stack, batches, 1);
            System.out.printf("  voice ingest budget (10 segments a record, as bin/bench ingest): x%.2f (budget x%.2f: %s)%n",
                    ratio, BUDGET, WarmBench.met(ratio >= BUDGET));
        }
    }

    /** One shape; the writer's throughput ÷ raw BatchWriteItem's. */
    private static double run(BenchStack stack, int batches, int segmentsPerRecord) {
        {
            KinesisIngestHandler writer = new KinesisIngestHandler(stack.config());
            long writerNanos = 0;
            long rawNanos = 0;
            long sequence = 0;
            int utterances = 0;
            for (int batch = -2; batch < batches; batch++) { // two warm-up batches per side
                List<ContactKey> contacts = stack.openContacts(CONTACTS_PER_BATCH, Channel.VOICE, "call-");
                List<ObjectNode> segments = new ArrayList<>();
                byte[] event = kinesisEvent(contacts, sequence, segments, segmentsPerRecord);
                sequence += RECORDS;
                long writerTime = BenchStack.ingest(writer, event);
                long rawTime = stack.batchWrite(rawItems(segments, segmentsPerRecord));
                if (batch >= 0) {
                    writerNanos += writerTime;
                    rawNanos += rawTime;
                    utterances += (int) segments.stream().filter(s -> s.has("Utterance")).count();
                }
            }
            long items = (long) batches * RECORDS * segmentsPerRecord;
            double writerRate = items / (writerNanos / 1e9);
            double rawRate = items / (rawNanos / 1e9);
            System.out.printf("voice ingest, %d batches of %d records x %d segment(s), %d%% of the records Utterances, sides "
                    + "alternated%n", batches, RECORDS, segmentsPerRecord, Math.round(100.0 * utterances / items));
            System.out.printf("  Kinesis writer            %,9.0f items/s%n", writerRate);
            System.out.printf("  raw BatchWriteItem        %,9.0f items/s%n", rawRate);
            System.out.printf("  writer vs raw             x%.2f of the throughput%n", writerRate / rawRate);
            return writerRate / rawRate;
        }
    }

    /**
     * The s-th segment of a contact's r-th record in the batch: records 0-3 hold the first four Utterances of transcripts,
     * record 4 those Transcripts; records 5-9 the same for the next ones.
     */
    private static ObjectNode segment(int r, int s, int segmentsPerRecord) {
        int turn = r / (UTTERANCES_PER_TRANSCRIPT + 1) * segmentsPerRecord + s;
        int part = r % (UTTERANCES_PER_TRANSCRIPT + 1);
        long begin = turn * 6_000L;
        ObjectNode segment = JSON.createObjectNode();
        if (part < UTTERANCES_PER_TRANSCRIPT) {
            segment.putObject("Utterance").put("Id", "u-" + turn + "-" + part).put("TranscriptId", "t-" + turn)
                    .put("ParticipantId", "CUSTOMER").put("ParticipantRole", "CUSTOMER")
                    .put("PartialContent", "four words spoken " + part)
                    .put("BeginOffsetMillis", begin + part * 1_428L).put("EndOffsetMillis", begin + (part + 1) * 1_428L);
        } else {
            segment.putObject("Transcript").put("Id", "t-" + turn).put("ParticipantId", "CUSTOMER").put("ParticipantRole", "CUSTOMER")
                    .put("Content", "four words spoken 0 four words spoken 1 four words spoken 2 four words spoken 3")
                    .put("BeginOffsetMillis", begin).put("EndOffsetMillis", begin + 4 * 1_428L).put("Sentiment", "NEUTRAL");
        }
        return segment;
    }

    private static byte[] kinesisEvent(List<ContactKey> contacts, long firstSequence, List<ObjectNode> segments,
                                       int segmentsPerRecord) {
        List<KinesisEvent.Record> records = new ArrayList<>();
        for (int r = 0; r < RECORDS; r++) {
            ContactKey contact = contacts.get(r % contacts.size());
            ObjectNode envelope = JSON.createObjectNode().put("Version", "1.0.0").put("Channel", "VOICE")
                    .put("AccountId", "123456789012").put("InstanceId", contact.instanceId()).put("ContactId", contact.contactId())
                    .put("LanguageCode", "en-US").put("EventType", "SEGMENTS");
            ArrayNode list = envelope.putArray("Segments");
            for (int s = 0; s < segmentsPerRecord; s++) {
                ObjectNode segment = segment(r / contacts.size(), s, segmentsPerRecord);
                segments.add(segment);
                list.add(segment);
            }
            records.add(new KinesisEvent.Record(envelope, BenchStack.sequenceNumber(firstSequence + r)));
        }
        return KinesisEvent.of(records);
    }

    /** The same 100 items the writer keeps for a batch (Utterance items and segment items), as plain puts. */
    private static List<WriteRequest> rawItems(List<ObjectNode> segments, int segmentsPerRecord) {
        List<WriteRequest> items = new ArrayList<>();
        String pk = "C#3#raw#" + UUID.randomUUID();
        long expiresAt = System.currentTimeMillis() / 1000 + 86_400;
        for (int i = 0; i < segments.size(); i++) {
            ObjectNode segment = segments.get(i);
            String contact = pk + "#" + (i / segmentsPerRecord % CONTACTS_PER_BATCH);
            if (segment.has("Utterance")) {
                ObjectNode u = (ObjectNode) segment.get("Utterance");
                String transcriptId = u.path("TranscriptId").asText();
                items.add(BenchStack.put(Map.of("pk", AttributeValue.fromS(contact),
                        "sk", AttributeValue.fromS("U#Raw#" + transcriptId.length() + "#" + transcriptId + "#=" + u.path("Id").asText()),
                        "utteranceId", AttributeValue.fromS(u.path("Id").asText()),
                        "transcriptId", AttributeValue.fromS(transcriptId),
                        "participantId", AttributeValue.fromS(u.path("ParticipantId").asText()),
                        "participantRole", AttributeValue.fromS(u.path("ParticipantRole").asText()),
                        "partialContent", AttributeValue.fromS(u.path("PartialContent").asText()),
                        "beginOffsetMillis", AttributeValue.fromN(u.path("BeginOffsetMillis").asText()),
                        "endOffsetMillis", AttributeValue.fromN(u.path("EndOffsetMillis").asText()),
                        "expiresAt", AttributeValue.fromN(Long.toString(expiresAt)))));
            } else {
                items.add(BenchStack.put(Map.of("pk", AttributeValue.fromS(contact),
                        "sk", AttributeValue.fromS(String.format("S#Raw#%012d", i)),
                        "segmentType", AttributeValue.fromS("Transcript"),
                        "payload", AttributeValue.fromS(segment.toString()),
                        "expiresAt", AttributeValue.fromN(Long.toString(expiresAt)))));
            }
        }
        return items;
    }
}
