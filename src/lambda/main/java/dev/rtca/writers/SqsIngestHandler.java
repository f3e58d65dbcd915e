package dev.rtca.writers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Custom analysis jobs through the AnalysisJobQueue FIFO queue → the ingest core. Each message body is one
 * envelope (read under the JSON policy whatever its size up to SQS's 1 MiB); its idempotency key is the envelope's
 * {@code EventId} when it has one, else a digest of the body ({@link DeliveryKeys}: a redelivery and a producer's
 * resend have the same body under any message ID).
 * Failures are reported by message ID ({@code ReportBatchItemFailures}); after a failure in a message group the
 * rest of that group in the batch is reported without being applied (FIFO order holds). Messages of a standard
 * queue (no MessageGroupId) are ordered by the contact their envelope names.
 */
public final class SqsIngestHandler implements RequestStreamHandler {
    static final String SOURCE = "sqs";

    private final ContactStore store;
    private final Ingestor ingestor;

    /** Lambda's constructor: configured from the function's environment. */
    public SqsIngestHandler() {
        this(Config.fromEnvironment(System.getenv()));
        // SnapStart: the read-only half of the ingest path before the snapshot, so a restored function has it loaded.
        Priming.beforeSnapshot(() -> WriterPriming.run(store));
    }

    /** The local runtime's constructor (it configures every function itself). */
    public SqsIngestHandler(Config config) {
        this(Wiring.store(config));
    }

    public SqsIngestHandler(ContactStore store) {
        this.store = store;
        this.ingestor = new Ingestor(store);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        Events.write(output, handle(Events.read(input, SQSEvent.class), context));
    }

    /**
     * Applies a batch; reports the message IDs of the messages not applied. A batch a message of which has no ID is no
     * SQS event (a batch response names a failed message by it, and a null or empty one fails the whole batch): it is
     * refused as a whole, nothing applied.
     */
    public SQSBatchResponse handle(SQSEvent event, Context context) {
        List<SQSEvent.SQSMessage> messages = event.getRecords();
        if (messages == null) {
            throw Events.missing("Records", "the event is not an SQS event");
        }
        List<OrderedBatch.Item> items = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            SQSEvent.SQSMessage message = messages.get(i);
            String messageId = message == null ? null : message.getMessageId();
            if (messageId == null || messageId.isBlank()) {
                throw Events.missing("Records[" + i + "]" + (message == null ? "" : ".messageId"),
                        "a batch response names a failed message by it");
            }
            String group = Objects.requireNonNullElse(message.getAttributes(), Map.<String, String>of()).get("MessageGroupId");
            byte[] body = message.getBody() == null ? null : message.getBody().getBytes(StandardCharsets.UTF_8);
            OrderedBatch.Item item = OrderedBatch.Item.of(messageId, DeliveryKeys.of(SOURCE, body), body);
            items.add(group == null ? item : item.inMessageGroup(group));
        }
        List<String> failed = WriterLog.batch(SOURCE, "messageId", OrderedBatch.apply(ingestor, items));
        return new SQSBatchResponse(failed.stream().map(SQSBatchResponse.BatchItemFailure::new).toList());
    }
}
