package dev.rtca.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.rtca.segments.ContactStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Amazon Connect's real-time contact analysis segment stream (Kinesis) → the ingest core. Each record's data
 * is one envelope; its idempotency key is the record's shard and sequence number (the {@code eventID}, which
 * is {@code shardId-…:sequenceNumber}), unless the envelope names an {@code EventId} (a custom producer's
 * own key, which also covers its PutRecord retries). Failures are reported per record
 * ({@code ReportBatchItemFailures}); once a record of a contact fails, that contact's later records in the
 * batch are reported without being applied, so the retry keeps them in order.
 */
public final class KinesisIngestHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {
    static final String SOURCE = "kinesis";

    private final Ingestor ingestor;

    public KinesisIngestHandler() {
        this(IngestContext.ingestor());
    }

    public KinesisIngestHandler(Ingestor ingestor) {
        this.ingestor = ingestor;
    }

    public KinesisIngestHandler(ContactStore store) {
        this(new Ingestor(store));
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        List<OrderedBatch.Item> items = new ArrayList<>();
        if (event != null && event.getRecords() != null) {
            for (KinesisEvent.KinesisEventRecord record : event.getRecords()) {
                KinesisEvent.Record kinesis = record.getKinesis();
                String sequenceNumber = kinesis == null ? null : kinesis.getSequenceNumber();
                String position = record.getEventID() != null ? record.getEventID() : sequenceNumber;
                byte[] data = kinesis == null ? null : bytes(kinesis.getData());
                items.add(new OrderedBatch.Item(sequenceNumber, "sequenceNumber", DeliveryKeys.of(SOURCE, position, data),
                        null, data));
            }
        }
        OrderedBatch.Outcome outcome = OrderedBatch.apply(ingestor, SOURCE, items);
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (String sequenceNumber : outcome.failed()) {
            failures.add(StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(sequenceNumber).build());
        }
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }

    private static byte[] bytes(ByteBuffer data) {
        if (data == null) {
            return null;
        }
        ByteBuffer view = data.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }
}
