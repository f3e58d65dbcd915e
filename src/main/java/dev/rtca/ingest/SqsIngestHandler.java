package dev.rtca.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.rtca.segments.ContactStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Custom analysis jobs through the AnalysisJobQueue FIFO queue → the ingest core. Each message body is one
 * envelope; its idempotency key is the envelope's {@code EventId} when it has one, else the SQS message ID.
 * Failures are reported by message ID ({@code ReportBatchItemFailures}); after a failure in a message group
 * the rest of that group in the batch is reported without being applied (FIFO order holds). Messages of a
 * standard queue (no MessageGroupId) are ordered by the contact their envelope names.
 */
public final class SqsIngestHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    static final String SOURCE = "sqs";

    private final Ingestor ingestor;

    public SqsIngestHandler() {
        this(IngestContext.ingestor());
    }

    public SqsIngestHandler(Ingestor ingestor) {
        this.ingestor = ingestor;
    }

    public SqsIngestHandler(ContactStore store) {
        this(new Ingestor(store));
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<OrderedBatch.Item> items = new ArrayList<>();
        if (event != null && event.getRecords() != null) {
            for (SQSEvent.SQSMessage message : event.getRecords()) {
                Map<String, String> attributes = message.getAttributes() == null ? Map.of() : message.getAttributes();
                String group = attributes.get("MessageGroupId");
                byte[] body = message.getBody() == null ? null : message.getBody().getBytes(StandardCharsets.UTF_8);
                items.add(new OrderedBatch.Item(message.getMessageId(), "messageId",
                        DeliveryKeys.of(SOURCE, message.getMessageId(), body), group == null ? null : "group:" + group, body));
            }
        }
        OrderedBatch.Outcome outcome = OrderedBatch.apply(ingestor, SOURCE, items);
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (String messageId : outcome.failed()) {
            failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(messageId).build());
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
}
