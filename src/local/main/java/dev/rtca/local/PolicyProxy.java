package dev.rtca.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.regions.Region;

/**
 * One function's DynamoDB endpoint in the local runtime: it lets through only the DynamoDB actions the function's
 * IAM policies in template.yaml allow, as IAM does for the deployed function, and forwards the rest to DynamoDB
 * Local unchanged (or, to an external endpoint, signed again: {@link Resign}). A refused call gets DynamoDB's
 * {@code AccessDeniedException}. It also records every action the
 * function used, so a test can hold the policies to exactly what the code calls.
 *
 * <p>Transactions are authorised per contained action, as IAM does: a {@code Put} inside TransactWriteItems
 * needs {@code dynamodb:PutItem}.
 */
public final class PolicyProxy implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "transfer-encoding",
            "expect", "upgrade", "keep-alive");

    /** The headers of a request's signature, replaced when it is signed again. */
    private static final Set<String> SIGNATURE = Set.of("authorization", "x-amz-date", "x-amz-security-token",
            "x-amz-content-sha256");

    /**
     * Signs each forwarded request again (SigV4, service dynamodb) with these credentials and region, for the
     * endpoint it goes to: the function signed it for this proxy with the local credentials.
     */
    public record Resign(AwsCredentialsProvider credentials, Region region) {
        Map<String, List<String>> sign(String method, URI target, Map<String, List<String>> headers, byte[] body) {
            SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(target);
            headers.forEach((name, values) -> {
                if (!SIGNATURE.contains(name.toLowerCase())) {
                    request.putHeader(name, values);
                }
            });
            return AwsV4HttpSigner.create().sign(r -> r.identity(credentials.resolveCredentials())
                            .request(request.build())
                            .payload(ContentStreamProvider.fromByteArray(body))
                            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "dynamodb")
                            .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()))
                    .request().headers();
        }
    }

    private final String function;
    private final Set<String> allowed;
    private final URI dynamo;
    private final Resign resign;
    private final Set<String> used = ConcurrentHashMap.newKeySet();
    /** Requests forwarded at once; more wait their turn (a function's calls are bounded by its concurrency anyway). */
    static final int THREADS = 16;
    private final ExecutorService executor = BoundedPool.of("dynamodb-policy", THREADS);
    private final ExecutorService responses = BoundedPool.of("dynamodb-policy-client", 2);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(responses).build();
    private final HttpServer server;

    private PolicyProxy(String function, Set<String> allowed, URI dynamo, Resign resign) throws IOException {
        this.function = function;
        this.allowed = Set.copyOf(allowed);
        this.dynamo = dynamo;
        this.resign = resign;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * @param allowed the {@code dynamodb:*} actions the function's policies allow (for example {@code dynamodb:GetItem})
     */
    public static PolicyProxy start(String function, Set<String> allowed, URI dynamo) {
        return start(function, allowed, dynamo, null);
    }

    /** @param resign how to sign forwarded requests again, or null to forward them as the function signed them */
    public static PolicyProxy start(String function, Set<String> allowed, URI dynamo, Resign resign) {
        try {
            return new PolicyProxy(function, allowed, dynamo, resign);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on a loopback port", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The actions the function has used so far (allowed or not). */
    public Set<String> used() {
        return Set.copyOf(used);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        responses.shutdownNow();
        http.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            for (String action : actions(target, body)) {
                used.add(action);
                if (!allowed.contains(action)) {
                    deny(exchange, action);
                    return;
                }
            }
            forward(exchange, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The IAM actions a DynamoDB request needs. */
    static List<String> actions(String target, byte[] body) throws IOException {
        String operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
        if (operation.equals("TransactWriteItems")) {
            List<String> actions = new ArrayList<>();
            for (JsonNode item : JSON.readTree(body).path("TransactItems")) {
                item.fieldNames().forEachRemaining(kind -> actions.add("dynamodb:" + switch (kind) {
                    case "Put" -> "PutItem";
                    case "Update" -> "UpdateItem";
                    case "Delete" -> "DeleteItem";
                    case "ConditionCheck" -> "ConditionCheckItem";
                    default -> kind;
                }));
            }
            return actions;
        }
        if (operation.equals("TransactGetItems")) {
            return List.of("dynamodb:GetItem");
        }
        return List.of("dynamodb:" + operation);
    }

    private void deny(HttpExchange exchange, String action) throws IOException {
        byte[] body = JSON.createObjectNode()
                .put("__type", "com.amazon.coral.service#AccessDeniedException")
                .put("Message", "User: arn:aws:sts::123456789012:assumed-role/" + function + "Role/" + function
                        + " is not authorized to perform: " + action
                        + " on resource: arn:aws:dynamodb:us-east-1:123456789012:table/* because no identity-based policy"
                        + " allows the " + action + " action")
                .toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
        exchange.getResponseHeaders().set("x-amzn-ErrorType", "AccessDeniedException:");
        exchange.sendResponseHeaders(400, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        URI target = dynamo.resolve(exchange.getRequestURI().getRawPath());
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                headers.put(name, values);
            }
        });
        (resign == null ? headers : resign.sign(exchange.getRequestMethod(), target, headers, body)).forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                values.forEach(value -> request.header(name, value));
            }
        });
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
        if (response.body().length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }
}
