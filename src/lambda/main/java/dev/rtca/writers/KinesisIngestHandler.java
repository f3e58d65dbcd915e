package dev.rtca.writers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.rtca.ingest.DeliveryKeys;
import dev.rtca.ingest.Ingestor;
import dev.rtca.ingest.OrderedBatch;
import dev.rtca.runtime.Config;
import dev.rtca.runtime.Events;
import dev.rtca.runtime.Priming;
import dev.rtca.runtime.Wiring;
import dev.rtca.segments.ContactStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Amazon Connect's real-time contact analysis segment stream (Kinesis) → the ingest core. Each record's data is
 * one envelope; its idempotency key is a digest of the data ({@link DeliveryKeys}: a producer's retry of a record has a
 * new sequence number and the same bytes), unless the envelope names an {@code EventId} (a custom producer's own key).
 * A record's data is read under the JSON policy whatever its size up to Kinesis's 1 MiB; one that breaks it or the model
 * is poison, that record alone. Failures are reported per record ({@code ReportBatchItemFailures});
 * once a record of a contact fails, that contact's later records in the batch are reported without being
 * applied, so the retry keeps them in order.
 */
public final class KinesisIngestHandler implements RequestStreamHandler {
    static final String SOURCE = "kinesis";

    private final ContactStore store;
    private final Ingestor ingestor;

    /** Lambda's constructor: configured from the function's environment. */
    public KinesisIngestHandler() {
        this(Config.fromEnvironment(System.getenv()));
        // SnapStart: the read-only half of the ingest path before the snapshot, so a restored function has it loaded.
        Priming.beforeSnapshot(() -> WriterPriming.run(store));
    }

    /** The local runtime's constructor (it configures every function itself). */
    public KinesisIngestHandler(Config config) {
        this(Wiring.store(config));
    }

    public KinesisIngestHandler(ContactStore store) {
        this.store = store;
        this.ingestor = new Ingestor(store);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        Events.write(output, handle(Events.read(input, KinesisEvent.class), context));
    }

    /**
     * Applies a batch; reports the sequence numbers of the records not applied. A batch a record of which has no
     * sequence number is no Kinesis event (Lambda names every record by it, and a batch response can name a failed
     * record only by it: a null or empty one fails the whole batch): it is refused as a whole, nothing applied.
     */
    public StreamsEventResponse handle(KinesisEvent event, Context context) {
        List<KinesisEvent.KinesisEventRecord> records = event.getRecords();
        if (records == null) {
            throw Events.missing("Records", "the event is not a Kinesis event");
        }
        List<OrderedBatch.Item> items = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            items.add(item(i, records.get(i)));
        }
        List<String> failed = WriterLog.batch(SOURCE, "sequenceNumber", OrderedBatch.apply(ingestor, items));
        return new StreamsEventResponse(failed.stream().map(StreamsEventResponse.BatchItemFailure::new).toList());
    }

    /**
     * One record as the batch applies it, keyed by its data. A record whose {@code eventID} is missing or names another
     * sequence number is not one Lambda delivered ({@code shardId-…:sequenceNumber}): it is poison, reported by its
     * sequence number.
     */
    private static OrderedBatch.Item item(int index, KinesisEvent.KinesisEventRecord record) {
        String at = "Records[" + index + "]";
        if (record == null || record.getKinesis() == null) {
            throw Events.missing(record == null ? at : at + ".kinesis", "the event is not a Kinesis event");
        }
        KinesisEvent.Record kinesis = record.getKinesis();
        String sequenceNumber = kinesis.getSequenceNumber();
        if (sequenceNumber == null || sequenceNumber.isBlank()) {
            throw Events.missing(at + ".kinesis.sequenceNumber", "a batch response names a failed record by it");
        }
        String eventId = record.getEventID();
        boolean delivered = eventId != null && eventId.endsWith(":" + sequenceNumber)
                && eventId.length() > sequenceNumber.length() + 1;
        ByteBuffer data = kinesis.getData();
        OrderedBatch.Item item;
        if (data == Events.NOT_BASE64) {
            item = OrderedBatch.Item.unreadable(sequenceNumber, null, "the record's data is not base64");
        } else {
            byte[] bytes = data == null ? null : bytes(data);
            item = OrderedBatch.Item.of(sequenceNumber, DeliveryKeys.of(SOURCE, bytes), bytes);
        }
        return delivered ? item : item.rejected("eventID must be the record's shard and sequence number (shardId-...:"
                + "sequenceNumber), as Lambda delivers it; it was " + (eventId == null ? "missing" : "another"));
    }

    private static byte[] bytes(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
    }
}
