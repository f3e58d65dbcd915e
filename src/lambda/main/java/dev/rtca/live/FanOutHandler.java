package dev.rtca.live;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.model.Json;
import dev.rtca.runtime.Config;
import dev.rtca.runtime.Log;
import dev.rtca.runtime.Wiring;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The segments table's stream (new segments, contact changes) → push delivery: each contact a batch touches is
 * fanned out once, in the order the batch names them. A contact whose fan-out fails is reported from its first
 * record ({@code ReportBatchItemFailures}), so Lambda retries from there; what was already sent comes again, and
 * subscribers drop what they hold.
 */
public final class FanOutHandler implements RequestStreamHandler {
    private final Wiring.Live live;

    /** Lambda's constructor: configured from the function's environment. */
    public FanOutHandler() {
        this(Config.fromEnvironment(System.getenv()));
    }

    public FanOutHandler(Config config) {
        this(Wiring.live(config));
    }

    private FanOutHandler(Wiring.Live live) {
        this.live = live;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Map<String, String> firstRecordOfContact = new LinkedHashMap<>(); // partition key -> first sequence number
        Map<String, Set<OutputType>> streams = new HashMap<>(); // partition key -> the streams that changed
        for (JsonNode record : Json.tree(input).path("Records")) {
            JsonNode keys = record.path("dynamodb").path("Keys");
            String pk = keys.path("pk").path("S").asText("");
            String sk = keys.path("sk").path("S").asText("");
            Set<OutputType> changed = live.streamsChangedBy().apply(sk);
            if (pk.startsWith("C#") && !changed.isEmpty()) {
                firstRecordOfContact.putIfAbsent(pk, record.path("dynamodb").path("SequenceNumber").asText(""));
                streams.computeIfAbsent(pk, k -> EnumSet.noneOf(OutputType.class)).addAll(changed);
            }
        }
        // A fan-out that cannot finish in the function's time (a stream's lease held elsewhere, a slow send) is reported
        // failed, with time left to say so; Lambda retries it.
        Instant deadline = Wiring.liveDeadline(context);
        String failedFrom = null;
        for (Map.Entry<String, String> contact : firstRecordOfContact.entrySet()) {
            try {
                Optional<ContactKey> key = live.contactOf().apply(contact.getKey());
                key.ifPresent(k -> live.pusher().fanOut(k, streams.get(contact.getKey()), deadline));
            } catch (RuntimeException e) {
                Log.error("fan-out failed", e, "partitionKey", contact.getKey());
                failedFrom = failedFrom == null ? contact.getValue() : failedFrom;
            }
        }
        try (JsonGenerator json = Json.FACTORY.createGenerator(output)) {
            json.writeStartObject();
            json.writeArrayFieldStart("batchItemFailures");
            if (failedFrom != null) {
                json.writeStartObject();
                json.writeStringField("itemIdentifier", failedFrom);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }
}
