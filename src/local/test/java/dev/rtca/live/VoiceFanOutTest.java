package dev.rtca.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.fixtures.Access;
import dev.rtca.fixtures.Envelopes;
import dev.rtca.fixtures.MemoryPushStore;
import dev.rtca.fixtures.MemoryStore;
import dev.rtca.push.Pusher;
import dev.rtca.runtime.Wiring;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.TokenCodec;
import dev.rtca.segments.Utterance;
import dev.rtca.fixtures.Samples;
import dev.rtca.store.DynamoContactStore;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The fan-out function on a batch that holds a voice transcript's Utterances and the Transcript itself: per contact, the
 * partials first, then the segments, whatever the records' order in the batch; a failure of either reports the contact's
 * first record, and does not hold the other back. Its keys are the store's ({@code U#…} an Utterance, {@code S#…} a
 * segment), the stores in memory.
 */
class VoiceFanOutTest {
    private static final String PK = "C#voice-fan-out";
    private static final String UTTERANCE_SK = "U#Raw#7#tr-both#=u-3"; // the store's key of Utterance u-3 of tr-both
    private static final String SEGMENT_SK = "S#Raw#000000000000";

    private final MemoryStore contacts = new MemoryStore();
    private final MemoryPushStore store = new MemoryPushStore(contacts);
    private final TokenCodec tokens = new TokenCodec("voice-fan-out-test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8),
            Duration.ofHours(1), Clock.systemUTC());
    private final ContactKey contact = Envelopes.newContact();
    private final List<String> frames = new CopyOnWriteArrayList<>();

    private FanOutHandler handler(Pusher.Utterances utterances) {
        Pusher pusher = new Pusher(new SegmentLister(contacts, tokens), tokens, Access.allowAll(), store, (id, frame) -> {
            JsonNode json = Envelopes.parse(frame);
            frames.add(json.path("Type").asText() + (json.has("Segments")
                    ? json.path("Segments").findValuesAsText("Replaces").toString() : ""));
            return true;
        }, utterances, Clock.systemUTC(), Pusher.Pause.SLEEP);
        contacts.open(contact, Channel.VOICE, Set.of(OutputType.Raw));
        pusher.connected("partials", "arn:aws:iam::123456789012:user/supervisor");
        pusher.subscribe("partials", ("{\"action\":\"subscribe\",\"Operation\":\"ListRealtimeContactAnalysisSegments\","
                + "\"InstanceId\":\"" + contact.instanceId() + "\",\"ContactId\":\"" + contact.contactId()
                + "\",\"Partials\":true}").getBytes(StandardCharsets.UTF_8), java.time.Instant.now().plusSeconds(60));
        assertEquals(List.of("Subscribed"), frames);
        frames.clear();
        return new FanOutHandler(new Wiring.Live(pusher, pk -> pk.equals(PK) ? Optional.of(contact) : Optional.empty(),
                DynamoContactStore::streamsChangedBy, DynamoContactStore::openTranscriptChangedBy));
    }

    /** The Utterance kept and its Transcript appended, as a writer does with one event holding both. */
    private void spoken() {
        contacts.keep(contact, Channel.VOICE, OutputType.Raw, List.of(new Utterance("u-3", "tr-both", "CUSTOMER", "CUSTOMER",
                "thank", 3000, 3300)));
        contacts.append(contact, Channel.VOICE, OutputType.Raw, "both", List.of(Samples.v1(
                "{\"Transcript\":{\"Id\":\"tr-both\",\"ParticipantId\":\"CUSTOMER\",\"ParticipantRole\":\"CUSTOMER\","
                        + "\"Content\":\"Thank you.\",\"BeginOffsetMillis\":3000,\"EndOffsetMillis\":3900}}")));
    }

    private static DynamodbEvent batch(String... sortKeys) {
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        for (int i = 0; i < sortKeys.length; i++) {
            StreamRecord change = new StreamRecord();
            change.setKeys(Map.of("pk", new AttributeValue(PK), "sk", new AttributeValue(sortKeys[i])));
            change.setSequenceNumber("seq-" + i);
            DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
            record.setDynamodb(change);
            records.add(record);
        }
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(records);
        return event;
    }

    private static Context context() {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getRemainingTimeInMillis" -> 60_000;
                    case "getAwsRequestId" -> "request-1";
                    default -> null;
                });
    }

    @Test
    void aBatchWithAnUtteranceAndItsTranscriptSendsThePartialThenTheFinalWhateverTheirOrderInIt() {
        FanOutHandler handler = handler(contacts::utterances);
        spoken();
        StreamsEventResponse response = handler.handle(batch(SEGMENT_SK, UTTERANCE_SK), context());
        assertEquals(List.of(), response.getBatchItemFailures());
        assertEquals(List.of("Partial", "Segments[tr-both]"), frames);
    }

    @Test
    void theSegmentsComeEvenWhenThePartialsFailAndTheContactIsReportedFromItsFirstRecord() {
        FanOutHandler handler = handler((key, transcript) -> {
            throw new IllegalStateException("the Utterances could not be read");
        });
        spoken();
        StreamsEventResponse response = handler.handle(batch(SEGMENT_SK, UTTERANCE_SK), context());
        assertEquals(List.of("seq-0"), response.getBatchItemFailures().stream()
                .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList());
        assertEquals(List.of("Segments[tr-both]"), frames);
    }
}
