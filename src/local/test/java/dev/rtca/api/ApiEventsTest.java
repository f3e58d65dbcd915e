package dev.rtca.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.fixtures.Access;
import dev.rtca.runtime.Wiring;
import dev.rtca.fixtures.Samples;
import dev.rtca.local.Handlers;
import dev.rtca.local.LocalDynamo;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.Segment;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.TokenCodec;
import dev.rtca.store.DynamoContactStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The sample API Gateway events in events/, as API Gateway delivers them, through the list handlers. */
class ApiEventsTest {
    private static final Duration RETENTION = Duration.ofHours(24);
    private static final String INSTANCE = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";
    private static final ContactKey VOICE = new ContactKey(INSTANCE, "a1b2c3d4-5678-90ab-cdef-EXAMPLE22222");
    private static final ContactKey CHAT = new ContactKey(INSTANCE, "a1b2c3d4-5678-90ab-cdef-EXAMPLE33333");

    private static ListSegmentsV1Handler v1;
    private static ListSegmentsV2Handler v2;
    private static List<Segment> voiceSegments;
    private static List<Segment> chatSegments;

    @BeforeAll
    static void setUp() {
        DynamoDbClient client = LocalDynamo.shared().client();
        String table = ApiTestSupport.freshTable("rtca-api-events");
        DynamoContactStore store = new DynamoContactStore(client, table, RETENTION, Clock.systemUTC());
        SegmentLister lister = new SegmentLister(store,
                new TokenCodec("api-events-test-key-0123456789abcdefgh".getBytes(StandardCharsets.UTF_8), RETENTION, Clock.systemUTC()));
        v1 = new ListSegmentsV1Handler(new Wiring.Reader(lister, Access.allowAll()));
        v2 = new ListSegmentsV2Handler(new Wiring.Reader(lister, Access.allowAll()));

        voiceSegments = List.of(Samples.v1(Samples.V1_TRANSCRIPT), Samples.v1(Samples.V1_CATEGORIES),
                Samples.v1(Samples.V1_SUMMARY), Samples.v1(Samples.V1_EXTRACTED));
        store.open(VOICE, Channel.VOICE, Set.of(OutputType.Raw));
        store.append(VOICE, Channel.VOICE, OutputType.Raw, "voice-event", voiceSegments);
        store.close(VOICE, Channel.VOICE, ContactStatus.COMPLETED);

        chatSegments = new ArrayList<>();
        for (String sample : List.of(Samples.V2_TRANSCRIPT, Samples.V2_CATEGORIES, Samples.V2_ISSUES, Samples.V2_EVENT,
                Samples.V2_ATTACHMENTS, Samples.V2_SUMMARY, Samples.V2_EXTRACTED)) {
            chatSegments.add(Samples.v2(sample));
        }
        store.open(CHAT, Channel.CHAT, Set.of(OutputType.Raw));
        store.append(CHAT, Channel.CHAT, OutputType.Raw, "chat-event", chatSegments);
        // A Redacted stream the Raw request must not see.
        store.append(CHAT, Channel.CHAT, OutputType.Redacted, "chat-redacted", List.of(Samples.v2Transcript(99, "AGENT")));
    }

    private static List<JsonNode> wire(List<Segment> segments) {
        return segments.stream().map(s -> ApiTestSupport.tree(s.json())).toList();
    }

    private static List<JsonNode> segmentsOf(JsonNode body) {
        List<JsonNode> out = new ArrayList<>();
        body.path("Segments").forEach(out::add);
        return out;
    }

    @Test
    void v1SampleEventListsTheVoiceContact() {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent("events/api-list-segments-v1.json");
        assertNotNull(event.getBody(), "the sample event was loaded");

        APIGatewayProxyResponseEvent response = Handlers.api(v1, event);

        assertEquals(200, response.getStatusCode(), response.getBody());
        ApiTestSupport.assertCommonHeaders(response, event);
        assertEquals("c6af9ac6-7b61-11e6-9a41-93e8deadbeef", ApiTestSupport.header(response, "x-amzn-RequestId"));
        JsonNode body = ApiTestSupport.body(response);
        assertEquals(wire(voiceSegments), segmentsOf(body));
        // COMPLETED and all 4 segments fit in the event's MaxResults 50: the paginator stops.
        assertNull(body.get("NextToken"));
        assertFalse(body.has("Channel"));
        assertEquals(List.of(), ApiTestSupport.nulls(body));
    }

    @Test
    void v2SampleEventListsTheChatContact() {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent("events/api-list-segments-v2.json");
        assertEquals(CHAT.contactId(), event.getPathParameters().get("ContactId"));

        APIGatewayProxyResponseEvent response = Handlers.api(v2, event);

        assertEquals(200, response.getStatusCode(), response.getBody());
        ApiTestSupport.assertCommonHeaders(response, event);
        assertEquals("d2f4e6a8-7b61-11e6-9a41-93e8deadbeef", ApiTestSupport.header(response, "x-amzn-RequestId"));
        JsonNode body = ApiTestSupport.body(response);
        assertEquals("CHAT", body.path("Channel").asText());
        assertEquals("IN_PROGRESS", body.path("Status").asText());
        assertEquals(wire(chatSegments), segmentsOf(body));
        // Still IN_PROGRESS: the client must poll again.
        assertNotNull(body.get("NextToken"));
        assertEquals(List.of(), ApiTestSupport.nulls(body));
    }

    @Test
    void eachSampleEventIsRejectedByTheOtherOperation() {
        APIGatewayProxyRequestEvent v1Event = EventLoader.loadApiGatewayRestEvent("events/api-list-segments-v1.json");
        APIGatewayProxyRequestEvent v2Event = EventLoader.loadApiGatewayRestEvent("events/api-list-segments-v2.json");
        // The V1 event has no path parameters; the V2 event's body has no InstanceId.
        ApiTestSupport.assertError(Handlers.api(v2, v1Event), v1Event, 400, "InvalidRequestException");
        ApiTestSupport.assertError(Handlers.api(v1, v2Event), v2Event, 400, "InvalidRequestException");
    }
}
