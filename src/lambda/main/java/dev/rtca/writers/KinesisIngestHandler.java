package dev.rtca.writers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.ingest.DeliveryKeys;
import dev.rtca.ingest.Ingestor;
import dev.rtca.ingest.OrderedBatch;
import dev.rtca.model.Json;
import dev.rtca.runtime.Config;
import dev.rtca.runtime.Priming;
import dev.rtca.runtime.Wiring;
import dev.rtca.segments.ContactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Amazon Connect's real-time contact analysis segment stream (Kinesis) → the ingest core. Each record's data is
 * one envelope; its idempotency key is the record's shard and sequence number (the {@code eventID}, which is
 * {@code shardId-…:sequenceNumber}), unless the envelope names an {@code EventId} (a custom producer's own key,
 * which also covers its PutRecord retries). Failures are reported per record ({@code ReportBatchItemFailures});
 * once a record of a contact fails, that contact's later records in the batch are reported without being
 * applied, so the retry keeps them in order.
 */
public final class KinesisIngestHandler implements RequestStreamHandler {
    static final String SOURCE = "kinesis";

    private final Ingestor ingestor;
    private final Priming priming;

    /** Lambda's constructor: configured from the function's environment, primed before a SnapStart snapshot. */
    public KinesisIngestHandler() {
        this(Config.fromEnvironment(System.getenv()));
    }

    public KinesisIngestHandler(Config config) {
        this(Wiring.store(config));
    }

    public KinesisIngestHandler(ContactStore store) {
        this.ingestor = new Ingestor(store);
        this.priming = Priming.register(() -> WriterPriming.run(store));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        List<OrderedBatch.Item> items = new ArrayList<>();
        for (JsonNode record : Json.tree(input).path("Records")) {
            JsonNode kinesis = record.path("kinesis");
            String sequenceNumber = kinesis.path("sequenceNumber").textValue();
            String position = record.path("eventID").isTextual() ? record.path("eventID").textValue() : sequenceNumber;
            byte[] data = null;
            String unreadable = null;
            if (!kinesis.path("data").isTextual()) {
                unreadable = "the record has no data";
            } else {
                try {
                    data = Base64.getDecoder().decode(kinesis.path("data").textValue());
                } catch (IllegalArgumentException e) {
                    unreadable = "the record's data is not base64";
                }
            }
            items.add(new OrderedBatch.Item(sequenceNumber, DeliveryKeys.of(SOURCE, position, data), null, data, unreadable));
        }
        List<String> failed = WriterLog.batch(SOURCE, "sequenceNumber", OrderedBatch.apply(ingestor, items));
        BatchResponse.write(output, failed);
    }
}
