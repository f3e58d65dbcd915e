package dev.rtca.ingest;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.segments.ContactStore;
import java.util.List;

/** Drives the batch handlers the way their event sources do, from event JSON through the runtime's serializers. */
final class Deliveries {
    private Deliveries() {
    }

    /** Delivers a Kinesis batch; returns the reported sequence numbers. */
    static List<String> kinesis(ContactStore store, JsonNode batch) {
        StreamsEventResponse response = new KinesisIngestHandler(store).handleRequest(Batches.kinesisEvent(batch), null);
        return response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    /** Delivers an SQS batch; returns the reported message IDs. */
    static List<String> sqs(ContactStore store, JsonNode batch) {
        SQSBatchResponse response = new SqsIngestHandler(store).handleRequest(Batches.sqsEvent(batch), null);
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    /**
     * What Lambda does after a partial failure, until the batch is clean: Kinesis re-reads the shard from the
     * lowest reported sequence number (records after it come again, applied or not); SQS redelivers the
     * reported messages. Returns how many redeliveries it took.
     */
    static int redriveUntilClean(ContactStore store, JsonNode batch, List<String> failed, boolean kinesis) {
        int rounds = 0;
        while (!failed.isEmpty()) {
            if (++rounds > 5) {
                throw new AssertionError("still failing after 5 redeliveries: " + failed);
            }
            JsonNode again = kinesis ? Batches.from(batch, failed.get(0)) : Batches.only(batch, failed);
            failed = kinesis ? kinesis(store, again) : sqs(store, again);
        }
        return rounds;
    }
}
