package dev.rtca.api;

import static dev.rtca.api.ApiTestSupport.assertError;
import static dev.rtca.api.ApiTestSupport.quote;
import static dev.rtca.api.ApiTestSupport.v1Event;
import static dev.rtca.api.ApiTestSupport.v2Event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.rtca.fixtures.Access;
import dev.rtca.runtime.Wiring;
import dev.rtca.fixtures.Samples;
import dev.rtca.local.Handlers;
import dev.rtca.local.LocalDynamo;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.TokenCodec;
import dev.rtca.store.DynamoContactStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * DynamoDB failing under the handlers: throttling is the API's ThrottlingException (429, retryable by every
 * SDK); any other failure is a 500 InternalServiceException whose message tells nothing about the internals.
 */
class ThrottlingTest {
    private static final Duration RETENTION = Duration.ofHours(24);
    private static final DynamoDbClient REAL = LocalDynamo.shared().client();
    private static final String TABLE = ApiTestSupport.freshTable("rtca-throttling");
    private static final TokenCodec CODEC =
            new TokenCodec("throttling-test-key-0123456789abcdefgh".getBytes(StandardCharsets.UTF_8), RETENTION, Clock.systemUTC());
    private static final ContactKey VOICE = new ContactKey("instance-throttle", "voice");
    private static final ContactKey CHAT = new ContactKey("instance-throttle", "chat");
    /** Text planted in the injected failures; it must never reach the client. */
    private static final String SECRET = "SECRET-INTERNAL-DETAIL arn:aws:dynamodb:us-east-1:123456789012:table/" + TABLE;

    static {
        DynamoContactStore store = new DynamoContactStore(REAL, TABLE, RETENTION, Clock.systemUTC());
        store.append(VOICE, Channel.VOICE, OutputType.Raw, "v", List.of(Samples.v1Transcript(1)));
        store.append(CHAT, Channel.CHAT, OutputType.Raw, "c", List.of(Samples.v2Transcript(1, "AGENT")));
    }

    /** A DynamoDB client that throws {@code failure} from one operation and delegates everything else. */
    private static DynamoDbClient failing(String operation, Supplier<RuntimeException> failure, AtomicInteger calls) {
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(), new Class<?>[] {DynamoDbClient.class},
                (proxy, method, args) -> {
                    if (method.getName().endsWith("Paginator")) {
                        return InvocationHandler.invokeDefault(proxy, method, args); // a paginator's calls come back here
                    }
                    if (method.getName().equals(operation)) {
                        calls.incrementAndGet();
                        RuntimeException error = failure.get();
                        error.setStackTrace(new StackTraceElement[0]); // keeps the handler's error log short
                        throw error;
                    }
                    try {
                        return method.invoke(REAL, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static SegmentLister lister(DynamoDbClient client) {
        return new SegmentLister(new DynamoContactStore(client, TABLE, RETENTION, Clock.systemUTC()), CODEC);
    }

    private static APIGatewayProxyRequestEvent v1Request() {
        return v1Event("{\"InstanceId\":" + quote(VOICE.instanceId()) + ",\"ContactId\":" + quote(VOICE.contactId()) + "}");
    }

    private static APIGatewayProxyRequestEvent v2Request() {
        return v2Event(CHAT.instanceId(), CHAT.contactId(), "{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"]}");
    }

    private static DynamoDbException withCode(String code, int status) {
        return (DynamoDbException) DynamoDbException.builder().message(SECRET).statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(SECRET).serviceName("DynamoDb").build())
                .build();
    }

    record Failure(String operation, Supplier<RuntimeException> error) {
    }

    static Stream<Arguments> throttled() {
        List<Failure> failures = List.of(
                new Failure("getItem", () -> ProvisionedThroughputExceededException.builder().message(SECRET).build()),
                new Failure("query", () -> ProvisionedThroughputExceededException.builder().message(SECRET).build()),
                new Failure("getItem", () -> RequestLimitExceededException.builder().message(SECRET).build()),
                new Failure("query", () -> RequestLimitExceededException.builder().message(SECRET).build()),
                new Failure("getItem", () -> withCode("ThrottlingException", 400)),
                new Failure("query", () -> withCode("ThrottlingException", 400)));
        return cases(failures);
    }

    static Stream<Arguments> internal() {
        List<Failure> failures = List.of(
                new Failure("getItem", () -> withCode("InternalServerError", 500)),
                new Failure("query", () -> withCode("InternalServerError", 500)),
                new Failure("getItem", () -> ResourceNotFoundException.builder().message("Requested resource not found: " + SECRET).build()),
                new Failure("query", () -> withCode("ValidationException", 400)),
                new Failure("getItem", () -> SdkClientException.create("Unable to execute HTTP request: " + SECRET,
                        new java.net.ConnectException("Connection refused"))),
                new Failure("query", () -> new IllegalStateException(SECRET)),
                new Failure("getItem", () -> new NullPointerException(SECRET)));
        return cases(failures);
    }

    private static Stream<Arguments> cases(List<Failure> failures) {
        List<Arguments> out = new ArrayList<>();
        for (Failure f : failures) {
            String name = f.operation() + " throws " + f.error().get().getClass().getSimpleName();
            out.add(Arguments.of("V1 " + name, f, (Function<SegmentLister, RequestStreamHandler>) lister -> new ListSegmentsV1Handler(new Wiring.Reader(lister, Access.allowAll())), (Supplier<APIGatewayProxyRequestEvent>) ThrottlingTest::v1Request));
            out.add(Arguments.of("V2 " + name, f, (Function<SegmentLister, RequestStreamHandler>) lister -> new ListSegmentsV2Handler(new Wiring.Reader(lister, Access.allowAll())), (Supplier<APIGatewayProxyRequestEvent>) ThrottlingTest::v2Request));
        }
        return out.stream();
    }

    private static void assertNoLeak(String message) {
        for (String leak : List.of("SECRET", "arn:aws", "Exception", "software.amazon", "dev.rtca", "java.", "\tat ", "Caused by",
                "DynamoDb", "dynamodb", TABLE, "Connection refused", "Provisioned")) {
            assertFalse(message.contains(leak), () -> "message leaks '" + leak + "': " + message);
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("throttled")
    void throttlingIsA429ThrottlingException(String name, Failure failure,
                                             Function<SegmentLister, RequestStreamHandler> handler,
                                             Supplier<APIGatewayProxyRequestEvent> request) {
        AtomicInteger calls = new AtomicInteger();
        APIGatewayProxyRequestEvent event = request.get();

        APIGatewayProxyResponseEvent response = Handlers.api(
                handler.apply(lister(failing(failure.operation(), failure.error(), calls))), event);

        assertTrue(calls.get() > 0, "the failure was injected on " + failure.operation());
        String message = assertError(response, event, 429, "ThrottlingException");
        assertNoLeak(message);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("internal")
    void otherFailuresAreA500ThatLeaksNothing(String name, Failure failure,
                                              Function<SegmentLister, RequestStreamHandler> handler,
                                              Supplier<APIGatewayProxyRequestEvent> request) {
        AtomicInteger calls = new AtomicInteger();
        APIGatewayProxyRequestEvent event = request.get();

        APIGatewayProxyResponseEvent response = Handlers.api(
                handler.apply(lister(failing(failure.operation(), failure.error(), calls))), event);

        assertTrue(calls.get() > 0, "the failure was injected on " + failure.operation());
        String message = assertError(response, event, 500, "InternalServiceException");
        assertNoLeak(message);
        assertTrue(response.getBody().length() < 400, "no stack trace in the body: " + response.getBody());
    }

    @Test
    void theSameRequestsSucceedWithoutInjectedFailures() {
        AtomicInteger calls = new AtomicInteger();
        DynamoDbClient healthy = failing("deleteTable", () -> new IllegalStateException("never"), calls);
        APIGatewayProxyResponseEvent v1 = Handlers.api(new ListSegmentsV1Handler(new Wiring.Reader(lister(healthy), Access.allowAll())), v1Request());
        APIGatewayProxyResponseEvent v2 = Handlers.api(new ListSegmentsV2Handler(new Wiring.Reader(lister(healthy), Access.allowAll())), v2Request());
        assertEquals(200, v1.getStatusCode(), v1.getBody());
        assertEquals(200, v2.getStatusCode(), v2.getBody());
        assertEquals(1, ApiTestSupport.body(v1).path("Segments").size());
        assertEquals(1, ApiTestSupport.body(v2).path("Segments").size());
        // The error types stay distinct from DynamoDB's own ResourceNotFoundException: an unknown contact is the API's 404.
        APIGatewayProxyRequestEvent unknown = v2Event(CHAT.instanceId(), "missing", "{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Event\"]}");
        assertError(Handlers.api(new ListSegmentsV2Handler(new Wiring.Reader(lister(healthy), Access.allowAll())), unknown), unknown, 404, "ResourceNotFoundException");
        assertEquals(Set.of(), Set.copyOf(ApiTestSupport.nulls(ApiTestSupport.body(v2))));
    }
}
