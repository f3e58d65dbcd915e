package dev.rtca.writers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.ingest.DeliveryKeys;
import dev.rtca.ingest.Envelope;
import dev.rtca.ingest.IngestResult;
import dev.rtca.ingest.Ingestor;
import dev.rtca.ingest.PoisonEventException;
import dev.rtca.model.Json;
import dev.rtca.runtime.Config;
import dev.rtca.runtime.Priming;
import dev.rtca.runtime.Wiring;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Custom analysis results published to EventBridge (source {@code rtca.analysis}, detail-type
 * {@code Contact Analysis Segments}) → the ingest core. The event's {@code detail} is one envelope; its
 * idempotency key is the envelope's {@code EventId} when it has one, else the EventBridge event {@code id}.
 *
 * <p>Lambda invokes this function asynchronously: any failure, poison or transient, is logged and thrown, so
 * Lambda retries it and then hands it to the function's on-failure destination. On success it returns a summary
 * of what was applied (contact, event type, segments appended and already there).
 */
public final class EventBridgeIngestHandler implements RequestStreamHandler {
    static final String SOURCE = "eventbridge";

    private final Ingestor ingestor;
    private final Priming priming;

    /** Lambda's constructor: configured from the function's environment, primed before a SnapStart snapshot. */
    public EventBridgeIngestHandler() {
        this(Config.fromEnvironment(System.getenv()));
    }

    public EventBridgeIngestHandler(Config config) {
        this(Wiring.store(config));
    }

    public EventBridgeIngestHandler(ContactStore store) {
        this.ingestor = new Ingestor(store);
        this.priming = Priming.register(() -> WriterPriming.run(store));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.tree(input);
        String eventId = event.path("id").textValue();
        JsonNode detail = event.get("detail");
        byte[] body = detail == null || detail.isNull() ? null : Json.mapper().writeValueAsBytes(detail);
        ContactKey contact = Envelope.contactOf(detail);
        IngestResult result;
        try {
            if (body == null) {
                throw new PoisonEventException("the event has no detail (the envelope)", null);
            }
            result = ingestor.apply(Envelope.parse(detail), DeliveryKeys.of(SOURCE, eventId, body));
        } catch (RuntimeException e) {
            WriterLog.failure(e, WriterLog.record(SOURCE, "eventId", eventId, contact, body,
                    "eventSource", event.path("source").asText("null"), "detailType", event.path("detail-type").asText("null")));
            throw e;
        }
        WriterLog.applied(result);
        try (JsonGenerator json = Json.FACTORY.createGenerator(output)) {
            json.writeStartObject();
            json.writeStringField("eventId", eventId);
            json.writeStringField("instanceId", result.contact().instanceId());
            json.writeStringField("contactId", result.contact().contactId());
            json.writeStringField("eventType", result.eventType().name());
            if (result.stream() != null) {
                json.writeStringField("outputType", result.stream().name());
                json.writeNumberField("appended", result.appended());
                json.writeNumberField("duplicates", result.duplicates());
            }
            json.writeEndObject();
        }
    }
}
