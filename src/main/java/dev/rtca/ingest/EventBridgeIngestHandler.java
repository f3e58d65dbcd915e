package dev.rtca.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Custom analysis results published to EventBridge (source {@code rtca.analysis}, detail-type
 * {@code Contact Analysis Segments}) → the ingest core. The event's {@code detail} is one envelope; its
 * idempotency key is the envelope's {@code EventId} when it has one, else the EventBridge event {@code id}.
 *
 * <p>The input type is {@link ScheduledEvent}, the events library's class for every EventBridge event (the
 * Lambda runtime deserializes it with its own event serializers; {@code detail} arrives as a map). Lambda
 * invokes this function asynchronously: any failure, poison or transient, is logged and thrown, so Lambda
 * retries it and then hands it to the function's on-failure destination.
 */
public final class EventBridgeIngestHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    static final String SOURCE = "eventbridge";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Ingestor ingestor;

    public EventBridgeIngestHandler() {
        this(IngestContext.ingestor());
    }

    public EventBridgeIngestHandler(Ingestor ingestor) {
        this.ingestor = ingestor;
    }

    public EventBridgeIngestHandler(ContactStore store) {
        this(new Ingestor(store));
    }

    /** @return a summary of what was applied (contact, event type, segments appended / already there) */
    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        String eventId = event == null ? null : event.getId();
        JsonNode detail = event == null || event.getDetail() == null ? null : JSON.valueToTree(event.getDetail());
        byte[] body = detail == null ? null : json(detail);
        ContactKey contact = Envelope.contactOf(detail);
        try {
            if (detail == null) {
                throw new PoisonEventException("the event has no detail (the envelope)", null);
            }
            IngestResult result = ingestor.apply(Envelope.parse(detail), DeliveryKeys.of(SOURCE, eventId, body));
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("eventId", eventId);
            summary.put("instanceId", result.contact().instanceId());
            summary.put("contactId", result.contact().contactId());
            summary.put("eventType", result.eventType().name());
            if (result.stream() != null) {
                summary.put("outputType", result.stream().name());
                summary.put("appended", result.appended());
                summary.put("duplicates", result.duplicates());
            }
            return summary;
        } catch (RuntimeException e) {
            OrderedBatch.logFailure(e, fields(event, eventId, contact, body));
            throw e;
        }
    }

    private static Object[] fields(ScheduledEvent event, String eventId, ContactKey contact, byte[] body) {
        List<Object> fields = new ArrayList<>(List.of("source", SOURCE, "eventId", String.valueOf(eventId)));
        if (event != null) {
            fields.addAll(List.of("eventSource", String.valueOf(event.getSource()),
                    "detailType", String.valueOf(event.getDetailType())));
        }
        if (contact != null) {
            fields.addAll(List.of("instanceId", contact.instanceId(), "contactId", contact.contactId()));
        }
        fields.addAll(List.of("excerpt", Excerpt.of(body)));
        return fields.toArray();
    }

    private static byte[] json(JsonNode node) {
        try {
            return JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a JSON tree", e);
        }
    }
}
