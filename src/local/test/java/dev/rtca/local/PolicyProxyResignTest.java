package dev.rtca.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A function's call through its policy proxy to an external endpoint is signed again, validly, for that endpoint's
 * credentials and region (which DynamoDB checks and DynamoDB Local does not): the endpoint here records the request,
 * and the local runtime's SigV4 verifier, scoped to the dynamodb service, checks it.
 */
class PolicyProxyResignTest {
    private static final SigV4.Credential EXTERNAL = new SigV4.Credential("AKIDEXTERNAL", "external-secret", "arn:aws:iam::111122223333:user/x");
    private final AtomicReference<SigV4.Request> received = new AtomicReference<>();
    private HttpServer endpoint;

    @BeforeEach
    void recordingEndpoint() throws IOException {
        endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        endpoint.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                received.set(new SigV4.Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), body));
                byte[] reply = "{}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
                exchange.sendResponseHeaders(200, reply.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply);
                }
            }
        });
        endpoint.start();
    }

    @AfterEach
    void stop() {
        endpoint.stop(0);
    }

    /** The request the endpoint got for a GetItem the function made through the proxy, signed with the local keys. */
    private SigV4.Request forwarded(PolicyProxy.Resign resign) {
        URI target = URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort());
        try (PolicyProxy proxy = PolicyProxy.start("ReaderFunction", Set.of("dynamodb:GetItem"), target, resign);
             DynamoDbClient function = LocalDynamo.client(proxy.endpoint())) {
            function.getItem(r -> r.tableName("rtca-external").key(Map.of("pk", AttributeValue.fromS("c#1"), "sk", AttributeValue.fromS("m"))));
        }
        return received.get();
    }

    @Test
    void aForwardedCallIsSignedForTheEndpointsCredentialsAndRegion() {
        SigV4.Request request = forwarded(new PolicyProxy.Resign(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(EXTERNAL.accessKeyId(), EXTERNAL.secretAccessKey())), Region.EU_WEST_1));
        SigV4.Result result = new SigV4(List.of(EXTERNAL), "eu-west-1", "dynamodb").verify(request, Instant.now());
        assertEquals(new SigV4.Verified(EXTERNAL), result);
    }

    @Test
    void withoutResigningTheCallKeepsTheLocalSignatureWhichTheEndpointsKeysDoNotVerify() {
        SigV4.Result result = new SigV4(List.of(EXTERNAL), "eu-west-1", "dynamodb").verify(forwarded(null), Instant.now());
        assertInstanceOf(SigV4.Refused.class, result);
    }
}
