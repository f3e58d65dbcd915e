package dev.rtca.local;

import dev.rtca.store.DynamoContactStore;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.connectcontactlens.ConnectContactLensClient;

/**
 * One local runtime per test JVM (the handlers' static wiring is per JVM, as in a Lambda container), with
 * the official SDK clients pointed at it. Tests keep apart by using their own contact IDs.
 */
public final class TestRuntime {
    /** The access key ID the emulated AWS_IAM authorizer accepts; any other is AccessDeniedException. */
    public static final String ACCESS_KEY = "AKIDRTCALOCAL";

    private static TestRuntime shared;

    private final LocalDynamo dynamo;
    private final LocalRuntime runtime;

    private TestRuntime() {
        dynamo = LocalDynamo.shared();
        runtime = LocalRuntime.start(new LocalRuntime.Options(0, java.nio.file.Path.of("template.yaml"), 0, 0,
                Set.of(ACCESS_KEY)), dynamo);
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

    /** A store on the same table the handlers use. */
    public DynamoContactStore store() {
        return new DynamoContactStore(dynamo.client(), System.getProperty("TABLE_NAME"), Duration.ofHours(24), Clock.systemUTC());
    }

    public ConnectClient connect() {
        return connect(ACCESS_KEY);
    }

    public ConnectClient connect(String accessKeyId) {
        return ConnectClient.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD))
                .build();
    }

    public ConnectContactLensClient contactLens() {
        return contactLens(ACCESS_KEY);
    }

    public ConnectContactLensClient contactLens(String accessKeyId) {
        return ConnectContactLensClient.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
