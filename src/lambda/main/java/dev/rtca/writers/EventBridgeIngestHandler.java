package dev.rtca.writers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.ingest.DeliveryKeys;
import dev.rtca.ingest.Envelope;
import dev.rtca.ingest.IngestResult;
import dev.rtca.ingest.Ingestor;
import dev.rtca.ingest.PoisonEventException;
import dev.rtca.model.Json;
import dev.rtca.runtime.Config;
import dev.rtca.runtime.Events;
import dev.rtca.runtime.Priming;
import dev.rtca.runtime.Wiring;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Custom analysis results published to EventBridge (source {@code rtca.analysis}, detail-type
 * {@code Contact Analysis Segments}) → the ingest core. The event's {@code detail} is one envelope; its
 * idempotency key is the envelope's {@code EventId} when it has one, else a digest of the detail ({@link DeliveryKeys}:
 * a {@code PutEvents} retry has a new event {@code id} and the same detail).
 *
 * <p>The event is bound by {@link Events}, like every function's, but to {@link Event} (the members this function
 * reads) rather than to the events library's {@code ScheduledEvent}, its type for EventBridge events:
 * <ul>
 *   <li>{@code ScheduledEvent.time} is a Joda-Time {@code DateTime}. Jackson resolves every method signature of a
 *       type it binds, so binding {@code ScheduledEvent} at all needs Joda-Time in the artifact: a third of a
 *       megabyte more (6,167,643 bytes measured against 5,820,895) for a member this function never reads;</li>
 *   <li>its {@code detail} is a {@code Map<String, Object>}, which would be turned back into a tree for the envelope
 *       reader; {@link Event#detail} is the tree the event's text was parsed into (duplicate members anywhere in the
 *       event, detail included, are rejected, as are the limits but the transport's string length), and its text is
 *       read again under the JSON policy, string limit included, as any producer's envelope is.</li>
 * </ul>
 *
 * <p>Lambda invokes this function asynchronously: any failure, poison or transient, is logged and thrown, so
 * Lambda retries it and then hands it to the function's on-failure destination. On success it returns a summary
 * of what was applied (contact, event type, segments appended and already there).
 */
public final class EventBridgeIngestHandler implements RequestStreamHandler {
    static final String SOURCE = "eventbridge";

    private final ContactStore store;
    private final Ingestor ingestor;

    /**
     * The EventBridge event's members this function reads.
     *
     * @param detail the envelope a producer put on the bus, as parsed; null (or JSON null) when the event has none
     */
    public record Event(String id, String source, @JsonProperty("detail-type") String detailType, JsonNode detail) {
    }

    /** What one applied event came to (the on-success destination's record): the segment counts for SEGMENTS only. */
    public record Summary(String eventId, String instanceId, String contactId, String eventType,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String outputType,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Integer appended,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Integer duplicates) {
        static Summary of(String eventId, IngestResult result) {
            boolean segments = result.stream() != null;
            return new Summary(eventId, result.contact().instanceId(), result.contact().contactId(), result.eventType().name(),
                    segments ? result.stream().name() : null, segments ? result.appended() : null,
                    segments ? result.duplicates() : null);
        }
    }

    /** Lambda's constructor: configured from the function's environment. */
    public EventBridgeIngestHandler() {
        this(Config.fromEnvironment(System.getenv()));
        // SnapStart: the read-only half of the ingest path before the snapshot, so a restored function has it loaded.
        Priming.beforeSnapshot(() -> WriterPriming.run(store));
    }

    /** The local runtime's constructor (it configures every function itself). */
    public EventBridgeIngestHandler(Config config) {
        this(Wiring.store(config));
    }

    public EventBridgeIngestHandler(ContactStore store) {
        this.store = store;
        this.ingestor = new Ingestor(store);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        Events.write(output, handle(Events.read(input, Event.class), context));
    }

    /** Applies the event's envelope; throws when it cannot be applied, poison or transient. */
    public Summary handle(Event event, Context context) {
        String eventId = event.id();
        JsonNode detail = event.detail() == null || event.detail().isNull() ? null : event.detail();
        byte[] body = detail == null ? null : bytes(detail);
        ContactKey contact = Envelope.contactOf(detail);
        String deliveryKey = DeliveryKeys.of(SOURCE, body);
        IngestResult result;
        try {
            if (body == null) {
                throw new PoisonEventException("the event has no detail (the envelope)", "detail", null);
            }
            // Its text again, under the JSON policy: the event was bound under the transport's longer string limit.
            result = ingestor.apply(Envelope.parse(body), deliveryKey);
        } catch (RuntimeException e) {
            WriterLog.failure(e, WriterLog.record(SOURCE, "eventId", eventId, deliveryKey, contact, body,
                    "eventSource", String.valueOf(event.source()), "detailType", String.valueOf(event.detailType())));
            throw e;
        }
        WriterLog.applied(result);
        return Summary.of(eventId, result);
    }

    private static byte[] bytes(JsonNode detail) {
        try {
            return Json.mapper().writeValueAsBytes(detail);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
