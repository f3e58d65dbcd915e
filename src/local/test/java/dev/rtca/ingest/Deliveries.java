package dev.rtca.ingest;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.fixtures.Envelopes;
import dev.rtca.local.Handlers;
import dev.rtca.segments.ContactStore;
import dev.rtca.writers.KinesisIngestHandler;
import dev.rtca.writers.SqsIngestHandler;
import java.util.ArrayList;
import java.util.List;

/** Drives the batch handlers the way their event sources do: the event JSON in, the partial-batch response out. */
final class Deliveries {
    private Deliveries() {
    }

    /** Delivers a Kinesis batch; returns the reported sequence numbers. */
    static List<String> kinesis(ContactStore store, JsonNode batch) {
        return failures(new KinesisIngestHandler(store), batch);
    }

    /** Delivers an SQS batch; returns the reported message IDs. */
    static List<String> sqs(ContactStore store, JsonNode batch) {
        return failures(new SqsIngestHandler(store), batch);
    }

    /** The itemIdentifiers of the handler's batchItemFailures. */
    static List<String> failures(RequestStreamHandler handler, JsonNode batch) {
        List<String> failed = new ArrayList<>();
        Envelopes.parse(Handlers.invoke(handler, Envelopes.bytes(batch))).path("batchItemFailures")
                .forEach(failure -> failed.add(failure.path("itemIdentifier").asText()));
        return failed;
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
