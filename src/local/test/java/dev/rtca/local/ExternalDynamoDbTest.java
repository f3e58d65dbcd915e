package dev.rtca.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.fixtures.Envelopes;
import dev.rtca.ingest.Batches;
import dev.rtca.live.LiveClient;
import dev.rtca.segments.ContactKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.connectcontactlens.ConnectContactLensClient;
import software.amazon.awssdk.services.connectcontactlens.model.RealtimeContactAnalysisSegment;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * {@code bin/start-api --dynamodb-endpoint URL}: the local API (its main class, in a JVM of its own, as the script runs
 * it) over a DynamoDB it did not start, here a DynamoDB Local server of its own on another port. The endpoint's
 * credentials and region come from the environment, and are not the local ones the functions sign with: DynamoDB Local
 * keeps a database per access key and region, so every call must be signed again for the endpoint for the functions to
 * find the table at all.
 */
@Timeout(180)
class ExternalDynamoDbTest {
    private static final String ACCESS_KEY = "rtcaexternal";
    private static final String REGION = "eu-west-1";
    private static final String TABLE = "rtca-external";
    private static final String INSTANCE = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";
    private static final String VOICE_CONTACT = "a1b2c3d4-5678-90ab-cdef-EXAMPLE22222";
    private static final Pattern READY = Pattern.compile("Local API ready on (http://\\S+)");
    private static DynamoDBProxyServer server;
    private static URI endpoint;

    @BeforeAll
    static void startDynamoDbLocalOnItsOwnPort() throws Exception {
        int port = LocalDynamo.freePort();
        server = ServerRunner.createServerFromCommandLineArgs(
                new String[] {"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
        server.start();
        endpoint = URI.create("http://localhost:" + port);
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    /** A client of the external endpoint as the environment given to the local API reaches it. */
    private static DynamoDbClient client(String accessKey, String region) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "secret")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** The local API's main class in a JVM of its own, in the project directory, with the endpoint's environment. */
    private static final class Api implements AutoCloseable {
        final Process process;
        final List<String> output = new ArrayList<>();
        final CompletableFuture<URI> ready = new CompletableFuture<>();

        Api(String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(Jvm.java(), "-Xmx512m", "-XX:+UseSerialGC",
                    "--enable-native-access=ALL-UNNAMED", "-cp", Jvm.classpath(), LocalApi.class.getName()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
            builder.environment().putAll(Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", "secret",
                    "AWS_REGION", REGION));
            builder.environment().remove("PORT");
            process = builder.start();
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        synchronized (output) {
                            output.add(line);
                        }
                        Matcher ready = READY.matcher(line);
                        if (ready.find()) {
                            this.ready.complete(URI.create(ready.group(1)));
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
                ready.completeExceptionally(new AssertionError("the local API ended without being ready:\n" + output()));
            });
        }

        URI awaitReady() throws Exception {
            return ready.get(120, TimeUnit.SECONDS);
        }

        int awaitExit() throws InterruptedException {
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the local API did not end:\n" + output());
            return process.exitValue();
        }

        String output() {
            synchronized (output) {
                return String.join("\n", output);
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy(); // SIGTERM, as Ctrl-C: the runtime stops cleanly
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static final class Jvm {
        static String java() {
            return java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        }

        static String classpath() {
            return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        }
    }

    private static List<RealtimeContactAnalysisSegment> voiceSegments(URI api) {
        try (ConnectContactLensClient lens = TestRuntime.contactLens(api, "AKIDEXTERNAL", 1)) {
            return lens.listRealtimeContactAnalysisSegmentsPaginator(r -> r.instanceId(INSTANCE).contactId(VOICE_CONTACT))
                    .stream().flatMap(page -> page.segments().stream()).toList();
        }
    }

    /** Writes an envelope through the EventBridge writer, by the local API's Invoke API. */
    private static void write(URI api, ObjectNode envelope) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(api.resolve(
                            "/2015-03-31/functions/EventBridgeIngestFunction/invocations"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Envelopes.bytes(Batches.eventBridge(envelope)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.headers().firstValue("X-Amz-Function-Error").isEmpty(), response.body());
        }
    }

    @Test
    void createsTheTableOnTheEndpointServesFromItAndReusesItOnTheNextStart() throws Exception {
        List<RealtimeContactAnalysisSegment> first;
        try (Api api = new Api("--port", "0", "--dynamodb-endpoint", endpoint.toString(), "--table", TABLE)) {
            URI local = api.awaitReady();
            assertTrue(api.output().contains("DynamoDB: " + endpoint + " (region " + REGION + ", the environment's credentials), table "
                    + TABLE + " created"), api.output());

            // The table as template.yaml declares it, where the environment's credentials and region reach it.
            try (DynamoDbClient dynamo = client(ACCESS_KEY, REGION)) {
                TableDescription table = dynamo.describeTable(r -> r.tableName(TABLE)).table();
                assertEquals(List.of(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()), table.keySchema());
                assertEquals("KEYS_ONLY", table.streamSpecification().streamViewTypeAsString());
                assertEquals(TimeToLiveStatus.ENABLED, dynamo.describeTimeToLive(r -> r.tableName(TABLE))
                        .timeToLiveDescription().timeToLiveStatus());
            }
            try (DynamoDbClient other = client("local", "us-east-1")) {
                // Nothing went to the local credentials' database: the functions' calls were signed again.
                assertTrue(other.listTables().tableNames().isEmpty(), "tables under the local credentials");
            }

            // The demo contacts were written through the writers, and read back through the official SDK.
            first = voiceSegments(local);
            assertFalse(first.isEmpty(), "the demo voice contact's segments");

            // Live push: the fan-out reads the endpoint's stream, so a segment stored now is pushed to a subscriber.
            ContactKey contact = Envelopes.newContact();
            write(local, Envelopes.chat(contact, "STARTED", "Raw"));
            try (LiveClient live = LiveClient.connect(URI.create(local.toString().replace("http:", "ws:") + "/live"), Map.of())) {
                live.subscribe(contact.instanceId(), contact.contactId(), "Raw", List.of("Transcript"), null);
                assertEquals("Subscribed", live.next(Duration.ofSeconds(20)).path("Type").asText());
                write(local, Envelopes.chatSegments(contact, "Raw", Envelopes.v2Transcripts("external", 2)));
                live.awaitSegments(2, Duration.ofSeconds(20));
            }
        }

        try (Api again = new Api("--port", "0", "--empty", "--dynamodb-endpoint", endpoint.toString(), "--table", TABLE)) {
            URI local = again.awaitReady();
            assertTrue(again.output().contains("table " + TABLE + " (existing)"), again.output());
            assertEquals(first, voiceSegments(local), "the data of the first start, read on the second");
        }
    }

    @Test
    void anEndpointThatDoesNotAnswerIsAnErrorAndExitStatus1() throws Exception {
        try (Api api = new Api("--port", "0", "--empty", "--dynamodb-endpoint", "http://127.0.0.1:" + LocalDynamo.freePort())) {
            assertEquals(1, api.awaitExit(), api.output());
            assertTrue(api.output().contains("error: DynamoDB at http://127.0.0.1:"), api.output());
        }
    }

    @Test
    void aUrlThatIsNotAnHttpEndpointIsAnErrorAndExitStatus1() throws Exception {
        try (Api api = new Api("--dynamodb-endpoint", "localhost:8000")) {
            assertEquals(1, api.awaitExit(), api.output());
            assertTrue(api.output().contains("error: --dynamodb-endpoint: not an http:// or https:// URL of a host: localhost:8000"),
                    api.output());
        }
    }

    @Test
    void aTableThereWithoutAStreamIsAnErrorAndIsLeftAsItIs() throws Exception {
        try (DynamoDbClient dynamo = client(ACCESS_KEY, REGION)) {
            dynamo.createTable(r -> r.tableName("rtca-no-stream").billingMode("PAY_PER_REQUEST")
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("sk").attributeType(ScalarAttributeType.S)));
            try (Api api = new Api("--empty", "--port", "0", "--dynamodb-endpoint", endpoint.toString(), "--table", "rtca-no-stream")) {
                assertEquals(1, api.awaitExit(), api.output());
                assertTrue(api.output().contains("error: table rtca-no-stream has no stream"), api.output());
            }
            assertEquals(0, dynamo.scan(r -> r.tableName("rtca-no-stream")).count(), "nothing written to it");
        }
    }
}
