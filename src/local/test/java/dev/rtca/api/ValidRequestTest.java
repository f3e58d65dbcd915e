package dev.rtca.api;

import static dev.rtca.api.ApiTestSupport.ALL_V2_TYPES;
import static dev.rtca.api.ApiTestSupport.quote;
import static dev.rtca.api.ApiTestSupport.tree;
import static dev.rtca.api.ApiTestSupport.v1Event;
import static dev.rtca.api.ApiTestSupport.v2Event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
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
import dev.rtca.segments.SegmentType;
import dev.rtca.segments.TokenCodec;
import dev.rtca.store.DynamoContactStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Valid requests of many kinds: every one is a 200 whose JSON has no null anywhere, V2 segments are unions
 * with exactly one member (one of the requested types), and the segments are the ones stored, in order.
 */
class ValidRequestTest {
    private static final Duration RETENTION = Duration.ofHours(24);
    private static final DynamoDbClient CLIENT = LocalDynamo.shared().client();
    private static final String TABLE = ApiTestSupport.freshTable("rtca-valid");
    private static final DynamoContactStore STORE = new DynamoContactStore(CLIENT, TABLE, RETENTION, Clock.systemUTC());
    private static final SegmentLister LISTER = new SegmentLister(STORE,
            new TokenCodec("valid-request-test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8), RETENTION, Clock.systemUTC()));
    private static final ListSegmentsV1Handler V1 = new ListSegmentsV1Handler(new Wiring.Reader(LISTER, Access.allowAll()));
    private static final ListSegmentsV2Handler V2 = new ListSegmentsV2Handler(new Wiring.Reader(LISTER, Access.allowAll()));

    private static final String INSTANCE = "instance-valid";
    private static final List<String> V2_SAMPLES = List.of(Samples.V2_TRANSCRIPT, Samples.V2_CATEGORIES, Samples.V2_ISSUES,
            Samples.V2_EVENT, Samples.V2_ATTACHMENTS, Samples.V2_SUMMARY, Samples.V2_EXTRACTED);
    private static final List<String> V1_SAMPLES = List.of(Samples.V1_TRANSCRIPT, Samples.V1_CATEGORIES, Samples.V1_SUMMARY,
            Samples.V1_EXTRACTED);
    private static final Set<String> V1_MEMBERS = Set.of("Transcript", "Categories", "PostContactSummary", "ExtractedInformation");

    /** CHAT, Raw and Redacted, IN_PROGRESS; Raw holds one segment of every type, Redacted nothing. */
    private static final ContactKey CHAT_ALL = contact("chat-all");
    private static final ContactKey CHAT_EMPTY = contact("chat-empty");
    private static final ContactKey CHAT_COMPLETED = contact("chat-completed");
    private static final ContactKey CHAT_FAILED_EMPTY = contact("chat-failed-empty");
    private static final ContactKey VOICE_ALL = contact("voice-all");
    private static final ContactKey VOICE_EMPTY = contact("voice-empty");
    private static final ContactKey VOICE_REDACTED = contact("voice-redacted");
    private static final ContactKey CHAT_LONG_IDS = new ContactKey("i".repeat(100), "c".repeat(256));
    private static final ContactKey VOICE_LONG_IDS = new ContactKey("\uD83D\uDE00".repeat(256), "v".repeat(256));

    static {
        STORE.open(CHAT_ALL, Channel.CHAT, Set.of(OutputType.Raw, OutputType.Redacted));
        STORE.append(CHAT_ALL, Channel.CHAT, OutputType.Raw, "all", V2_SAMPLES.stream().map(Samples::v2).toList());
        STORE.open(CHAT_EMPTY, Channel.CHAT, Set.of(OutputType.Raw));
        STORE.append(CHAT_COMPLETED, Channel.CHAT, OutputType.Raw, "c", V2_SAMPLES.stream().map(Samples::v2).toList());
        STORE.close(CHAT_COMPLETED, Channel.CHAT, ContactStatus.COMPLETED);
        STORE.open(CHAT_FAILED_EMPTY, Channel.CHAT, Set.of(OutputType.Redacted));
        STORE.close(CHAT_FAILED_EMPTY, Channel.CHAT, ContactStatus.FAILED);
        STORE.append(VOICE_ALL, Channel.VOICE, OutputType.Raw, "v", V1_SAMPLES.stream().map(Samples::v1).toList());
        STORE.close(VOICE_ALL, Channel.VOICE, ContactStatus.COMPLETED);
        STORE.open(VOICE_EMPTY, Channel.VOICE, Set.of(OutputType.Raw));
        STORE.append(VOICE_REDACTED, Channel.VOICE, OutputType.Raw, "raw", List.of(Samples.v1Transcript(1)));
        STORE.append(VOICE_REDACTED, Channel.VOICE, OutputType.Redacted, "redacted", List.of(Samples.v1Transcript(2)));
        STORE.append(CHAT_LONG_IDS, Channel.CHAT, OutputType.Raw, "long", List.of(Samples.v2Transcript(1, "CUSTOM_BOT")));
        STORE.open(VOICE_LONG_IDS, Channel.VOICE, Set.of(OutputType.Raw));
    }

    private static ContactKey contact(String id) {
        return new ContactKey(INSTANCE, id);
    }

    private static String v1Body(ContactKey key, String extra) {
        return "{\"InstanceId\":" + quote(key.instanceId()) + ",\"ContactId\":" + quote(key.contactId()) + extra + "}";
    }

    private static List<JsonNode> canonicalV2(String... samples) {
        return Stream.of(samples).map(s -> tree(Samples.v2(s).json())).toList();
    }

    private static List<JsonNode> canonicalV1(String... samples) {
        return Stream.of(samples).map(s -> tree(Samples.v1(s).json())).toList();
    }

    /** A valid request, the segments it must return and whether a NextToken must follow. */
    record Valid(RequestStreamHandler handler, APIGatewayProxyRequestEvent event,
                 Set<String> allowedMembers, List<JsonNode> segments, boolean nextToken, String status) {
    }

    static Stream<Arguments> valid() {
        List<Arguments> rows = new ArrayList<>();
        SegmentType[] types = SegmentType.values();
        for (int i = 0; i < types.length; i++) {
            rows.add(Arguments.of("V2 only " + types[i], new Valid(V2, v2Event(INSTANCE, CHAT_ALL.contactId(),
                    "{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"" + types[i] + "\"]}"),
                    Set.of(types[i].name()), canonicalV2(V2_SAMPLES.get(i)), true, "IN_PROGRESS")));
        }
        rows.add(Arguments.of("V2 every type", new Valid(V2, v2Event(INSTANCE, CHAT_ALL.contactId(),
                "{\"OutputType\":\"Raw\",\"SegmentTypes\":" + ALL_V2_TYPES + "}"), allV2(),
                canonicalV2(V2_SAMPLES.toArray(String[]::new)), true, "IN_PROGRESS")));
        rows.add(Arguments.of("V2 two types in reverse order, duplicates", new Valid(V2, v2Event(INSTANCE, CHAT_ALL.contactId(),
                "{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Event\",\"Transcript\",\"Event\"]}"), Set.of("Event", "Transcript"),
                canonicalV2(Samples.V2_TRANSCRIPT, Samples.V2_EVENT), true, "IN_PROGRESS")));
        rows.add(Arguments.of("V2 MaxResults 2 of a completed contact", new Valid(V2, v2Event(INSTANCE, CHAT_COMPLETED.contactId(),
                "{\"OutputType\":\"Raw\",\"SegmentTypes\":" + ALL_V2_TYPES + ",\"MaxResults\":2}"), allV2(),
                canonicalV2(Samples.V2_TRANSCRIPT, Samples.V2_CATEGORIES), true, "COMPLETED")));
        rows.add(Arguments.of("V2 completed contact drained", new Valid(V2, v2Event(INSTANCE, CHAT_COMPLETED.contactId(),
                "{\"OutputType\":\"Raw\",\"SegmentTypes\":" + ALL_V2_TYPES + ",\"MaxResults\":100}"), allV2(),
                canonicalV2(V2_SAMPLES.toArray(String[]::new)), false, "COMPLETED")));
        rows.add(Arguments.of("V2 empty Redacted stream, in progress", new Valid(V2, v2Event(INSTANCE, CHAT_ALL.contactId(),
                "{\"OutputType\":\"Redacted\",\"SegmentTypes\":[\"Transcript\"]}"), Set.of("Transcript"), List.of(), true, "IN_PROGRESS")));
        rows.add(Arguments.of("V2 empty contact, in progress", new Valid(V2, v2Event(INSTANCE, CHAT_EMPTY.contactId(),
                "{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\",\"Event\"],\"MaxResults\":1}"), Set.of("Transcript", "Event"),
                List.of(), true, "IN_PROGRESS")));
        rows.add(Arguments.of("V2 empty contact, failed", new Valid(V2, v2Event(INSTANCE, CHAT_FAILED_EMPTY.contactId(),
                "{\"OutputType\":\"Redacted\",\"SegmentTypes\":[\"Transcript\"]}"), Set.of("Transcript"), List.of(), false, "FAILED")));
        rows.add(Arguments.of("V2 unmodelled members and JSON nulls are ignored", new Valid(V2, v2Event(INSTANCE, CHAT_ALL.contactId(),
                "{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Issues\"],\"NextToken\":null,\"MaxResults\":null,\"Extra\":{\"a\":[1]}}"),
                Set.of("Issues"), canonicalV2(Samples.V2_ISSUES), true, "IN_PROGRESS")));
        rows.add(Arguments.of("V2 base64-encoded body", new Valid(V2, v2Event(INSTANCE, CHAT_ALL.contactId(), null)
                .withBody(Base64.getEncoder().encodeToString("{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Attachments\"]}"
                        .getBytes(StandardCharsets.UTF_8))).withIsBase64Encoded(true),
                Set.of("Attachments"), canonicalV2(Samples.V2_ATTACHMENTS), true, "IN_PROGRESS")));
        rows.add(Arguments.of("V2 longest ids", new Valid(V2, v2Event(CHAT_LONG_IDS.instanceId(), CHAT_LONG_IDS.contactId(),
                "{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"]}"), Set.of("Transcript"),
                List.of(tree(Samples.v2Transcript(1, "CUSTOM_BOT").json())), true, "IN_PROGRESS")));
        rows.add(Arguments.of("V1 longest ids", new Valid(V1, v1Event(v1Body(VOICE_LONG_IDS, ",\"MaxResults\":100")), V1_MEMBERS,
                List.of(), true, null)));

        rows.add(Arguments.of("V1 completed voice contact, every type", new Valid(V1, v1Event(v1Body(VOICE_ALL, "")), V1_MEMBERS,
                canonicalV1(V1_SAMPLES.toArray(String[]::new)), false, null)));
        rows.add(Arguments.of("V1 MaxResults 3", new Valid(V1, v1Event(v1Body(VOICE_ALL, ",\"MaxResults\":3")), V1_MEMBERS,
                canonicalV1(Samples.V1_TRANSCRIPT, Samples.V1_CATEGORIES, Samples.V1_SUMMARY), true, null)));
        rows.add(Arguments.of("V1 MaxResults 1", new Valid(V1, v1Event(v1Body(VOICE_ALL, ",\"MaxResults\":1")), V1_MEMBERS,
                canonicalV1(Samples.V1_TRANSCRIPT), true, null)));
        rows.add(Arguments.of("V1 MaxResults 100", new Valid(V1, v1Event(v1Body(VOICE_ALL, ",\"MaxResults\":100")), V1_MEMBERS,
                canonicalV1(V1_SAMPLES.toArray(String[]::new)), false, null)));
        rows.add(Arguments.of("V1 empty voice contact, in progress", new Valid(V1, v1Event(v1Body(VOICE_EMPTY, "")), V1_MEMBERS,
                List.of(), true, null)));
        rows.add(Arguments.of("V1 reads the Redacted stream", new Valid(V1, v1Event(v1Body(VOICE_REDACTED, "")), V1_MEMBERS,
                List.of(tree(Samples.v1Transcript(2).json())), true, null)));
        rows.add(Arguments.of("V1 JSON nulls and unmodelled members", new Valid(V1, v1Event(v1Body(VOICE_ALL,
                ",\"MaxResults\":null,\"NextToken\":null,\"OutputType\":\"Raw\"")), V1_MEMBERS,
                canonicalV1(V1_SAMPLES.toArray(String[]::new)), false, null)));
        rows.add(Arguments.of("V1 base64-encoded body", new Valid(V1, v1Event(null).withBody(Base64.getEncoder().encodeToString(
                v1Body(VOICE_ALL, ",\"MaxResults\":1").getBytes(StandardCharsets.UTF_8))).withIsBase64Encoded(true), V1_MEMBERS,
                canonicalV1(Samples.V1_TRANSCRIPT), true, null)));
        return rows.stream();
    }

    private static Set<String> allV2() {
        Set<String> names = new HashSet<>();
        for (SegmentType t : SegmentType.values()) {
            names.add(t.name());
        }
        return names;
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("valid")
    void validRequestIsA200WithoutNullsAndWithOneMemberPerSegment(String name, Valid row) {
        APIGatewayProxyResponseEvent response = Handlers.api(row.handler(), row.event());

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertNull(ApiTestSupport.header(response, "X-Amzn-ErrorType"));
        ApiTestSupport.assertCommonHeaders(response, row.event());
        JsonNode body = ApiTestSupport.body(response);
        assertEquals(List.of(), ApiTestSupport.nulls(body), "no JSON null anywhere");

        Set<String> allowedTop = row.handler() == V2 ? Set.of("Channel", "Status", "Segments", "NextToken") : Set.of("Segments", "NextToken");
        body.fieldNames().forEachRemaining(f -> assertTrue(allowedTop.contains(f), "unexpected member " + f));
        if (row.handler() == V2) {
            assertEquals("CHAT", body.path("Channel").asText());
            assertEquals(row.status(), body.path("Status").asText());
        }
        JsonNode segments = body.get("Segments");
        assertNotNull(segments, "Segments is required even when empty");
        assertTrue(segments.isArray());
        for (JsonNode segment : segments) {
            assertEquals(1, segment.size(), "exactly one member: " + segment);
            String member = segment.fieldNames().next();
            assertTrue(row.allowedMembers().contains(member), member + " not in " + row.allowedMembers());
            assertTrue(segment.get(member).isObject());
        }
        List<JsonNode> actual = new ArrayList<>();
        segments.forEach(actual::add);
        assertEquals(row.segments(), actual);

        JsonNode token = body.get("NextToken");
        if (row.nextToken()) {
            assertNotNull(token, "NextToken expected");
            assertTrue(token.isTextual() && !token.textValue().isBlank());
        } else {
            assertNull(token, "no NextToken once drained and finished");
        }
    }

    @Test
    void v2PagesOneByOneThroughEveryTypeAndKeepsPollingWhileInProgress() {
        List<JsonNode> seen = new ArrayList<>();
        Set<String> tokens = new HashSet<>();
        String token = null;
        for (int page = 0; page < V2_SAMPLES.size() + 2; page++) {
            String body = "{\"OutputType\":\"Raw\",\"SegmentTypes\":" + ALL_V2_TYPES + ",\"MaxResults\":1"
                    + (token == null ? "" : ",\"NextToken\":" + quote(token)) + "}";
            APIGatewayProxyResponseEvent response = Handlers.api(V2, v2Event(INSTANCE, CHAT_ALL.contactId(), body));
            assertEquals(200, response.getStatusCode(), response.getBody());
            JsonNode json = ApiTestSupport.body(response);
            assertEquals(List.of(), ApiTestSupport.nulls(json));
            json.path("Segments").forEach(seen::add);
            assertTrue(json.path("Segments").size() <= 1);
            String next = json.path("NextToken").asText(null);
            assertNotNull(next, "an IN_PROGRESS contact always gets a NextToken");
            assertNotEquals(token, next, "never the same token twice in a row");
            assertTrue(tokens.add(next));
            token = next;
        }
        assertEquals(canonicalV2(V2_SAMPLES.toArray(String[]::new)), seen);
    }

    @Test
    void v1PagesThroughACompletedContactAndStops() {
        List<JsonNode> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String body = v1Body(VOICE_ALL, ",\"MaxResults\":3" + (token == null ? "" : ",\"NextToken\":" + quote(token)));
            APIGatewayProxyResponseEvent response = Handlers.api(V1, v1Event(body));
            assertEquals(200, response.getStatusCode(), response.getBody());
            JsonNode json = ApiTestSupport.body(response);
            assertFalse(json.has("Channel"), "V1 has no Channel member");
            assertFalse(json.has("Status"), "V1 has no Status member");
            json.path("Segments").forEach(seen::add);
            token = json.path("NextToken").asText(null);
            pages++;
        } while (token != null && pages < 10);
        assertEquals(2, pages);
        assertEquals(canonicalV1(V1_SAMPLES.toArray(String[]::new)), seen);
    }

    @Test
    void canonicalPayloadsHaveNoNullsEvenWhenIngestedWithNulls() {
        // A segment ingested with explicit nulls in optional members is stored without them.
        Segment withNulls = Samples.v2("{\"Transcript\":{\"Id\":\"n1\",\"ParticipantId\":\"p\",\"ParticipantRole\":\"AGENT\","
                + "\"DisplayName\":null,\"Content\":\"hi\",\"ContentType\":null,\"Time\":{\"AbsoluteTime\":\"2024-03-14T19:39:26.715Z\"},"
                + "\"Redaction\":null,\"Sentiment\":null},\"Event\":null}");
        ContactKey key = contact("chat-nulls");
        STORE.append(key, Channel.CHAT, OutputType.Raw, "n", List.of(withNulls));
        APIGatewayProxyResponseEvent response = Handlers.api(V2, v2Event(INSTANCE, key.contactId(),
                "{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"]}"));
        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode body = ApiTestSupport.body(response);
        assertEquals(List.of(), ApiTestSupport.nulls(body));
        JsonNode transcript = body.path("Segments").get(0).path("Transcript");
        List<String> members = new ArrayList<>();
        for (Iterator<String> it = transcript.fieldNames(); it.hasNext(); ) {
            members.add(it.next());
        }
        assertEquals(List.of("Id", "ParticipantId", "ParticipantRole", "Content", "Time"), members);
    }
}
