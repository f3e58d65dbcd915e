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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Custom analysis jobs through the AnalysisJobQueue FIFO queue → the ingest core. Each message body is one
 * envelope; its idempotency key is the envelope's {@code EventId} when it has one, else the SQS message ID.
 * Failures are reported by message ID ({@code ReportBatchItemFailures}); after a failure in a message group the
 * rest of that group in the batch is reported without being applied (FIFO order holds). Messages of a standard
 * queue (no MessageGroupId) are ordered by the contact their envelope names.
 */
public final class SqsIngestHandler implements RequestStreamHandler {
    static final String SOURCE = "sqs";

    private final Ingestor ingestor;
    private final Priming priming;

    /** Lambda's constructor: configured from the function's environment, primed before a SnapStart snapshot. */
    public SqsIngestHandler() {
        this(Config.fromEnvironment(System.getenv()));
    }

    public SqsIngestHandler(Config config) {
        this(Wiring.store(config));
    }

    public SqsIngestHandler(ContactStore store) {
        this.ingestor = new Ingestor(store);
        this.priming = Priming.register(() -> WriterPriming.run(store));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        List<OrderedBatch.Item> items = new ArrayList<>();
        for (JsonNode message : Json.tree(input).path("Records")) {
            String messageId = message.path("messageId").textValue();
            String group = message.path("attributes").path("MessageGroupId").textValue();
            byte[] body = message.path("body").isTextual() ? message.path("body").textValue().getBytes(StandardCharsets.UTF_8) : null;
            items.add(new OrderedBatch.Item(messageId, DeliveryKeys.of(SOURCE, messageId, body),
                    group == null ? null : "group:" + group, body));
        }
        List<String> failed = WriterLog.batch(SOURCE, "messageId", OrderedBatch.apply(ingestor, items));
        BatchResponse.write(output, failed);
    }
}
