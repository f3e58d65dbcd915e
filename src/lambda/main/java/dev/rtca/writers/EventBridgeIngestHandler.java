package dev.rtca.writers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.annotation.JsonInclude;
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
 * idempotency key is the envelope's {@code EventId} when it has one, else the EventBridge event {@code id}.
 *
 * <p>The event is bound to the events library's {@link ScheduledEvent} (the type for any EventBridge event), whose
 * {@code detail} is a {@code Map<String, Object>}. Nothing the JSON policy needs is lost on the way: the whole event,
 * detail included, is parsed by {@link Events} under that policy (duplicate members anywhere, the limits), and the
 * map holds what a tree of the same text would (Integer, Long or BigInteger for whole numbers, Double for the others,
 * members in document order), so the detail's tree and the envelope read from it are those of the producer's text.
 *
 * <p>Lambda invokes this function asynchronously: any failure, poison or transient, is logged and thrown, so
 * Lambda retries it and then hands it to the function's on-failure destination. On success it returns a summary
 * of what was applied (contact, event type, segments appended and already there).
 */
public final class EventBridgeIngestHandler implements RequestStreamHandler {
    static final String SOURCE = "eventbridge";

    private final ContactStore store;
    private final Ingestor ingestor;

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
        Events.write(output, handle(Events.read(input, ScheduledEvent.class), context));
    }

    /** Applies the event's envelope; throws when it cannot be applied, poison or transient. */
    public Summary handle(ScheduledEvent event, Context context) {
        String eventId = event.getId();
        JsonNode detail = event.getDetail() == null ? null : Json.mapper().valueToTree(event.getDetail());
        byte[] body = detail == null ? null : bytes(detail);
        ContactKey contact = Envelope.contactOf(detail);
        IngestResult result;
        try {
            if (body == null) {
                throw new PoisonEventException("the event has no detail (the envelope)", null);
            }
            result = ingestor.apply(Envelope.parse(detail), DeliveryKeys.of(SOURCE, eventId, body));
        } catch (RuntimeException e) {
            WriterLog.failure(e, WriterLog.record(SOURCE, "eventId", eventId, contact, body,
                    "eventSource", String.valueOf(event.getSource()), "detailType", String.valueOf(event.getDetailType())));
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
