package dev.rtca.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rtca.fixtures.Envelopes;
import dev.rtca.local.LambdaFunction;
import dev.rtca.local.TestRuntime;
import dev.rtca.runtime.Config;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A message whose handling fails inside the live function is answered with an Error frame posted by the function
 * itself (API Gateway sends nothing back for a failed integration): DynamoDB throttling as ThrottlingException,
 * DynamoDB failing or hanging as InternalServiceException with the request ID, within the function's time. The
 * function runs as Lambda runs it, with DynamoDB replaced by a server that misbehaves on purpose and the management
 * API by one that records the frames.
 */
class LiveFailuresTest {
    private static final String PRINCIPAL = "arn:aws:iam::123456789012:user/local";
    private static final String INSTANCE = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";

    private final List<JsonNode> posted = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer dynamo;
    private HttpServer management;

    @AfterEach
    void stop() {
        release.countDown();
        dynamo.stop(0);
        management.stop(0);
    }

    /**
     * The live function with DynamoDB answering the connection's item (so the message gets as far as its contact) and
     * {@code misbehave} for every other call.
     */
    private LambdaFunction liveFunction(Consumer<HttpExchange> misbehave) throws IOException {
        dynamo = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        dynamo.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (body.contains("\"CONNECTION\"")) {
                    answer(exchange, 200, "{\"Item\":{\"pk\":{\"S\":\"K#c-1\"},\"sk\":{\"S\":\"CONNECTION\"},"
                            + "\"principal\":{\"S\":\"" + PRINCIPAL + "\"}}}");
                } else {
                    misbehave.accept(exchange);
                }
            }
        });
        dynamo.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        dynamo.start();
        management = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        management.createContext("/", exchange -> {
            try (exchange) {
                posted.add(Envelopes.parse(exchange.getRequestBody().readAllBytes()));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        management.start();
        Config config = TestRuntime.shared().runtime().config()
                .withEnvironment(Config.DYNAMODB_ENDPOINT, "http://127.0.0.1:" + dynamo.getAddress().getPort())
                .withEnvironment(Config.WEBSOCKET_ENDPOINT, "http://127.0.0.1:" + management.getAddress().getPort() + "/live");
        return new LambdaFunction("LiveFunction", "dev.rtca.live.WebSocketHandler::handleRequest", config);
    }

    private static void answer(HttpExchange exchange, int status, String body) {
        try {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] message(String route, String body, boolean binary) {
        ObjectNode event = Envelopes.JSON.createObjectNode();
        ObjectNode context = event.putObject("requestContext");
        context.put("routeKey", route).put("eventType", "MESSAGE").put("connectionId", "c-1");
        event.put("body", body).put("isBase64Encoded", binary);
        return Envelopes.bytes(event);
    }

    private static String subscribe(String contactId) {
        return "{\"action\":\"subscribe\",\"InstanceId\":\"" + INSTANCE + "\",\"ContactId\":\"" + contactId
                + "\",\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"]}";
    }

    @Test
    void throttlingIsAThrottlingExceptionFrameNamingTheSubscription() throws Exception {
        LambdaFunction function = liveFunction(exchange -> answer(exchange, 400,
                "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\",\"message\":\"slow down\"}"));
        String contactId = UUID.randomUUID().toString();
        byte[] answer = function.invoke(message("subscribe", subscribe(contactId), false), "req-throttled");

        assertEquals("{\"statusCode\":200}", new String(answer, StandardCharsets.UTF_8));
        JsonNode error = posted.getLast();
        assertEquals("Error", error.path("Type").asText(), posted.toString());
        assertEquals("ThrottlingException", error.path("ErrorType").asText());
        assertEquals(contactId, error.path("ContactId").asText());
        assertEquals("Raw", error.path("OutputType").asText());
        assertTrue(error.path("Message").asText().contains("req-throttled"), error.toString());
    }

    @Test
    void aDynamoDbFailureIsAnInternalServiceExceptionFrameWithTheRequestId() throws Exception {
        LambdaFunction function = liveFunction(exchange -> answer(exchange, 500,
                "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"broken\"}"));
        function.invoke(message("subscribe", subscribe(UUID.randomUUID().toString()), false), "req-broken");
        JsonNode error = posted.getLast();
        assertEquals("InternalServiceException", error.path("ErrorType").asText(), posted.toString());
        assertTrue(error.path("Message").asText().contains("req-broken"), error.toString());
    }

    /**
     * DynamoDB does not answer: the function gives up on it after 5 seconds (its calls' time limit, retries included)
     * and says so, well within its 15-second timeout.
     */
    @Test
    void aHangingDynamoDbIsAnsweredBeforeTheFunctionTimesOut() throws Exception {
        LambdaFunction function = liveFunction(exchange -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long started = System.nanoTime();
        function.invoke(message("subscribe", subscribe(UUID.randomUUID().toString()), false), "req-hung");
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals("InternalServiceException", posted.getLast().path("ErrorType").asText(), posted.toString());
        assertTrue(millis >= 5_000 && millis < 7_000, "answered after " + millis + " ms");
    }

    @Test
    void aBinaryFrameIsAnInvalidRequestExceptionFrame() throws Exception {
        LambdaFunction function = liveFunction(exchange -> answer(exchange, 500, "{}"));
        function.invoke(message("$default", "AAEC", true), "req-binary");
        JsonNode error = posted.getLast();
        assertEquals("InvalidRequestException", error.path("ErrorType").asText());
        assertEquals("Binary frames are not supported: send the message as a text frame of JSON.", error.path("Message").asText());
    }
}
