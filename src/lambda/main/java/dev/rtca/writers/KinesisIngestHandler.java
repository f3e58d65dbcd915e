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
import java.util.Objects;

/**
 * Amazon Connect's real-time contact analysis segment stream (Kinesis) → the ingest core. Each record's data is
 * one envelope; its idempotency key is a digest of the data ({@link DeliveryKeys}: a producer's retry of a record has a
 * new sequence number and the same bytes), unless the envelope names an {@code EventId} (a custom producer's own key). Failures are reported per record ({@code ReportBatchItemFailures});
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

    /** Applies a batch; reports the sequence numbers of the records not applied. */
    public StreamsEventResponse handle(KinesisEvent event, Context context) {
        List<OrderedBatch.Item> items = new ArrayList<>();
        for (KinesisEvent.KinesisEventRecord record : Objects.requireNonNullElse(event.getRecords(),
                List.<KinesisEvent.KinesisEventRecord>of())) {
            KinesisEvent.Record kinesis = Objects.requireNonNullElseGet(record.getKinesis(), KinesisEvent.Record::new);
            String sequenceNumber = kinesis.getSequenceNumber();
            ByteBuffer data = kinesis.getData();
            if (data == Events.NOT_BASE64) {
                items.add(OrderedBatch.Item.unreadable(sequenceNumber, DeliveryKeys.of(SOURCE, null),
                        "the record's data is not base64"));
            } else {
                byte[] bytes = data == null ? null : bytes(data);
                items.add(OrderedBatch.Item.of(sequenceNumber, DeliveryKeys.of(SOURCE, bytes), bytes));
            }
        }
        List<String> failed = WriterLog.batch(SOURCE, "sequenceNumber", OrderedBatch.apply(ingestor, items));
        return new StreamsEventResponse(failed.stream().map(StreamsEventResponse.BatchItemFailure::new).toList());
    }

    private static byte[] bytes(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
    }
}
