package dev.rtca.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtca.local.LocalDynamo;
import dev.rtca.local.LocalSecrets;
import dev.rtca.runtime.Config;
import dev.rtca.store.DynamoPolicyStore;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The deployed artifact, run: every handler of template.yaml started from {@code target/rtca-segments-lambda.jar} alone
 * in a JVM of its own, as the Lambda runtime starts it (no-arg constructor, the function's environment, the event as
 * a stream), through its success and failure paths, against DynamoDB Local and the local Secrets Manager. What the
 * shade plugin leaves out of the jar must never be something a function loads.
 */
class LambdaArtifactTest {
    private static final Path JAR = Path.of("target/rtca-segments-lambda.jar");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "rtca-artifact";
    private static final String PRINCIPAL = "arn:aws:iam::123456789012:user/artifact";
    private static LocalSecrets secrets;
    private static String secret;
    /** Invoke.java compiled against the artifact alone (so it sees nothing else). */
    private static Path invoker;

    @BeforeAll
    static void stack() {
        assertTrue(Files.exists(JAR), JAR + " is built by ./mvnw package (verify builds it before these tests)");
        try {
            invoker = Files.createTempDirectory("rtca-invoke");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int compiled = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-cp", JAR.toString(),
                "-d", invoker.toString(), "src/local/test/resources/artifact/Invoke.java");
        assertEquals(0, compiled, "Invoke.java compiles against the artifact");
        LocalDynamo.shared().table(TABLE);
        try (DynamoDbClient client = LocalDynamo.shared().client()) {
            new DynamoPolicyStore(client, TABLE).put(PRINCIPAL,
                    "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"}]}");
        }
        secrets = LocalSecrets.start("us-east-1", "123456789012");
        secret = secrets.createTokenKeySecret("rtca-artifact-key", event -> invoke("dev.rtca.rotation.TokenKeyRotationHandler",
                new String(event, StandardCharsets.UTF_8), environment()));
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(Map.of(Config.TABLE_NAME, TABLE, Config.AWS_REGION, "us-east-1",
                Config.DYNAMODB_ENDPOINT, LocalDynamo.shared().endpoint().toString(),
                Config.SECRETS_MANAGER_ENDPOINT, secrets.endpoint().toString(), Config.TOKEN_SECRET_ID, secret,
                Config.ACCOUNT_ID, "123456789012", Config.PARTITION, "aws",
                "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local"));
        env.put(Config.WEBSOCKET_ENDPOINT, dev.rtca.local.TestRuntime.shared().endpoint() + "/live");
        return env;
    }

    /** Runs one handler from the artifact; its stdout's last line is the response. */
    private static String invoke(String handler, String event, Map<String, String> environment) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", JAR + File.pathSeparator + invoker, "Invoke", handler);
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", ""));
        Process process = builder.start();
        process.getOutputStream().write(event.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), handler + " did not end");
        assertEquals(0, process.exitValue(), handler + " failed:\n" + err + out);
        assertTrue(!err.contains("NoClassDefFoundError") && !err.contains("ClassNotFoundException"), err);
        List<String> lines = out.lines().filter(l -> !l.startsWith("{\"level\"")).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static String envelopes(String sample) throws IOException {
        return Files.readString(Path.of("events", sample));
    }

    @Test
    void everyFunctionRunsFromTheArtifactThroughItsPaths() throws Exception {
        // The writers, with the sample events (Kinesis, SQS, EventBridge): they store the demo contacts.
        for (String[] writer : new String[][] {
                {"dev.rtca.writers.KinesisIngestHandler", "kinesis-chat-stream.json"},
                {"dev.rtca.writers.KinesisIngestHandler", "kinesis-voice-stream.json"},
                {"dev.rtca.writers.SqsIngestHandler", "sqs-analysis-job.json"},
                {"dev.rtca.writers.EventBridgeIngestHandler", "eventbridge-analysis-job.json"}}) {
            String response = invoke(writer[0], envelopes(writer[1]), environment());
            assertTrue(!response.contains("\"itemIdentifier\""), writer[1] + ": " + response);
        }
        // A poison record: reported, not thrown.
        JsonNode poisoned = JSON.readTree(invoke("dev.rtca.writers.SqsIngestHandler",
                envelopes("sqs-analysis-job.json").replace("\\\"Version\\\":\\\"2.0.0\\\"", "\\\"Version\\\":\\\"9\\\""), environment()));
        assertTrue(poisoned.path("batchItemFailures").size() > 0, poisoned.toString());

        // The readers: a page, the next page with its token, a missing contact, a bad request.
        String v2 = "dev.rtca.api.ListSegmentsV2Handler";
        JsonNode page = JSON.readTree(invoke(v2, v2Event("a1b2c3d4-5678-90ab-cdef-EXAMPLE33333", "{\"OutputType\":\"Raw\","
                + "\"SegmentTypes\":[\"Transcript\",\"Event\"],\"MaxResults\":1}"), environment()));
        assertEquals(200, page.path("statusCode").asInt(), page.toString());
        String token = JSON.readTree(page.path("body").asText()).path("NextToken").asText();
        JsonNode next = JSON.readTree(invoke(v2, v2Event("a1b2c3d4-5678-90ab-cdef-EXAMPLE33333", "{\"OutputType\":\"Raw\","
                + "\"SegmentTypes\":[\"Transcript\",\"Event\"],\"MaxResults\":1,\"NextToken\":\"" + token + "\"}"), environment()));
        assertEquals(200, next.path("statusCode").asInt(), next.toString());
        assertEquals(404, JSON.readTree(invoke(v2, v2Event("nobody", "{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"]}"),
                environment())).path("statusCode").asInt());
        assertEquals(400, JSON.readTree(invoke(v2, v2Event("x", "{\"OutputType\":\"Cooked\"}"), environment())).path("statusCode").asInt());
        JsonNode v1 = JSON.readTree(invoke("dev.rtca.api.ListSegmentsV1Handler", v1Event("{\"InstanceId\":"
                + "\"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111\",\"ContactId\":\"a1b2c3d4-5678-90ab-cdef-EXAMPLE22222\"}"), environment()));
        assertEquals(200, v1.path("statusCode").asInt(), v1.toString());

        // DynamoDB unreachable: the service's internal error, not a crash.
        Map<String, String> down = environment();
        down.put(Config.DYNAMODB_ENDPOINT, "http://127.0.0.1:9");
        JsonNode failed = JSON.readTree(invoke(v2, v2Event("c", "{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"]}"), down));
        assertEquals(500, failed.path("statusCode").asInt(), failed.toString());

        // The live API's functions: a connection, a subscription whose connection the management API no longer knows
        // (410: it is forgotten), and a fan-out of the demo chat contact from its table stream's keys.
        String live = "dev.rtca.live.WebSocketHandler";
        assertEquals(200, JSON.readTree(invoke(live, webSocketEvent("$connect", null), environment())).path("statusCode").asInt());
        assertEquals(200, JSON.readTree(invoke(live, webSocketEvent("subscribe", "{\"action\":\"subscribe\",\"InstanceId\":"
                + "\"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111\",\"ContactId\":\"a1b2c3d4-5678-90ab-cdef-EXAMPLE33333\","
                + "\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"]}"), environment())).path("statusCode").asInt());
        assertEquals(200, JSON.readTree(invoke(live, webSocketEvent("$disconnect", null), environment())).path("statusCode").asInt());
        JsonNode fannedOut = JSON.readTree(invoke("dev.rtca.live.FanOutHandler", "{\"Records\":[{\"eventName\":\"INSERT\","
                + "\"dynamodb\":{\"Keys\":{\"pk\":{\"S\":\"C#36#a1b2c3d4-5678-90ab-cdef-EXAMPLE11111#"
                + "a1b2c3d4-5678-90ab-cdef-EXAMPLE33333\"},\"sk\":{\"S\":\"S#Raw#000000000000\"}},\"SequenceNumber\":\"1\"}}]}",
                environment()));
        assertEquals(0, fannedOut.path("batchItemFailures").size(), fannedOut.toString());

        // The rotation function, as Secrets Manager runs it (its four steps), from the artifact.
        try (var client = software.amazon.awssdk.services.secretsmanager.SecretsManagerClient.builder()
                .endpointOverride(secrets.endpoint()).region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local"))).build()) {
            String before = client.getSecretValue(r -> r.secretId(secret)).versionId();
            String after = client.rotateSecret(r -> r.secretId(secret)).versionId();
            assertTrue(!before.equals(after) && after.equals(client.getSecretValue(r -> r.secretId(secret)).versionId()));
        }
    }

    private static String v2Event(String contact, String body) throws IOException {
        return JSON.writeValueAsString(Map.of("httpMethod", "POST", "body", body,
                "pathParameters", Map.of("InstanceId", "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", "ContactId", contact),
                "requestContext", Map.of("requestId", "artifact", "identity", Map.of("userArn", PRINCIPAL))));
    }

    private static String webSocketEvent(String route, String body) throws IOException {
        Map<String, Object> event = new HashMap<>(Map.of("requestContext", Map.of("routeKey", route, "connectionId", "artifact-connection",
                "identity", Map.of("userArn", PRINCIPAL))));
        if (body != null) {
            event.put("body", body);
        }
        return JSON.writeValueAsString(event);
    }

    private static String v1Event(String body) throws IOException {
        return JSON.writeValueAsString(Map.of("httpMethod", "POST", "body", body,
                "requestContext", Map.of("requestId", "artifact", "identity", Map.of("userArn", PRINCIPAL))));
    }
}
