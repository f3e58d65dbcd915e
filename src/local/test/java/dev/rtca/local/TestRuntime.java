package dev.rtca.local;

import dev.rtca.segments.ContactKey;
import dev.rtca.store.DynamoContactStore;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.connectcontactlens.ConnectContactLensClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One local runtime per test JVM (the handlers' static wiring is per JVM, as in a Lambda container), with
 * the official SDK clients pointed at it. Tests keep apart by using their own contact IDs.
 */
public final class TestRuntime {
    /** Any access key passes this runtime (it runs without --iam, as the README's first examples do). */
    public static final String ACCESS_KEY = "AKIDRTCALOCAL";

    private static TestRuntime shared;

    private final LocalDynamo dynamo;
    private final LocalRuntime runtime;

    private TestRuntime() {
        dynamo = LocalDynamo.shared();
        runtime = LocalRuntime.start(LocalRuntime.Options.defaults(0), dynamo);
    }

    public static synchronized TestRuntime shared() {
        if (shared == null) {
            shared = new TestRuntime();
        }
        return shared;
    }

    public LocalRuntime runtime() {
        return runtime;
    }

    public URI endpoint() {
        return runtime.endpoint();
    }

    /** A store on the same table the handlers use (the interceptors see its DynamoDB calls). */
    public DynamoContactStore store(ExecutionInterceptor... interceptors) {
        return new DynamoContactStore(LocalDynamo.client(dynamo.endpoint(), interceptors), runtime.config().tableName(),
                Duration.ofHours(24), Clock.systemUTC());
    }

    public ConnectClient connect() {
        return connect(ACCESS_KEY);
    }

    public ConnectClient connect(String accessKeyId) {
        return connect(endpoint(), accessKeyId, 3);
    }

    public ConnectContactLensClient contactLens() {
        return contactLens(ACCESS_KEY);
    }

    public ConnectContactLensClient contactLens(String accessKeyId) {
        return contactLens(endpoint(), accessKeyId, 3);
    }

    /** An official Connect client for {@code endpoint}; {@code maxAttempts} 1 shows errors the SDK would retry. */
    public static ConnectClient connect(URI endpoint, String accessKeyId, int maxAttempts) {
        return configure(ConnectClient.builder(), endpoint, accessKeyId, maxAttempts);
    }

    /** An official Contact Lens client for {@code endpoint}. */
    public static ConnectContactLensClient contactLens(URI endpoint, String accessKeyId, int maxAttempts) {
        return configure(ConnectContactLensClient.builder(), endpoint, accessKeyId, maxAttempts);
    }

    private static <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C configure(
            B builder, URI endpoint, String accessKeyId, int maxAttempts) {
        return builder.endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(maxAttempts)))
                .build();
    }

    /** A second runtime on the same table whose emulated stage allows one request, then throttles. */
    public LocalRuntime startThrottled() {
        return LocalRuntime.start(LocalRuntime.Options.defaults(0).withThrottle(0.001, 1), dynamo);
    }

    /** Overwrites the contact item with one no writer could produce (its channel is not a channel). */
    public void corruptContact(ContactKey key) {
        String table = runtime.config().tableName();
        try (DynamoDbClient client = dynamo.client()) {
            Map<String, AttributeValue> item = client.scan(r -> r.tableName(table)
                            .filterExpression("sk = :meta AND contains(pk, :contact) AND contains(pk, :instance)")
                            .expressionAttributeValues(Map.of(":meta", AttributeValue.fromS("META"),
                                    ":contact", AttributeValue.fromS(key.contactId()), ":instance", AttributeValue.fromS(key.instanceId()))))
                    .items().get(0);
            Map<String, AttributeValue> corrupt = new HashMap<>(item);
            corrupt.put("channel", AttributeValue.fromS("PIGEON"));
            client.putItem(r -> r.tableName(table).item(corrupt));
        }
    }
}
