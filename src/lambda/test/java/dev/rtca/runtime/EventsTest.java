package dev.rtca.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.model.Json;
import dev.rtca.writers.EventBridgeIngestHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one binder of the functions' events: the sample events of {@code events/} (what {@code sam local generate-event}
 * users invoke with) bind to the library's types with every member the handlers read, the JSON policy holds for the
 * whole event, and the responses are written as the handlers wrote them by hand before.
 */
class EventsTest {
    private static final Path EVENTS = Path.of(System.getProperty("rtca.root", "../.."), "events");

    private static byte[] sample(String name) throws IOException {
        return Files.readAllBytes(EVENTS.resolve(name));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String written(Object response) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Events.write(out, response);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theKinesisSampleBindsItsDataSequenceNumbersAndTimes() throws IOException {
        byte[] json = sample("kinesis-chat-stream.json");
        JsonNode tree = Json.tree(json);
        KinesisEvent event = Events.read(json, KinesisEvent.class);
        assertEquals(tree.path("Records").size(), event.getRecords().size());
        for (int i = 0; i < event.getRecords().size(); i++) {
            KinesisEvent.KinesisEventRecord record = event.getRecords().get(i);
            JsonNode expected = tree.path("Records").get(i);
            assertEquals(expected.path("eventID").asText(), record.getEventID());
            assertEquals(expected.path("eventSourceARN").asText(), record.getEventSourceARN());
            assertEquals(expected.path("kinesis").path("sequenceNumber").asText(), record.getKinesis().getSequenceNumber());
            ByteBuffer data = record.getKinesis().getData();
            byte[] bytes = new byte[data.remaining()];
            data.duplicate().get(bytes);
            assertEquals(Json.tree(java.util.Base64.getDecoder().decode(expected.path("kinesis").path("data").asText())),
                    Json.tree(bytes), "the data is the envelope's bytes");
            // Epoch seconds with a fraction, not epoch milliseconds.
            assertEquals(expected.path("kinesis").path("approximateArrivalTimestamp").decimalValue().movePointRight(3).longValue(),
                    record.getKinesis().getApproximateArrivalTimestamp().getTime());
        }
    }

    @Test
    void kinesisDataThatIsNotBase64IsMarkedNotFailed() {
        KinesisEvent event = Events.read(utf8("""
                {"Records":[{"eventID":"s:1","kinesis":{"sequenceNumber":"1","data":"%%% not base64 %%%"}},
                            {"eventID":"s:2","kinesis":{"sequenceNumber":"2","data":{"an":"object"}}},
                            {"eventID":"s:3","kinesis":{"sequenceNumber":"3"}},
                            {"eventID":"s:4","kinesis":{"sequenceNumber":"4","data":"e30"}}]}"""), KinesisEvent.class);
        assertSame(Events.NOT_BASE64, event.getRecords().get(0).getKinesis().getData());
        assertNull(event.getRecords().get(1).getKinesis().getData(), "data that is not text is no data");
        assertNull(event.getRecords().get(2).getKinesis().getData());
        assertEquals(ByteBuffer.wrap(utf8("{}")), event.getRecords().get(3).getKinesis().getData(), "padding is optional");
    }

    @Test
    void theSqsSampleBindsBodiesAndMessageGroups() throws IOException {
        byte[] json = sample("sqs-analysis-job.json");
        JsonNode tree = Json.tree(json);
        SQSEvent event = Events.read(json, SQSEvent.class);
        assertEquals(tree.path("Records").size(), event.getRecords().size());
        SQSEvent.SQSMessage first = event.getRecords().getFirst();
        assertEquals(tree.path("Records").get(0).path("messageId").asText(), first.getMessageId());
        assertEquals(tree.path("Records").get(0).path("body").asText(), first.getBody());
        assertEquals(tree.path("Records").get(0).path("attributes").path("MessageGroupId").asText(),
                first.getAttributes().get("MessageGroupId"));
        assertEquals(tree.path("Records").get(0).path("eventSourceARN").asText(), first.getEventSourceArn(),
                "eventSourceARN is the library's eventSourceArn");

        SQSEvent odd = Events.read(utf8("{\"Records\":[{\"messageId\":\"m\",\"body\":{\"not\":\"text\"}}]}"), SQSEvent.class);
        assertNull(odd.getRecords().getFirst().getBody(), "a body that is not a string is no body: that message fails alone");
    }

    @Test
    void theApiSamplesBindTheBodyPathParametersAndCaller() throws IOException {
        for (String name : List.of("api-list-segments-v1.json", "api-list-segments-v2.json")) {
            byte[] json = sample(name);
            JsonNode tree = Json.tree(json);
            APIGatewayProxyRequestEvent event = Events.read(json, APIGatewayProxyRequestEvent.class);
            assertEquals(tree.path("body").asText(), event.getBody(), name);
            assertEquals(tree.path("requestContext").path("identity").path("userArn").asText(),
                    event.getRequestContext().getIdentity().getUserArn(), name);
            assertEquals(tree.path("requestContext").path("requestId").asText(), event.getRequestContext().getRequestId(), name);
            if (tree.path("pathParameters").isObject()) {
                assertEquals(tree.path("pathParameters").path("ContactId").asText(), event.getPathParameters().get("ContactId"));
            }
        }
    }

    @Test
    void theEventBridgeSampleKeepsItsDetailAsParsed() throws IOException {
        byte[] json = sample("eventbridge-analysis-job.json");
        JsonNode tree = Json.tree(json);
        EventBridgeIngestHandler.Event event = Events.read(json, EventBridgeIngestHandler.Event.class);
        assertEquals(tree.path("id").asText(), event.id());
        assertEquals("Contact Analysis Segments", event.detailType());
        assertEquals("rtca.analysis", event.source());
        assertEquals(tree.path("detail"), event.detail());

        // Numbers stay as the producer wrote them would be read: the same tree as the policy's own parser gives.
        String detail = "{\"a\":1.10,\"b\":1e2,\"c\":123456789012345678901234567890,\"d\":-0.0,\"e\":[1,2.5]}";
        EventBridgeIngestHandler.Event numbers = Events.read(utf8("{\"id\":\"x\",\"detail\":" + detail + "}"),
                EventBridgeIngestHandler.Event.class);
        assertEquals(Json.tree(utf8(detail)), numbers.detail());
        assertEquals(Json.mapper().writeValueAsString(Json.tree(utf8(detail))), Json.mapper().writeValueAsString(numbers.detail()));
    }

    @Test
    void aDynamoDbStreamRecordBindsItsKeysOfEveryAttributeType() {
        DynamodbEvent event = Events.read(utf8("""
                {"Records":[{"eventID":"1","eventName":"INSERT","eventSourceARN":"arn:aws:dynamodb:us-east-1:1:table/t/stream/s",
                  "dynamodb":{"ApproximateCreationDateTime":1710445166.5,"SequenceNumber":"100","StreamViewType":"KEYS_ONLY",
                    "Keys":{"pk":{"S":"C#i#c"},"sk":{"S":"S#Raw#000000000000"},"n":{"N":"12"},"ss":{"SS":["a","b"]},
                            "nul":{"NULL":true},"bool":{"BOOL":false}},"SizeBytes":40}}]}"""), DynamodbEvent.class);
        DynamodbEvent.DynamodbStreamRecord record = event.getRecords().getFirst();
        assertEquals("arn:aws:dynamodb:us-east-1:1:table/t/stream/s", record.getEventSourceARN());
        assertEquals("INSERT", record.getEventName());
        assertEquals("100", record.getDynamodb().getSequenceNumber());
        assertEquals(1710445166500L, record.getDynamodb().getApproximateCreationDateTime().getTime());
        Map<String, AttributeValue> keys = record.getDynamodb().getKeys();
        assertEquals("C#i#c", keys.get("pk").getS());
        assertEquals("12", keys.get("n").getN());
        assertEquals(List.of("a", "b"), keys.get("ss").getSS());
        assertEquals(Boolean.TRUE, keys.get("nul").getNULL());
        assertEquals(Boolean.FALSE, keys.get("bool").getBOOL());
    }

    @Test
    void theWebSocketAndRotationEventsBind() {
        APIGatewayV2WebSocketEvent message = Events.read(utf8("""
                {"requestContext":{"routeKey":"subscribe","connectionId":"c1","connectedAt":1710445166000,
                  "identity":{"userArn":"arn:aws:iam::1:role/r"}},"body":"{\\"action\\":\\"subscribe\\"}","isBase64Encoded":false}"""),
                APIGatewayV2WebSocketEvent.class);
        assertEquals("subscribe", message.getRequestContext().getRouteKey());
        assertEquals("c1", message.getRequestContext().getConnectionId());
        assertEquals("arn:aws:iam::1:role/r", message.getRequestContext().getIdentity().getUserArn());
        assertEquals("{\"action\":\"subscribe\"}", message.getBody());

        SecretsManagerRotationEvent rotation = Events.read(utf8(
                "{\"Step\":\"createSecret\",\"SecretId\":\"s\",\"ClientRequestToken\":\"v\"}"), SecretsManagerRotationEvent.class);
        assertEquals("createSecret", rotation.getStep());
        assertEquals("s", rotation.getSecretId());
        assertEquals("v", rotation.getClientRequestToken());
    }

    @Test
    void theJsonPolicyHoldsForTheWholeEvent() {
        // A duplicate in the envelope AWS wrote, and one deep inside what a producer wrote.
        Events.UnreadableEventException envelope = assertThrows(Events.UnreadableEventException.class,
                () -> Events.read(utf8("{\"Records\":[],\"Records\":[]}"), SQSEvent.class));
        assertTrue(envelope.getMessage().startsWith("duplicate member 'Records'"), envelope.getMessage());
        Events.UnreadableEventException detail = assertThrows(Events.UnreadableEventException.class,
                () -> Events.read(utf8("{\"id\":\"x\",\"detail\":{\"Segments\":[{\"Id\":1,\"Id\":2}]}}"),
                        EventBridgeIngestHandler.Event.class));
        assertTrue(detail.getMessage().startsWith("duplicate member 'Id'"), detail.getMessage());

        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        assertTrue(assertThrows(Events.UnreadableEventException.class, () -> Events.read(utf8("{\"id\":\"x\",\"detail\":{\"a\":"
                + deep + "}}"), EventBridgeIngestHandler.Event.class)).getMessage().startsWith("a limit was exceeded"));
        assertTrue(assertThrows(Events.UnreadableEventException.class, () -> Events.read(utf8(
                "{\"body\":\"" + "x".repeat(Events.MAX_STRING_LENGTH + 1) + "\"}"), APIGatewayProxyRequestEvent.class))
                .getMessage().startsWith("a limit was exceeded"));
        assertEquals("content after the end of the JSON value", assertThrows(Events.UnreadableEventException.class,
                () -> Events.read(utf8("{\"Records\":[]} {}"), KinesisEvent.class)).getMessage());
        assertTrue(assertThrows(Events.UnreadableEventException.class, () -> Events.read(utf8("{\"Records\":"), KinesisEvent.class))
                .getMessage().contains("JSON"));
        Events.UnreadableEventException wrongType = assertThrows(Events.UnreadableEventException.class,
                () -> Events.read(utf8("{\"requestContext\":{\"identity\":[1]}}"), APIGatewayProxyRequestEvent.class));
        assertEquals("member requestContext.identity has a value of the wrong type", wrongType.getMessage());
        assertTrue(assertThrows(Events.UnreadableEventException.class,
                () -> Events.read(utf8("null"), SQSEvent.class)).getMessage().contains("null"));
    }

    /**
     * The transport's own strings are longer than what they carry: Kinesis's largest record (1 MiB) is about 1.4 MB of
     * base64, over the policy's string limit, and is bound whole; the policy's limit is the core's, on the data.
     */
    @Test
    void aStringOfTheTransportMayBeAsLongAsLambdasPayload() {
        byte[] data = new byte[1024 * 1024];
        java.util.Arrays.fill(data, (byte) ' ');
        String base64 = java.util.Base64.getEncoder().encodeToString(data);
        assertTrue(base64.length() > Json.MAX_STRING_LENGTH);
        KinesisEvent event = Events.read(utf8("{\"Records\":[{\"eventID\":\"s:1\",\"kinesis\":{\"sequenceNumber\":\"1\","
                + "\"data\":\"" + base64 + "\"}}]}"), KinesisEvent.class);
        assertEquals(ByteBuffer.wrap(data), event.getRecords().getFirst().getKinesis().getData());
        String body = "x".repeat(Json.MAX_STRING_LENGTH + 1);
        assertEquals(body, Events.read(utf8("{\"Records\":[{\"messageId\":\"m\",\"body\":\"" + body + "\"}]}"),
                SQSEvent.class).getRecords().getFirst().getBody());
    }

    /** The identifiers a batch response echoes are strings as the sources write them; a number is no identifier. */
    @Test
    void theIdentifiersABatchResponseEchoesAreStrings() {
        assertEquals("member Records[0].kinesis.sequenceNumber has a value of the wrong type", assertThrows(
                Events.UnreadableEventException.class, () -> Events.read(utf8(
                        "{\"Records\":[{\"eventID\":\"s:1\",\"kinesis\":{\"sequenceNumber\":1}}]}"), KinesisEvent.class)).getMessage());
        assertEquals("member Records[1].eventID has a value of the wrong type", assertThrows(Events.UnreadableEventException.class,
                () -> Events.read(utf8("{\"Records\":[{\"eventID\":\"s:1\"},{\"eventID\":2}]}"), KinesisEvent.class)).getMessage());
        assertEquals("member Records[0].messageId has a value of the wrong type", assertThrows(Events.UnreadableEventException.class,
                () -> Events.read(utf8("{\"Records\":[{\"messageId\":7,\"body\":\"{}\"}]}"), SQSEvent.class)).getMessage());
        // The SQS message's body keeps its own rule (not text: no body) beside the identifier's.
        assertNull(Events.read(utf8("{\"Records\":[{\"messageId\":\"m\",\"body\":{}}]}"), SQSEvent.class)
                .getRecords().getFirst().getBody());
    }

    @Test
    void responsesAreWrittenAsTheFunctionsWroteThemByHand() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("x-amzn-RequestId", "r-1");
        assertEquals("{\"statusCode\":200,\"headers\":{\"Content-Type\":\"application/json\",\"x-amzn-RequestId\":\"r-1\"},"
                        + "\"body\":\"{\\\"Segments\\\":[]}\",\"isBase64Encoded\":false}",
                written(new APIGatewayProxyResponseEvent().withStatusCode(200).withHeaders(headers)
                        .withBody("{\"Segments\":[]}").withIsBase64Encoded(false)));

        APIGatewayV2WebSocketResponse ok = new APIGatewayV2WebSocketResponse();
        ok.setStatusCode(200);
        assertEquals("{\"statusCode\":200}", written(ok));

        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>(Arrays.asList(
                new StreamsEventResponse.BatchItemFailure("4959"), new StreamsEventResponse.BatchItemFailure(null)));
        assertEquals("{\"batchItemFailures\":[{\"itemIdentifier\":\"4959\"},{\"itemIdentifier\":null}]}",
                written(new StreamsEventResponse(failures)), "a null identifier stays: Lambda retries the whole batch");
        assertEquals("{\"batchItemFailures\":[]}", written(new SQSBatchResponse(List.of())));
        assertEquals("{\"batchItemFailures\":[{\"itemIdentifier\":\"m-1\"}]}",
                written(new SQSBatchResponse(List.of(new SQSBatchResponse.BatchItemFailure("m-1")))));
        assertEquals("", written(null), "a function without an answer writes nothing");
    }
}
