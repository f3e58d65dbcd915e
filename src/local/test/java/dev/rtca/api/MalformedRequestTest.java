package dev.rtca.api;

import static dev.rtca.api.ApiTestSupport.ALL_V2_TYPES;
import static dev.rtca.api.ApiTestSupport.assertError;
import static dev.rtca.api.ApiTestSupport.quote;
import static dev.rtca.api.ApiTestSupport.v1Event;
import static dev.rtca.api.ApiTestSupport.v2Event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.rtca.fixtures.Bytes;
import dev.rtca.fixtures.Access;
import dev.rtca.runtime.Wiring;
import dev.rtca.fixtures.Samples;
import dev.rtca.local.Handlers;
import dev.rtca.local.LocalDynamo;
import dev.rtca.local.PolicyProxy;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.Operation;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.SegmentType;
import dev.rtca.segments.TokenCodec;
import dev.rtca.store.DynamoContactStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Malformed requests to both list operations, through the real handlers over DynamoDB Local: every one is
 * the modelled error in the restJson1 error format, with a Message naming what is wrong. The handlers reach
 * DynamoDB through the readers' policy (GetItem and Query only), so none of them can write anything.
 */
class MalformedRequestTest {
    private static final Duration RETENTION = Duration.ofHours(24);
    private static final byte[] KEY = "malformed-request-test-key-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_KEY = "another-deployment-key-9876543210-xyz".getBytes(StandardCharsets.UTF_8);

    private static final DynamoDbClient CLIENT = LocalDynamo.shared().client();
    private static final String TABLE = ApiTestSupport.freshTable("rtca-malformed");
    private static final DynamoContactStore STORE = new DynamoContactStore(CLIENT, TABLE, RETENTION, Clock.systemUTC());
    private static final TokenCodec CODEC = new TokenCodec(KEY, RETENTION, Clock.systemUTC());
    /** The readers' IAM policy in template.yaml: a write would be refused, and it would show in {@code used()}. */
    private static final PolicyProxy READ_ONLY = PolicyProxy.start("ListSegmentsFunction",
            Set.of("dynamodb:GetItem", "dynamodb:Query"), LocalDynamo.shared().endpoint());
    private static final SegmentLister LISTER = new SegmentLister(new DynamoContactStore(
            LocalDynamo.client(READ_ONLY.endpoint()), TABLE, RETENTION, Clock.systemUTC()), CODEC);
    private static final ListSegmentsV1Handler V1 = new ListSegmentsV1Handler(new Wiring.Reader(LISTER, Access.allowAll()));
    private static final ListSegmentsV2Handler V2 = new ListSegmentsV2Handler(new Wiring.Reader(LISTER, Access.allowAll()));

    private static final String INSTANCE = "instance-malformed";
    private static final ContactKey VOICE = new ContactKey(INSTANCE, "voice-contact");
    private static final ContactKey CHAT = new ContactKey(INSTANCE, "chat-contact-raw-only");
    private static final ContactKey CHAT_BOTH = new ContactKey(INSTANCE, "chat-contact-raw-and-redacted");
    private static final Set<SegmentType> ALL = EnumSet.allOf(SegmentType.class);

    private static final String V1_IDS = "\"InstanceId\":" + quote(VOICE.instanceId()) + ",\"ContactId\":" + quote(VOICE.contactId());
    private static final String V2_REQUIRED = "\"OutputType\":\"Raw\",\"SegmentTypes\":" + ALL_V2_TYPES;

    /** Real tokens, minted by a first page of each operation. */
    private static final String V1_TOKEN;
    private static final String V2_TOKEN;

    static {
        STORE.open(VOICE, Channel.VOICE, Set.of(OutputType.Raw));
        STORE.append(VOICE, Channel.VOICE, OutputType.Raw, "voice-1",
                List.of(Samples.v1Transcript(1), Samples.v1Transcript(2), Samples.v1Transcript(3)));
        STORE.open(CHAT, Channel.CHAT, Set.of(OutputType.Raw));
        STORE.append(CHAT, Channel.CHAT, OutputType.Raw, "chat-1",
                List.of(Samples.v2Transcript(1, "AGENT"), Samples.v2Transcript(2, "CUSTOMER"), Samples.v2Event(3)));
        STORE.open(CHAT_BOTH, Channel.CHAT, Set.of(OutputType.Raw, OutputType.Redacted));
        STORE.close(CHAT_BOTH, Channel.CHAT, ContactStatus.COMPLETED);

        APIGatewayProxyResponseEvent v1 = Handlers.api(V1, v1Event("{" + V1_IDS + ",\"MaxResults\":1}"));
        APIGatewayProxyResponseEvent v2 = Handlers.api(V2, v2Event(CHAT.instanceId(), CHAT.contactId(),
                "{" + V2_REQUIRED + ",\"MaxResults\":1}"));
        assertEquals(200, v1.getStatusCode(), v1.getBody());
        assertEquals(200, v2.getStatusCode(), v2.getBody());
        V1_TOKEN = ApiTestSupport.body(v1).path("NextToken").asText(null);
        V2_TOKEN = ApiTestSupport.body(v2).path("NextToken").asText(null);
        assertNotNull(V1_TOKEN);
        assertNotNull(V2_TOKEN);
    }

    /** One malformed request and the error it must produce. */
    record Row(RequestStreamHandler handler,
               APIGatewayProxyRequestEvent event, int status, String errorType, String mentions) {
    }

    private static final List<Arguments> ROWS = new ArrayList<>();

    private static void bad(String name, RequestStreamHandler handler,
                            APIGatewayProxyRequestEvent event, int status, String errorType, String mentions) {
        ROWS.add(Arguments.of(name, new Row(handler, event, status, errorType, mentions)));
    }

    /** A V1 request that must be an InvalidRequestException whose message names {@code mentions}. */
    private static void v1(String name, String body, String mentions) {
        bad("V1 " + name, V1, v1Event(body), 400, "InvalidRequestException", mentions);
    }

    /** A V2 request on the chat contact (Raw only) that must be an InvalidRequestException. */
    private static void v2(String name, String body, String mentions) {
        bad("V2 " + name, V2, v2Event(CHAT.instanceId(), CHAT.contactId(), body), 400, "InvalidRequestException", mentions);
    }

    private static APIGatewayProxyRequestEvent base64(APIGatewayProxyRequestEvent event, String body) {
        return event.withBody(body).withIsBase64Encoded(true);
    }

    /** A body of text and raw bytes, base64-encoded as API Gateway passes a binary media type's body. */
    private static String bytes(Object... parts) {
        return Base64.getEncoder().encodeToString(Bytes.of(parts));
    }

    private static String v1WithToken(String token) {
        return "{" + V1_IDS + ",\"NextToken\":" + quote(token) + "}";
    }

    private static String v2WithToken(String token) {
        return "{" + V2_REQUIRED + ",\"NextToken\":" + quote(token) + "}";
    }

    private static String flipChar(String token, int index) {
        char c = token.charAt(index);
        char replacement = c == 'A' ? 'B' : 'A';
        return token.substring(0, index) + replacement + token.substring(index + 1);
    }

    /** The same token with its last character's unused low bits changed: a different string of the same bytes. */
    private static String lowBitsVariant(String token) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(token.charAt(token.length() - 1));
        return token.substring(0, token.length() - 1) + alphabet.charAt(last ^ 1);
    }

    private static String nested(int depth) {
        return "{\"InstanceId\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
    }

    static Stream<Arguments> malformed() {
        if (!ROWS.isEmpty()) {
            return ROWS.stream();
        }
        TokenCodec otherKey = new TokenCodec(OTHER_KEY, RETENTION, Clock.systemUTC());
        TokenCodec past = new TokenCodec(KEY, RETENTION,
                Clock.fixed(Instant.now().minus(RETENTION).minusSeconds(60), ZoneOffset.UTC));
        ContactKey otherContact = new ContactKey(INSTANCE, "some-other-contact");
        Set<SegmentType> v2Types = ALL;

        // ---- V1: body shape
        v1("malformed JSON", "{\"InstanceId\":", "JSON");
        v1("unterminated string", "{\"InstanceId\":\"abc}", "JSON");
        v1("single quotes", "{'InstanceId':'a','ContactId':'b'}", "JSON");
        v1("trailing garbage after the object", "{" + V1_IDS + "} trailing", "JSON");
        v1("two concatenated objects", "{" + V1_IDS + "}{\"MaxResults\":1}", "JSON");
        v1("body is an array", "[" + "{" + V1_IDS + "}]", "object");
        v1("body is a string", "\"" + VOICE.contactId() + "\"", "object");
        v1("body is a number", "42", "object");
        v1("body is JSON null", "null", "object");
        v1("body is true", "true", "object");
        v1("nesting deeper than any model", nested(200), "nesting deeper than 64 levels at /InstanceId/0/0");
        v1("nested 1,000 deep inside an unknown member", "{" + V1_IDS + ",\"Extra\":" + "[".repeat(1000) + "]".repeat(1000) + "}",
                "The request body is refused: a limit was exceeded: nesting deeper than 64 levels at /Extra/0/0");
        v1("duplicate InstanceId", "{" + V1_IDS + ",\"InstanceId\":\"other\"}", "duplicate member 'InstanceId'");
        // ---- V1: required members
        v1("no body", null, "InstanceId");
        v1("empty object", "{}", "InstanceId");
        v1("missing ContactId", "{\"InstanceId\":" + quote(VOICE.instanceId()) + "}", "ContactId");
        v1("missing InstanceId", "{\"ContactId\":" + quote(VOICE.contactId()) + "}", "InstanceId");
        v1("InstanceId JSON null", "{\"InstanceId\":null,\"ContactId\":" + quote(VOICE.contactId()) + "}", "InstanceId");
        // ---- V1: types
        v1("InstanceId a number", "{\"InstanceId\":12345,\"ContactId\":" + quote(VOICE.contactId()) + "}", "InstanceId");
        v1("ContactId an object", "{\"InstanceId\":" + quote(VOICE.instanceId()) + ",\"ContactId\":{\"Id\":\"x\"}}", "ContactId");
        v1("ContactId a list", "{\"InstanceId\":" + quote(VOICE.instanceId()) + ",\"ContactId\":[\"voice-contact\"]}", "ContactId");
        v1("MaxResults a string", "{" + V1_IDS + ",\"MaxResults\":\"10\"}", "MaxResults");
        v1("MaxResults a float", "{" + V1_IDS + ",\"MaxResults\":1.5}", "MaxResults");
        v1("MaxResults a boolean", "{" + V1_IDS + ",\"MaxResults\":true}", "MaxResults");
        v1("MaxResults huge", "{" + V1_IDS + ",\"MaxResults\":99999999999999999999}", "MaxResults");
        v1("MaxResults 2^31", "{" + V1_IDS + ",\"MaxResults\":2147483648}", "MaxResults");
        v1("MaxResults an exponent", "{" + V1_IDS + ",\"MaxResults\":1e400}", "MaxResults");
        v1("MaxResults of 5,000 digits", "{" + V1_IDS + ",\"MaxResults\":" + "9".repeat(5_000) + "}",
                "a number longer than 100 characters at /MaxResults");
        v1("NextToken a number", "{" + V1_IDS + ",\"NextToken\":12345}", "NextToken");
        v1("NextToken an object", "{" + V1_IDS + ",\"NextToken\":{\"token\":\"x\"}}", "NextToken");
        // ---- V1: ranges and lengths
        v1("MaxResults 0", "{" + V1_IDS + ",\"MaxResults\":0}", "MaxResults");
        v1("MaxResults 101", "{" + V1_IDS + ",\"MaxResults\":101}", "MaxResults");
        v1("MaxResults -1", "{" + V1_IDS + ",\"MaxResults\":-1}", "MaxResults");
        v1("InstanceId empty", "{\"InstanceId\":\"\",\"ContactId\":" + quote(VOICE.contactId()) + "}", "InstanceId");
        v1("InstanceId blank", "{\"InstanceId\":\"   \",\"ContactId\":" + quote(VOICE.contactId()) + "}", "InstanceId");
        v1("InstanceId tab and newline", "{\"InstanceId\":\"\\t\\n\",\"ContactId\":" + quote(VOICE.contactId()) + "}", "InstanceId");
        v1("ContactId blank", "{\"InstanceId\":" + quote(VOICE.instanceId()) + ",\"ContactId\":\" \"}", "ContactId");
        v1("ContactId em spaces", "{\"InstanceId\":" + quote(VOICE.instanceId()) + ",\"ContactId\":\"\u2003\u2003\"}", "ContactId");
        v1("InstanceId 257 characters", "{\"InstanceId\":" + quote("i".repeat(257)) + ",\"ContactId\":" + quote(VOICE.contactId()) + "}", "InstanceId");
        v1("ContactId 257 characters", "{\"InstanceId\":" + quote(VOICE.instanceId()) + ",\"ContactId\":" + quote("c".repeat(257)) + "}", "ContactId");
        v1("ContactId 257 emoji (code points)", "{\"InstanceId\":" + quote(VOICE.instanceId()) + ",\"ContactId\":"
                + quote("\uD83D\uDE00".repeat(257)) + "}", "ContactId");
        v1("NextToken empty", v1WithToken(""), "NextToken");
        v1("NextToken blank", v1WithToken("  \t "), "NextToken");
        v1("NextToken 131071 characters", v1WithToken("A".repeat(131_071)), "NextToken");
        // ---- V1: strings that are not Unicode (a JSON escape can write a lone surrogate; no store can hold one)
        v1("ContactId a lone low surrogate", "{\"InstanceId\":" + quote(INSTANCE) + ",\"ContactId\":\"\\udc00\"}",
                "ContactId must be well-formed Unicode, has a lone surrogate (U+DC00)");
        v1("ContactId a high surrogate before a letter", "{\"InstanceId\":" + quote(INSTANCE) + ",\"ContactId\":\"\\ud800x\"}",
                "ContactId must be well-formed Unicode, has a lone surrogate (U+D800)");
        v1("InstanceId ending in half a pair", "{\"InstanceId\":\"i\\ud83d\",\"ContactId\":" + quote(VOICE.contactId()) + "}",
                "InstanceId must be well-formed Unicode");
        v1("NextToken a lone surrogate", "{" + V1_IDS + ",\"NextToken\":\"\\udfff\"}", "NextToken must be well-formed Unicode");
        // ---- V1: encodings
        bad("V1 base64 flag with a body that is not base64", V1, base64(v1Event(null), "{not base64!!}"),
                400, "InvalidRequestException", "base64");
        bad("V1 base64 of something that is not JSON", V1, base64(v1Event(null),
                Base64.getEncoder().encodeToString("<xml/>".getBytes(StandardCharsets.UTF_8))), 400, "InvalidRequestException", "JSON");
        // the body's bytes (base64: template.yaml's BinaryMediaTypes) are UTF-8 or refused where they break
        bad("V1 an overlong '/' in ContactId", V1, base64(v1Event(null), bytes("{\"InstanceId\":\"i\",\"ContactId\":\"a",
                0xc0, 0xaf, "\"}")), 400, "InvalidRequestException", "The request body is refused: not valid UTF-8 at byte 33.");
        bad("V1 a surrogate encoded in UTF-8 in ContactId", V1, base64(v1Event(null), bytes("{\"InstanceId\":\"i\",\"ContactId\":\"",
                0xed, 0xa0, 0x80, "\"}")), 400, "InvalidRequestException", "not valid UTF-8 at byte 32");
        // ---- V1: tokens
        v1("NextToken garbage", v1WithToken("fdsfsadgdfsgdfgfdhfghfghfgjmbnmnm"), "NextToken");
        v1("NextToken tampered", v1WithToken(flipChar(V1_TOKEN, V1_TOKEN.length() / 2)), "NextToken");
        v1("NextToken re-encoded with other unused bits", v1WithToken(lowBitsVariant(V1_TOKEN)), "NextToken");
        v1("NextToken with padding added", v1WithToken(V1_TOKEN + "="), "NextToken");
        v1("NextToken truncated", v1WithToken(V1_TOKEN.substring(0, V1_TOKEN.length() - 4)), "NextToken");
        v1("NextToken extended", v1WithToken(V1_TOKEN + "AAAA"), "NextToken");
        v1("NextToken for another contact", v1WithToken(CODEC.seal(otherContact, Operation.V1, OutputType.Raw, ALL, 1)), "NextToken");
        v1("NextToken from another key", v1WithToken(otherKey.seal(VOICE, Operation.V1, OutputType.Raw, ALL, 1)), "NextToken");
        v1("NextToken expired", v1WithToken(past.seal(VOICE, Operation.V1, OutputType.Raw, ALL, 1)), "NextToken");
        v1("NextToken issued by V2", v1WithToken(CODEC.seal(VOICE, Operation.V2, OutputType.Raw, ALL, 1)), "NextToken");
        v1("real V2 NextToken", v1WithToken(V2_TOKEN), "NextToken");
        // ---- V1: contact
        bad("V1 unknown contact", V1, v1Event("{\"InstanceId\":" + quote(INSTANCE) + ",\"ContactId\":\"no-such-contact\"}"),
                404, "ResourceNotFoundException", "no-such-contact");
        bad("V1 unknown instance", V1, v1Event("{\"InstanceId\":\"no-such-instance\",\"ContactId\":" + quote(VOICE.contactId()) + "}"),
                404, "ResourceNotFoundException", VOICE.contactId());
        bad("V1 on a CHAT contact", V1, v1Event("{\"InstanceId\":" + quote(INSTANCE) + ",\"ContactId\":" + quote(CHAT.contactId()) + "}"),
                400, "InvalidRequestException", "CHAT");

        // ---- V2: path
        bad("V2 no path parameters", V2, v2Event(null, null, "{" + V2_REQUIRED + "}"), 400, "InvalidRequestException", "InstanceId");
        bad("V2 no ContactId path parameter", V2, v2Event(INSTANCE, null, "{" + V2_REQUIRED + "}"),
                400, "InvalidRequestException", "ContactId");
        bad("V2 no InstanceId path parameter", V2, v2Event(null, CHAT.contactId(), "{" + V2_REQUIRED + "}"),
                400, "InvalidRequestException", "InstanceId");
        bad("V2 InstanceId empty", V2, v2Event("", CHAT.contactId(), "{" + V2_REQUIRED + "}"), 400, "InvalidRequestException", "InstanceId");
        bad("V2 InstanceId 101 characters", V2, v2Event("i".repeat(101), CHAT.contactId(), "{" + V2_REQUIRED + "}"),
                400, "InvalidRequestException", "InstanceId");
        bad("V2 ContactId 257 characters", V2, v2Event(INSTANCE, "c".repeat(257), "{" + V2_REQUIRED + "}"),
                400, "InvalidRequestException", "ContactId");
        // what %ED%A0%80, %C0%AF or %FF decode to: refused, so two such IDs never read one contact
        bad("V2 ContactId decoded to U+FFFD", V2, v2Event(INSTANCE, "chat-\uFFFD", "{" + V2_REQUIRED + "}"),
                400, "InvalidRequestException", "ContactId must be percent-encoded UTF-8: its path segment decodes to U+FFFD");
        bad("V2 InstanceId decoded to U+FFFD", V2, v2Event("\uFFFD\uFFFD", CHAT.contactId(), "{" + V2_REQUIRED + "}"),
                400, "InvalidRequestException", "InstanceId must be percent-encoded UTF-8");
        // ---- V2: body shape
        v2("malformed JSON", "{\"OutputType\":\"Raw\",", "JSON");
        v2("trailing garbage after the object", "{" + V2_REQUIRED + "}]", "JSON");
        v2("body is an array", "[\"Raw\"]", "object");
        v2("body is a string", "\"Raw\"", "object");
        v2("body is a number", "3.14", "object");
        v2("body is JSON null", "null", "object");
        v2("duplicate OutputType", "{" + V2_REQUIRED + ",\"OutputType\":\"Redacted\"}", "duplicate member 'OutputType'");
        bad("V2 OutputType with bytes that are not UTF-8", V2, base64(v2Event(CHAT.instanceId(), CHAT.contactId(), null),
                bytes("{\"OutputType\":\"Raw", 0xff, 0xfe, "\",\"SegmentTypes\":[\"Transcript\"]}")),
                400, "InvalidRequestException", "The request body is refused: not valid UTF-8 at byte 19.");
        bad("V2 base64 flag with a body that is not base64", V2,
                base64(v2Event(CHAT.instanceId(), CHAT.contactId(), null), "%%%%"), 400, "InvalidRequestException", "base64");
        // ---- V2: required members
        v2("no body", null, "OutputType");
        v2("missing OutputType", "{\"SegmentTypes\":" + ALL_V2_TYPES + "}", "OutputType");
        v2("missing SegmentTypes", "{\"OutputType\":\"Raw\"}", "SegmentTypes");
        v2("SegmentTypes JSON null", "{\"OutputType\":\"Raw\",\"SegmentTypes\":null}", "SegmentTypes");
        // ---- V2: OutputType
        v2("OutputType lower case", "{\"OutputType\":\"raw\",\"SegmentTypes\":" + ALL_V2_TYPES + "}", "OutputType");
        v2("OutputType upper case", "{\"OutputType\":\"RAW\",\"SegmentTypes\":" + ALL_V2_TYPES + "}", "OutputType");
        v2("OutputType unknown", "{\"OutputType\":\"RedactedAndRaw\",\"SegmentTypes\":" + ALL_V2_TYPES + "}", "OutputType");
        v2("OutputType empty", "{\"OutputType\":\"\",\"SegmentTypes\":" + ALL_V2_TYPES + "}", "OutputType");
        v2("OutputType a number", "{\"OutputType\":0,\"SegmentTypes\":" + ALL_V2_TYPES + "}", "OutputType");
        v2("OutputType a list", "{\"OutputType\":[\"Raw\"],\"SegmentTypes\":" + ALL_V2_TYPES + "}", "OutputType");
        // ---- V2: SegmentTypes
        v2("SegmentTypes a string", "{\"OutputType\":\"Raw\",\"SegmentTypes\":\"Transcript\"}", "SegmentTypes");
        v2("SegmentTypes an object", "{\"OutputType\":\"Raw\",\"SegmentTypes\":{\"Transcript\":true}}", "SegmentTypes");
        v2("SegmentTypes empty", "{\"OutputType\":\"Raw\",\"SegmentTypes\":[]}", "SegmentTypes");
        v2("SegmentTypes unknown value", "{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\",\"Sentiment\"]}", "SegmentTypes");
        v2("SegmentTypes wrong case", "{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"transcript\"]}", "SegmentTypes");
        v2("SegmentTypes 8 items", "{\"OutputType\":\"Raw\",\"SegmentTypes\":"
                + ALL_V2_TYPES.replace("]", ",\"Transcript\"]") + "}", "SegmentTypes");
        v2("SegmentTypes a number item", "{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\",1]}", "SegmentTypes");
        v2("SegmentTypes a null item", "{\"OutputType\":\"Raw\",\"SegmentTypes\":[null]}", "SegmentTypes");
        v2("SegmentTypes a nested list", "{\"OutputType\":\"Raw\",\"SegmentTypes\":[[\"Transcript\"]]}", "SegmentTypes");
        // ---- V2: MaxResults
        v2("MaxResults a string", "{" + V2_REQUIRED + ",\"MaxResults\":\"100\"}", "MaxResults");
        v2("MaxResults a float", "{" + V2_REQUIRED + ",\"MaxResults\":2.5}", "MaxResults");
        v2("MaxResults a boolean", "{" + V2_REQUIRED + ",\"MaxResults\":false}", "MaxResults");
        v2("MaxResults huge", "{" + V2_REQUIRED + ",\"MaxResults\":123456789012345}", "MaxResults");
        v2("MaxResults 0", "{" + V2_REQUIRED + ",\"MaxResults\":0}", "MaxResults");
        v2("MaxResults 101", "{" + V2_REQUIRED + ",\"MaxResults\":101}", "MaxResults");
        v2("MaxResults -1", "{" + V2_REQUIRED + ",\"MaxResults\":-1}", "MaxResults");
        v2("MaxResults of 5,000 digits", "{" + V2_REQUIRED + ",\"MaxResults\":-" + "1".repeat(5_000) + "}",
                "a number longer than 100 characters at /MaxResults");
        // ---- V2: NextToken
        v2("NextToken a number", "{" + V2_REQUIRED + ",\"NextToken\":7}", "NextToken");
        v2("NextToken an object", "{" + V2_REQUIRED + ",\"NextToken\":{}}", "NextToken");
        v2("NextToken empty", v2WithToken(""), "NextToken");
        v2("NextToken a lone surrogate", "{" + V2_REQUIRED + ",\"NextToken\":\"abc\\udc00\"}", "NextToken must be well-formed Unicode, has a lone surrogate (U+DC00) at character 4");
        v2("NextToken blank", v2WithToken(" "), "NextToken");
        v2("NextToken 100001 characters", v2WithToken("A".repeat(100_001)), "NextToken");
        v2("NextToken garbage", v2WithToken("eyJvZmZzZXQiOjd9"), "NextToken");
        v2("NextToken tampered", v2WithToken(flipChar(V2_TOKEN, 3)), "NextToken");
        v2("NextToken truncated", v2WithToken(V2_TOKEN.substring(0, V2_TOKEN.length() - 1)), "NextToken");
        v2("NextToken standard base64 alphabet", v2WithToken(V2_TOKEN.replace('-', '+').replace('_', '/') + "+/"), "NextToken");
        v2("NextToken for another contact", v2WithToken(CODEC.seal(otherContact, Operation.V2, OutputType.Raw, v2Types, 1)), "NextToken");
        v2("NextToken from another key", v2WithToken(otherKey.seal(CHAT, Operation.V2, OutputType.Raw, v2Types, 1)), "NextToken");
        v2("NextToken expired", v2WithToken(past.seal(CHAT, Operation.V2, OutputType.Raw, v2Types, 1)), "NextToken");
        v2("NextToken issued by V1", v2WithToken(CODEC.seal(CHAT, Operation.V1, OutputType.Raw, v2Types, 1)), "NextToken");
        v2("real V1 NextToken", v2WithToken(V1_TOKEN), "NextToken");
        v2("NextToken for other SegmentTypes", v2WithToken(CODEC.seal(CHAT, Operation.V2, OutputType.Raw,
                Set.of(SegmentType.Transcript), 1)), "NextToken");
        v2("real NextToken with fewer SegmentTypes", "{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"],\"NextToken\":"
                + quote(V2_TOKEN) + "}", "NextToken");
        bad("V2 NextToken for Raw sent with Redacted", V2, v2Event(CHAT_BOTH.instanceId(), CHAT_BOTH.contactId(),
                "{\"OutputType\":\"Redacted\",\"SegmentTypes\":" + ALL_V2_TYPES + ",\"NextToken\":"
                        + quote(CODEC.seal(CHAT_BOTH, Operation.V2, OutputType.Raw, v2Types, 0)) + "}"),
                400, "InvalidRequestException", "NextToken");
        // ---- V2: contact
        bad("V2 unknown contact", V2, v2Event(INSTANCE, "no-such-contact", "{" + V2_REQUIRED + "}"),
                404, "ResourceNotFoundException", "no-such-contact");
        bad("V2 contact of another instance", V2, v2Event("other-instance", CHAT.contactId(), "{" + V2_REQUIRED + "}"),
                404, "ResourceNotFoundException", CHAT.contactId());
        bad("V2 on a VOICE contact", V2, v2Event(VOICE.instanceId(), VOICE.contactId(), "{" + V2_REQUIRED + "}"),
                400, "InvalidRequestException", "VOICE");
        bad("V2 Redacted not available", V2, v2Event(CHAT.instanceId(), CHAT.contactId(),
                "{\"OutputType\":\"Redacted\",\"SegmentTypes\":[\"Transcript\"]}"), 404, "OutputTypeNotFoundException", "Redacted");
        return ROWS.stream();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("malformed")
    void malformedRequestIsAModelledErrorAndWritesNothing(String name, Row row) {
        APIGatewayProxyResponseEvent response = Handlers.api(row.handler(), row.event());

        String message = assertError(response, row.event(), row.status(), row.errorType());
        if (row.mentions() != null) {
            assertTrue(message.contains(row.mentions()), () -> "message should mention " + row.mentions() + ": " + message);
        }
        assertTrue(message.length() < 1000, "message stays short: " + message.length());
        assertTrue(Set.of("dynamodb:GetItem", "dynamodb:Query").containsAll(READ_ONLY.used()),
                () -> "a list request only reads: " + READ_ONLY.used());
    }

    @Test
    void theRealTokensAreAcceptedSoTheTokenRowsTestTheTokenAlone() {
        APIGatewayProxyResponseEvent v1 = Handlers.api(V1, v1Event(v1WithToken(V1_TOKEN)));
        APIGatewayProxyResponseEvent v2 = Handlers.api(V2, v2Event(CHAT.instanceId(), CHAT.contactId(), v2WithToken(V2_TOKEN)));
        assertEquals(200, v1.getStatusCode(), v1.getBody());
        assertEquals(200, v2.getStatusCode(), v2.getBody());
        // The second page starts after the first one's single segment.
        assertEquals(2, ApiTestSupport.body(v1).path("Segments").size());
        assertEquals("t-2", ApiTestSupport.body(v1).path("Segments").get(0).path("Transcript").path("Id").asText());
        assertEquals("t-2", ApiTestSupport.body(v2).path("Segments").get(0).path("Transcript").path("Id").asText());
        // Same request, token minted by the other codec instance with the same key: still accepted.
        String sameKey = new TokenCodec(KEY, RETENTION, Clock.systemUTC()).seal(VOICE, Operation.V1, OutputType.Raw, ALL, 1);
        assertEquals(200, Handlers.api(V1, v1Event(v1WithToken(sameKey))).getStatusCode());
    }

    @Test
    void aRequestWithoutRequestContextStillGetsARequestId() {
        APIGatewayProxyRequestEvent event = v1Event("{").withRequestContext(null);
        APIGatewayProxyResponseEvent first = Handlers.api(V1, event);
        APIGatewayProxyResponseEvent second = Handlers.api(V1, event);
        assertError(first, event, 400, "InvalidRequestException");
        assertNotEquals(ApiTestSupport.header(first, "x-amzn-RequestId"), ApiTestSupport.header(second, "x-amzn-RequestId"));
    }
}
