package dev.rtca.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * The DynamoDB the local runtime uses: DynamoDB Local (the real engine, in memory) served over HTTP on a loopback port
 * inside this JVM, so the production client code talks to it exactly as it talks to DynamoDB; or any
 * DynamoDB-compatible endpoint already running ({@link #external}: LocalStack, another emulator, DynamoDB itself),
 * reached with the credentials and region of the environment.
 */
public final class LocalDynamo implements AutoCloseable {
    /** The credentials every client of the embedded engine signs with (DynamoDB Local checks none). */
    static final StaticCredentialsProvider LOCAL_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    /** DynamoDB's own endpoints name their region; DynamoDB Streams is served by streams.dynamodb.REGION.... */
    private static final Pattern AWS_HOST = Pattern.compile("dynamodb\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?");

    private final DynamoDBProxyServer server; // null: an endpoint this process did not start
    private final URI endpoint;
    private final URI streamsEndpoint;
    private final AwsCredentialsProvider credentials;
    private final Region region;

    private LocalDynamo(DynamoDBProxyServer server, URI endpoint, URI streamsEndpoint, AwsCredentialsProvider credentials,
                        Region region) {
        this.server = server;
        this.endpoint = endpoint;
        this.streamsEndpoint = streamsEndpoint;
        this.credentials = credentials;
        this.region = region;
    }

    public static LocalDynamo start() {
        try {
            int port = freePort();
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(
                    new String[] {"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
            server.start();
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            return new LocalDynamo(server, endpoint, endpoint, LOCAL_CREDENTIALS, Region.US_EAST_1);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start", e);
        }
    }

    /**
     * A DynamoDB-compatible endpoint already running, reached with the environment's credentials (the variables
     * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, the aws.* system properties, or the profile
     * AWS_PROFILE names in ~/.aws), or dummy ones when it has none (emulators check none), and the region of a
     * dynamodb.REGION.amazonaws.com URL, else AWS_REGION or AWS_DEFAULT_REGION, else us-east-1. Its streams are read
     * from the same endpoint (emulators serve both), or from streams.dynamodb.REGION... for DynamoDB's own.
     *
     * @throws IllegalArgumentException when {@code url} is not an http(s) URL of a host (with no path, query or fragment)
     */
    public static LocalDynamo external(String url) {
        URI endpoint = endpointUrl(url);
        Matcher aws = AWS_HOST.matcher(endpoint.getHost().toLowerCase(Locale.ROOT));
        Region region = aws.matches() ? Region.of(aws.group(1)) : Region.of(firstSet(
                System.getenv("AWS_REGION"), System.getenv("AWS_DEFAULT_REGION"), Region.US_EAST_1.id()));
        URI streams = aws.matches() ? URI.create(endpoint.getScheme() + "://streams." + endpoint.getRawAuthority()) : endpoint;
        AwsCredentialsProvider environment = AwsCredentialsProviderChain.builder().reuseLastProviderEnabled(true)
                .credentialsProviders(EnvironmentVariableCredentialsProvider.create(), SystemPropertyCredentialsProvider.create(),
                        ProfileCredentialsProvider.create())
                .build();
        AwsCredentialsProvider credentials;
        try {
            environment.resolveCredentials();
            credentials = environment;
        } catch (SdkException none) {
            credentials = LOCAL_CREDENTIALS;
        }
        return new LocalDynamo(null, endpoint, streams, credentials, region);
    }

    static URI endpointUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--dynamodb-endpoint: not a URL: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("--dynamodb-endpoint: not an http:// or https:// URL of a host: " + url
                    + " (for example http://localhost:4566)");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
            throw new IllegalArgumentException("--dynamodb-endpoint: give the endpoint's scheme, host and port only: " + url);
        }
        return URI.create(scheme + "://" + uri.getRawAuthority());
    }

    private static String firstSet(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        throw new IllegalStateException("no value");
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

    /** True for DynamoDB Local in this JVM, false for an {@link #external} endpoint. */
    public boolean embedded() {
        return server != null;
    }

    public Region region() {
        return region;
    }

    /** What the runtime says it runs on. */
    public String describe() {
        return embedded() ? "DynamoDB Local in this process (" + endpoint + ")"
                : endpoint + " (region " + region.id() + ", " + (credentials == LOCAL_CREDENTIALS
                        ? "dummy credentials: none in the environment" : "the environment's credentials") + ")";
    }

    /**
     * How a function's requests, signed for its policy proxy with the local credentials, are forwarded: unchanged to the
     * embedded engine; signed again with this endpoint's credentials and region for an external one, which may check
     * signatures (DynamoDB does) or keep data apart by access key and region (DynamoDB Local, LocalStack's accounts).
     */
    PolicyProxy.Resign resign() {
        return embedded() ? null : new PolicyProxy.Resign(credentials, region);
    }

    public DynamoDbClient client() {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    public DynamoDbStreamsClient streamsClient() {
        return DynamoDbStreamsClient.builder()
                .endpointOverride(streamsEndpoint)
                .region(region)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** A client for {@code endpoint} with local credentials, and the given interceptors (say, to record its calls). */
    public static DynamoDbClient client(URI endpoint, ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(LOCAL_CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> List.of(interceptors).forEach(c::addExecutionInterceptor))
                .build();
    }

    /** Creates (if needed) a table of the project's schema and returns its name. */
    public String table(String name) {
        open(name);
        return name;
    }

    /**
     * Creates the table of the project's schema (keys, keys-only stream, TTL) if it is missing, or checks that the one
     * there has the keys and a stream the runtime needs; true when it was created.
     *
     * @throws IllegalStateException when the endpoint does not answer as DynamoDB, or the table there does not fit
     */
    public boolean open(String name) {
        try (DynamoDbClient client = client()) {
            return Tables.ensure(client, name);
        } catch (SdkException e) {
            throw new IllegalStateException("DynamoDB at " + endpoint + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (server == null) {
            return; // not ours to stop
        }
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
