package dev.rtca.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local (the real engine, in memory) served over HTTP on a loopback port inside this JVM, so the
 * production client code talks to it exactly as it talks to DynamoDB.
 */
public final class LocalDynamo implements AutoCloseable {
    private final DynamoDBProxyServer server;
    private final URI endpoint;

    private LocalDynamo(DynamoDBProxyServer server, URI endpoint) {
        this.server = server;
        this.endpoint = endpoint;
    }

    public static LocalDynamo start() {
        try {
            int port = freePort();
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(
                    new String[] {"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
            server.start();
            return new LocalDynamo(server, URI.create("http://127.0.0.1:" + port));
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start", e);
        }
    }

    private static LocalDynamo shared;

    /** One server for the whole test JVM; tests keep apart by using their own contact IDs or tables. */
    public static synchronized LocalDynamo shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    public URI endpoint() {
        return endpoint;
    }

    public DynamoDbClient client() {
        return client(endpoint);
    }

    /** A client for {@code endpoint} with local credentials, and the given interceptors (say, to record its calls). */
    public static DynamoDbClient client(URI endpoint, ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> List.of(interceptors).forEach(c::addExecutionInterceptor))
                .build();
    }

    /** Creates (if needed) a table of the project's schema and returns its name. */
    public String table(String name) {
        try (DynamoDbClient client = client()) {
            Tables.create(client, name);
        }
        return name;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping is best effort at JVM exit
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
