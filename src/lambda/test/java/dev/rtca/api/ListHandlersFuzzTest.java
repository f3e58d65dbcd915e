package dev.rtca.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.fixtures.Access;
import dev.rtca.runtime.Wiring;
import dev.rtca.fixtures.MemoryStore;
import dev.rtca.fixtures.Samples;
import dev.rtca.model.Json;
import dev.rtca.runtime.Events;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.TokenCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Fuzz targets for the two list handlers (bin/fuzz v1-request, bin/fuzz v2-request): any bytes as the event Lambda
 * hands over (the API Gateway proxy event, its body, path parameters and identity included) give a success or a typed
 * 4xx in the service's wire format, never a 5xx or an exception. The handlers read a store holding a voice and a chat
 * contact, so requests that validate go on to paging. In every build they run over the inputs committed beside this
 * class; bin/fuzz fuzzes them for real.
 */
class ListHandlersFuzzTest {
    private static final byte[] KEY = "list-handlers-fuzz-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final MemoryStore STORE = new MemoryStore();
    private static final SegmentLister LISTER = new SegmentLister(STORE,
            new TokenCodec(KEY, Duration.ofHours(24), Clock.systemUTC()));
    private static final ListSegmentsV1Handler V1 = new ListSegmentsV1Handler(new Wiring.Reader(LISTER, Access.allowAll()));
    private static final ListSegmentsV2Handler V2 = new ListSegmentsV2Handler(new Wiring.Reader(LISTER, Access.allowAll()));

    static {
        ContactKey voice = new ContactKey("i", "voice");
        STORE.open(voice, Channel.VOICE, Set.of(OutputType.Raw, OutputType.Redacted));
        STORE.append(voice, Channel.VOICE, OutputType.Raw, "e", IntStream.range(0, 5).mapToObj(Samples::v1Transcript).toList());
        ContactKey chat = new ContactKey("i", "chat");
        STORE.open(chat, Channel.CHAT, Set.of(OutputType.Raw));
        STORE.append(chat, Channel.CHAT, OutputType.Raw, "e", List.of(Samples.v2Transcript(0, "AGENT"), Samples.v2Event(1),
                Samples.v2(Samples.V2_ISSUES), Samples.v2(Samples.V2_SUMMARY)));
    }

    @FuzzTest
    @DictionaryEntries({"\"body\"", "\"pathParameters\"", "\"requestContext\"", "\"identity\"", "\"userArn\"",
            "\"isBase64Encoded\"", "\"InstanceId\"", "\"ContactId\"", "\"MaxResults\"", "\"NextToken\"", "\\\"i\\\"",
            "\\\"voice\\\"", "\\\"MaxResults\\\"", "\\\"NextToken\\\"", "\\\"InstanceId\\\"", "\\\"ContactId\\\""})
    void v1Requests(byte[] event) {
        assertTypedAnswer(answer(V1, event));
    }

    @FuzzTest
    @DictionaryEntries({"\"body\"", "\"pathParameters\"", "\"requestContext\"", "\"identity\"", "\"userArn\"",
            "\"isBase64Encoded\"", "\"InstanceId\"", "\"ContactId\"", "\"chat\"", "\\\"OutputType\\\"", "\\\"Raw\\\"",
            "\\\"Redacted\\\"", "\\\"SegmentTypes\\\"", "\\\"Transcript\\\"", "\\\"Event\\\"", "\\\"Issues\\\"",
            "\\\"MaxResults\\\"", "\\\"NextToken\\\"", "\\\"PostContactSummary\\\"", "\\\"ExtractedInformation\\\""})
    void v2Requests(byte[] event) {
        assertTypedAnswer(answer(V2, event));
    }

    /** The handler's answer to the event bytes, as API Gateway reads it. */
    private static APIGatewayProxyResponseEvent answer(ListHandler handler, byte[] event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        return Events.read(out.toByteArray(), APIGatewayProxyResponseEvent.class);
    }

    /** 200 with a JSON body, or a modelled 4xx: X-Amzn-ErrorType and a body with the same __type and a Message. */
    private static void assertTypedAnswer(APIGatewayProxyResponseEvent response) {
        assertTrue(response.getStatusCode() == 200 || (response.getStatusCode() >= 400 && response.getStatusCode() < 500),
                "status " + response.getStatusCode() + ": " + response.getBody());
        JsonNode body = Json.tree(response.getBody().getBytes(StandardCharsets.UTF_8));
        if (response.getStatusCode() == 200) {
            assertTrue(body.path("Segments").isArray(), response.getBody());
            return;
        }
        String type = response.getHeaders().get("X-Amzn-ErrorType");
        assertNotNull(type, response.getBody());
        assertTrue(Set.of("InvalidRequestException", "ResourceNotFoundException", "OutputTypeNotFoundException",
                "AccessDeniedException").contains(type), type);
        assertEquals(type, body.path("__type").asText());
        assertTrue(body.path("Message").isTextual());
    }
}
