package dev.rtca.live;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.rtca.runtime.Config;
import dev.rtca.runtime.Events;
import dev.rtca.runtime.Log;
import dev.rtca.runtime.Wiring;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OpenTranscript;
import dev.rtca.segments.OutputType;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The segments table's stream (new segments, contact changes, kept Utterances) → push delivery: each contact a batch
 * touches is handled once, in the order the batch names them: first the partials of the open transcripts whose
 * Utterances changed, then the fan-out of its streams (so a batch that holds Utterances and their Transcript sends the
 * partial, then the final). A contact whose partials or fan-out fail is reported from its first record
 * ({@code ReportBatchItemFailures}), so Lambda retries from there; what was already sent comes again, and subscribers
 * drop what they hold.
 */
public final class FanOutHandler implements RequestStreamHandler {
    private final Wiring.Live live;

    /** Lambda's constructor: configured from the function's environment. */
    public FanOutHandler() {
        this(Config.fromEnvironment(System.getenv()));
    }

    /** The local runtime's constructor (it configures every function itself). */
    public FanOutHandler(Config config) {
        this(Wiring.live(config));
    }

    public FanOutHandler(Wiring.Live live) {
        this.live = live;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        Events.write(output, handle(Events.read(input, DynamodbEvent.class), context));
    }

    /** Fans out each contact the batch touches; reports the first record of the first contact that failed. */
    public StreamsEventResponse handle(DynamodbEvent event, Context context) {
        Map<String, String> firstRecordOfContact = new LinkedHashMap<>(); // partition key -> first sequence number
        Map<String, Set<OutputType>> streams = new HashMap<>(); // partition key -> the streams that changed
        Map<String, Set<OpenTranscript>> transcripts = new HashMap<>(); // partition key -> the open transcripts that changed
        for (DynamodbEvent.DynamodbStreamRecord record : Objects.requireNonNullElse(event.getRecords(),
                List.<DynamodbEvent.DynamodbStreamRecord>of())) {
            StreamRecord change = Objects.requireNonNullElseGet(record.getDynamodb(), StreamRecord::new);
            Map<String, AttributeValue> keys = Objects.requireNonNullElse(change.getKeys(), Map.of());
            String pk = text(keys.get("pk"));
            String sk = text(keys.get("sk"));
            Set<OutputType> changed = live.streamsChangedBy().apply(sk);
            Optional<OpenTranscript> spoken = live.openTranscriptChangedBy().apply(sk);
            if (pk.startsWith("C#") && (!changed.isEmpty() || spoken.isPresent())) {
                firstRecordOfContact.putIfAbsent(pk, Objects.requireNonNullElse(change.getSequenceNumber(), ""));
                streams.computeIfAbsent(pk, k -> EnumSet.noneOf(OutputType.class)).addAll(changed);
                spoken.ifPresent(t -> transcripts.computeIfAbsent(pk, k -> new LinkedHashSet<>()).add(t));
            }
        }
        // A fan-out that cannot finish in the function's time (a stream's lease held elsewhere, a slow send) is reported
        // failed, with time left to say so; Lambda retries it.
        Instant deadline = Wiring.liveDeadline(context);
        String failedFrom = null;
        for (Map.Entry<String, String> contact : firstRecordOfContact.entrySet()) {
            String pk = contact.getKey();
            Optional<ContactKey> key;
            try {
                key = live.contactOf().apply(pk);
            } catch (RuntimeException e) {
                Log.error("fan-out failed", e, "partitionKey", pk);
                failedFrom = failedFrom == null ? contact.getValue() : failedFrom;
                continue;
            }
            if (key.isEmpty()) {
                continue;
            }
            // The partials first, then the segments: a partial that comes after its final is stale to the client. A
            // failure of the partials does not hold the segments back; either one reports the contact failed.
            if (transcripts.containsKey(pk)) {
                try {
                    live.pusher().partialsChanged(key.get(), transcripts.get(pk), deadline);
                } catch (RuntimeException e) {
                    Log.error("partials failed", e, "partitionKey", pk);
                    failedFrom = failedFrom == null ? contact.getValue() : failedFrom;
                }
            }
            if (!streams.get(pk).isEmpty()) {
                try {
                    live.pusher().fanOut(key.get(), streams.get(pk), deadline);
                } catch (RuntimeException e) {
                    Log.error("fan-out failed", e, "partitionKey", pk);
                    failedFrom = failedFrom == null ? contact.getValue() : failedFrom;
                }
            }
        }
        return new StreamsEventResponse(failedFrom == null ? List.of() : List.of(new StreamsEventResponse.BatchItemFailure(failedFrom)));
    }

    /** A key attribute's string value; "" when it has none. */
    private static String text(AttributeValue value) {
        return value == null || value.getS() == null ? "" : value.getS();
    }
}
