package dev.rtca.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtca.fixtures.Bytes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.connect.model.InvalidRequestException;
import software.amazon.awssdk.services.connect.model.ResourceNotFoundException;

/**
 * What an adversarial client finds at the local runtime, answered as the deployed stack answers it and in the
 * service's wire format: stalled bodies starve nobody, unknown routes and methods are API Gateway's missing
 * authentication token, bodies over API Gateway's and Lambda's limits are typed 413s, a malformed escape is a typed
 * 400, each hostile request edge (bytes or escapes that are not UTF-8, lone surrogates, over-long numbers, nesting) is
 * a typed 400 that names the problem, the Invoke API refuses payloads over Lambda's limit, and a function response
 * over it is an integration failure.
 */
class HostileHttpTest {
    private static final TestRuntime RUNTIME = TestRuntime.shared();
    private static final String V2 = "/contact/list-real-time-analysis-segments-v2/";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final String V1 = "/realtime-contact-analysis/analysis-segments";

    private static HttpResponse<String> post(URI endpoint, String path, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(endpoint.resolve(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A POST as the SDKs send it (Content-Type application/json), the path's escapes and the body's bytes as given. */
    private static HttpResponse<String> post(URI endpoint, String path, String contentType, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(endpoint + path)).version(HttpClient.Version.HTTP_1_1)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }


    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> requestEdges() {
        byte[] v2Body = Bytes.of("{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"]}");
        return java.util.stream.Stream.of(
                // a body that is not UTF-8 (the tester's "Raw\xff\xfe" was read as "Raw\uFFFD\uFFFD")
                org.junit.jupiter.params.provider.Arguments.of(V2 + "instance/contact",
                        Bytes.of("{\"OutputType\":\"Raw", 0xff, 0xfe, "\",\"SegmentTypes\":[\"Transcript\"]}"),
                        "The request body is refused: not valid UTF-8 at byte 19."),
                org.junit.jupiter.params.provider.Arguments.of(V1, Bytes.of("{\"InstanceId\":\"i\",\"ContactId\":\"", 0xc0, 0xaf, "\"}"),
                        "The request body is refused: not valid UTF-8 at byte 32."),
                // path escapes that are not UTF-8: each named, none looked up as U+FFFD
                org.junit.jupiter.params.provider.Arguments.of(V2 + "instance/%ED%A0%80", v2Body,
                        "ContactId must be percent-encoded UTF-8: its path segment decodes to U+FFFD (a replacement character) at character 1."),
                org.junit.jupiter.params.provider.Arguments.of(V2 + "instance/x%C0%AF", v2Body,
                        "ContactId must be percent-encoded UTF-8: its path segment decodes to U+FFFD (a replacement character) at character 2."),
                org.junit.jupiter.params.provider.Arguments.of(V2 + "%FF/contact", v2Body,
                        "InstanceId must be percent-encoded UTF-8: its path segment decodes to U+FFFD (a replacement character) at character 1."),
                // a lone surrogate, written as an escape
                org.junit.jupiter.params.provider.Arguments.of(V1, Bytes.of("{\"InstanceId\":\"i\",\"ContactId\":\"\\udc00\"}"),
                        "ContactId must be well-formed Unicode, has a lone surrogate (U+DC00) at character 1."),
                // an over-long number, named by member
                org.junit.jupiter.params.provider.Arguments.of(V1, Bytes.of("{\"InstanceId\":\"i\",\"ContactId\":\"c\",\"MaxResults\":"
                        + "9".repeat(5_000) + "}"),
                        "The request body is refused: a limit was exceeded: a number longer than 100 characters at /MaxResults."),
                // nesting inside an unknown member: read under the same limits, and the limit named
                org.junit.jupiter.params.provider.Arguments.of(V2 + "instance/contact", Bytes.of("{\"OutputType\":\"Raw\",\"Extra\":"
                        + "[".repeat(1_000) + "]".repeat(1_000) + ",\"SegmentTypes\":[\"Transcript\"]}"),
                        "The request body is refused: a limit was exceeded: nesting deeper than 64 levels at /Extra/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0..."));
    }

    /** Each hostile edge through HTTP, as a client sends it: a typed 400 whose message says what is wrong and where. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource
    void requestEdges(String path, byte[] body, String message) throws Exception {
        // As the SDKs send it, as curl sends it by default, as a browser's fetch sends a string.
        for (String contentType : List.of("application/json", "application/x-www-form-urlencoded", "text/plain;charset=UTF-8")) {
            HttpResponse<String> response = post(RUNTIME.endpoint(), path, contentType, body);
            assertEquals(400, response.statusCode(), response.body());
            assertEquals("InvalidRequestException", response.headers().firstValue("X-Amzn-ErrorType").orElse(null));
            assertEquals("{\"__type\":\"InvalidRequestException\",\"Message\":" + new com.fasterxml.jackson.databind.ObjectMapper()
                    .writeValueAsString(message) + "}", response.body(), contentType);
        }
    }

    @Test
    void theSameEdgesWellFormedAreServed() throws Exception {
        // A surrogate pair written as escapes, a path escape of UTF-8 and nesting at the limit are read as they are: no such
        // contact, so a 404 that names it.
        HttpResponse<String> pair = post(RUNTIME.endpoint(), V1, "application/json",
                Bytes.of("{\"InstanceId\":\"i\",\"ContactId\":\"\\ud83d\\ude00\"}"));
        assertEquals(404, pair.statusCode(), pair.body());
        assertTrue(pair.body().contains("\uD83D\uDE00"), pair.body());
        HttpResponse<String> escaped = post(RUNTIME.endpoint(), V2 + "instance/%F0%9F%98%80", "application/json",
                Bytes.of("{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"],\"Extra\":" + "[".repeat(63) + "]".repeat(63) + "}"));
        assertEquals(404, escaped.statusCode(), escaped.body());
        assertTrue(escaped.body().contains("\uD83D\uDE00"), escaped.body());
    }

    @Test
    void clientsThatStallTheirBodiesStarveNobody() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 32; i++) {
                Socket socket = new Socket(RUNTIME.endpoint().getHost(), RUNTIME.endpoint().getPort());
                OutputStream out = socket.getOutputStream();
                out.write(("POST " + V2 + "i/c HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                stalled.add(socket);
            }
            try (ConnectClient connect = RUNTIME.connect()) {
                assertTimeoutPreemptively(Duration.ofSeconds(5), () -> org.junit.jupiter.api.Assertions.assertThrows(
                        ResourceNotFoundException.class, () -> connect.listRealtimeContactAnalysisSegmentsV2(r -> r
                                .instanceId("i").contactId("nobody").outputType("Raw").segmentTypesWithStrings("Transcript"))),
                        "a well-behaved client is served while 32 others stall");
            }
            // A stalled connection is closed once it has been idle for the runtime's timeout.
            Socket first = stalled.get(0);
            first.setSoTimeout((int) (HttpFront.IDLE_TIMEOUT_MS * 2));
            InputStream in = first.getInputStream();
            long start = System.nanoTime();
            try {
                in.readAllBytes();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the stalled connection was not closed", e);
            } catch (IOException reset) {
                // closed by the server
            }
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < HttpFront.IDLE_TIMEOUT_MS * 2);
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    @Test
    void unknownRoutesAndMethodsAreMissingAuthenticationToken() throws Exception {
        for (HttpRequest request : List.of(
                HttpRequest.newBuilder(RUNTIME.endpoint().resolve("/nothing/here")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpRequest.newBuilder(RUNTIME.endpoint().resolve(V2 + "i/c")).GET().build(),
                HttpRequest.newBuilder(RUNTIME.endpoint().resolve(V2 + "i/c")).DELETE().build(),
                HttpRequest.newBuilder(RUNTIME.endpoint().resolve("/no-such-page.html")).GET().build(),
                HttpRequest.newBuilder(RUNTIME.endpoint().resolve("/")).DELETE().build())) {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(403, response.statusCode(), request.toString());
            assertEquals("AccessDeniedException", response.headers().firstValue("X-Amzn-ErrorType").orElse(null));
            assertEquals("{\"__type\":\"AccessDeniedException\",\"Message\":\"Missing Authentication Token\"}", response.body());
        }
    }

    @Test
    void bodiesOverApiGatewaysOrLambdasLimitAreTypedRequestTooLarge() {
        try (ConnectClient connect = TestRuntime.connect(RUNTIME.endpoint(), TestRuntime.ACCESS_KEY, 1)) {
            // 11 MB: over API Gateway's 10 MB; 7 MB: under it, but the proxy event is over Lambda's 6 MB.
            for (int megabytes : new int[] {11, 7}) {
                InvalidRequestException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidRequestException.class,
                        () -> connect.listRealtimeContactAnalysisSegmentsV2(r -> r.instanceId("i").contactId("c").outputType("Raw")
                                .segmentTypesWithStrings("Transcript").nextToken("t".repeat(megabytes * 1024 * 1024))));
                assertEquals(413, e.statusCode(), megabytes + " MB");
                assertEquals(megabytes == 11 ? "HTTP content length exceeded 10485760 bytes." : "Request Too Long",
                        e.awsErrorDetails().errorMessage());
            }
        }
    }

    /**
     * Each threshold where API Gateway and Lambda put it, a byte either side: a body of 10,485,760 bytes passes API
     * Gateway (its event is then over Lambda's limit), 10,485,761 does not; an event of 6,291,456 bytes is invoked,
     * 6,291,457 is not.
     */
    @Test
    void theThresholdsAreApiGatewaysAndLambdasToTheByte() throws Exception {
        LocalRuntime.Options options = new LocalRuntime.Options(0, Path.of("src/local/test/resources/limits/template.yaml"),
                "rtca-limits", 0, 0, List.of(), java.util.Map.of());
        try (LocalRuntime runtime = LocalRuntime.start(options, LocalDynamo.shared())) {
            HttpResponse<String> overGateway = post(runtime.endpoint(), "/sized/event", "text/plain", new byte[10_485_761]);
            assertEquals(413, overGateway.statusCode());
            assertEquals("{\"__type\":\"InvalidRequestException\",\"Message\":\"HTTP content length exceeded 10485760 bytes.\"}",
                    overGateway.body());
            HttpResponse<String> atGateway = post(runtime.endpoint(), "/sized/event", "text/plain", new byte[10_485_760]);
            assertEquals(413, atGateway.statusCode());
            assertEquals("{\"__type\":\"InvalidRequestException\",\"Message\":\"Request Too Long\"}", atGateway.body());

            // What the proxy event adds to a body of 7 digits' length (the Content-Length header is in it twice).
            byte[] probe = "x".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII);
            int overhead = Integer.parseInt(post(runtime.endpoint(), "/sized/event", "text/plain", probe).body()) - probe.length;
            byte[] atLambda = "x".repeat(6_291_456 - overhead).getBytes(StandardCharsets.US_ASCII);
            HttpResponse<String> invoked = post(runtime.endpoint(), "/sized/event", "text/plain", atLambda);
            assertEquals(200, invoked.statusCode(), invoked.body());
            assertEquals("6291456", invoked.body(), "the event is exactly Lambda's limit");
            HttpResponse<String> overLambda = post(runtime.endpoint(), "/sized/event", "text/plain",
                    "x".repeat(atLambda.length + 1).getBytes(StandardCharsets.US_ASCII));
            assertEquals(413, overLambda.statusCode());
            assertEquals("{\"__type\":\"InvalidRequestException\",\"Message\":\"Request Too Long\"}", overLambda.body());
        }
    }

    @Test
    void aMalformedEscapeIsATypedBadRequest() throws Exception {
        // No HTTP client sends such a path: write the request by hand. The HTTP layer refuses it, as API Gateway's
        // front does, and the answer is the stack's DEFAULT_4XX gateway response, in the service's wire format.
        for (String path : List.of("instance/abc%zz", "instance/abc%", "instance/abc%2")) {
            String response = raw("POST " + V2 + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Content-Length: 2\r\n\r\n{}");
            assertTrue(response.startsWith("HTTP/1.1 400"), response);
            assertTrue(response.toLowerCase(java.util.Locale.ROOT).contains("x-amzn-errortype: invalidrequestexception"), response);
            assertTrue(response.endsWith("\"}") && response.contains("{\"__type\":\"InvalidRequestException\",\"Message\":\""), response);
        }
        // A well-formed escape of the same characters is served.
        assertTrue(raw("POST " + V2 + "instance/abc%25zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Length: 50\r\n\r\n{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"]}")
                .contains("Contact abc%zz was not found"));
    }

    private static String raw(String request) throws IOException {
        try (Socket socket = new Socket(RUNTIME.endpoint().getHost(), RUNTIME.endpoint().getPort())) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theInvokeApiRefusesPayloadsOverLambdasLimit() throws Exception {
        HttpResponse<String> response = post(RUNTIME.endpoint(), "/2015-03-31/functions/KinesisIngestFunction/invocations",
                ("\"" + "x".repeat(LocalRuntime.LAMBDA_REQUEST_LIMIT) + "\"").getBytes(StandardCharsets.UTF_8));
        assertEquals(413, response.statusCode());
        assertEquals("RequestEntityTooLargeException", response.headers().firstValue("x-amzn-ErrorType").orElse(null));
    }

    @Test
    void aFunctionResponseOverLambdasLimitIsAnIntegrationFailure() throws Exception {
        // The suites run from the project directory (as bin/start-api does).
        LocalRuntime.Options options = new LocalRuntime.Options(0, Path.of("src/local/test/resources/limits/template.yaml"),
                "rtca-limits", 0, 0, List.of(), java.util.Map.of());
        try (LocalRuntime runtime = LocalRuntime.start(options, LocalDynamo.shared())) {
            HttpResponse<String> under = post(runtime.endpoint(), "/sized/" + LocalRuntime.LAMBDA_RESPONSE_LIMIT, new byte[0]);
            assertEquals(200, under.statusCode(), "a response of exactly the limit goes through");
            HttpResponse<String> over = post(runtime.endpoint(), "/sized/" + (LocalRuntime.LAMBDA_RESPONSE_LIMIT + 1), new byte[0]);
            assertEquals(500, over.statusCode());
            assertEquals("InternalServiceException", over.headers().firstValue("X-Amzn-ErrorType").orElse(null));
            assertEquals("{\"__type\":\"InternalServiceException\",\"Message\":\"Internal server error\"}", over.body());
        }
    }
}
