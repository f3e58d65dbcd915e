package dev.rtca.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import dev.rtca.access.Deployment;
import dev.rtca.access.ListAuthorizer;
import dev.rtca.access.Policies;
import dev.rtca.ingest.Ingestor;
import dev.rtca.push.Pusher;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OpenTranscript;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.TokenCodec;
import dev.rtca.store.DynamoContactStore;
import dev.rtca.store.DynamoPolicyStore;
import dev.rtca.store.DynamoPushStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/**
 * Builds a function's collaborators from its {@link Config}, once per handler instance (a Lambda container
 * makes one, in its init phase, so a warm container and a SnapStart snapshot reuse them).
 */
public final class Wiring {
    /** How long a live function's call to DynamoDB or the management API may take, retries included. */
    public static final Duration LIVE_CALL_TIMEOUT = Duration.ofSeconds(5);

    /**
     * When a live function's work must end so that it can still answer (an Error frame, a batch failure): its
     * remaining time less one call that hangs until {@link #LIVE_CALL_TIMEOUT} and a second for the answer.
     */
    public static Instant liveDeadline(Context context) {
        return Instant.now().plusMillis(context.getRemainingTimeInMillis()).minus(LIVE_CALL_TIMEOUT).minusSeconds(1);
    }

    private Wiring() {
    }

    /**
     * An SDK client builder with everything explicit (region, credentials provider, the one HTTP client on the
     * classpath), so nothing is discovered by scanning the classpath or walking a provider chain at cold start.
     */
    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B explicit(B builder, Config config) {
        return builder.httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(5)).build())
                .region(config.region())
                .credentialsProvider(config.credentials());
    }

    /**
     * A live function's calls give up after {@link #LIVE_CALL_TIMEOUT}, retries included, and retry as the SDK's
     * standard mode does (three attempts, not DynamoDB's default ten), so that a message whose handling fails is still
     * answered with an Error frame before the function's own timeout, throttling told as throttling.
     */
    private static void answerable(ClientOverrideConfiguration.Builder override) {
        override.apiCallTimeout(LIVE_CALL_TIMEOUT).retryStrategy(RetryMode.STANDARD);
    }

    public static DynamoDbClient dynamo(Config config) {
        return dynamo(explicit(DynamoDbClient.builder(), config), config);
    }

    private static DynamoDbClient dynamo(DynamoDbClientBuilder builder, Config config) {
        config.dynamoEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public static SecretsManagerClient secretsManager(Config config) {
        SecretsManagerClientBuilder builder = explicit(SecretsManagerClient.builder(), config);
        config.secretsManagerEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public static DynamoContactStore store(Config config) {
        return new DynamoContactStore(dynamo(config), config.tableName(), config.retention(), config.clock());
    }

    /** What the list and push functions read with: one DynamoDB client, the NextToken codec, the contact store. */
    private record Reading(DynamoDbClient dynamo, TokenCodec tokens, DynamoContactStore store) {
        static Reading of(Config config) {
            return of(config, Wiring.dynamo(config));
        }

        static Reading of(Config config, DynamoDbClient dynamo) {
            SecretTokenKeys keys = SecretTokenKeys.register(() -> secretsManager(config), config.tokenSecretId(), config.clock());
            keys.prefetch(); // read while the first request reads DynamoDB
            return new Reading(dynamo, new TokenCodec(keys, config.retention(), config.clock()),
                    new DynamoContactStore(dynamo, config.tableName(), config.retention(), config.clock()));
        }
    }

    /**
     * What a push function works with: the pusher, and what the table's stream records name in the store's key
     * encoding (the contact of a partition key, the streams a sort key's change touches).
     */
    public record Live(Pusher pusher, Function<String, Optional<ContactKey>> contactOf,
                       Function<String, Set<OutputType>> streamsChangedBy,
                       Function<String, Optional<OpenTranscript>> openTranscriptChangedBy) {
    }

    public static Live live(Config config) {
        Reading reading = Reading.of(config, dynamo(explicit(DynamoDbClient.builder(), config)
                .overrideConfiguration(Wiring::answerable), config));
        ApiGatewayManagementApiClient management = explicit(ApiGatewayManagementApiClient.builder(), config)
                .endpointOverride(config.websocketEndpoint())
                .overrideConfiguration(Wiring::answerable)
                .build();
        Pusher pusher = new Pusher(new SegmentLister(reading.store(), reading.tokens()), reading.tokens(),
                authorizer(config, reading.dynamo()), new DynamoPushStore(reading.dynamo(), config.tableName(), config.clock()),
                new ManagementApiConnections(management), reading.store()::utterances);
        return new Live(pusher, reading.store()::contactOf, DynamoContactStore::streamsChangedBy,
                DynamoContactStore::openTranscriptChangedBy);
    }

    /** What a list function reads with: the lister and the authorizer, over one DynamoDB client. */
    public record Reader(SegmentLister lister, ListAuthorizer authorizer) {
    }

    public static Reader reader(Config config) {
        Reading reading = Reading.of(config);
        return new Reader(new SegmentLister(reading.store(), reading.tokens()), authorizer(config, reading.dynamo()));
    }

    /** The list operations' authorizer: the policies stored in the table, cached, and the deployment's default. */
    public static ListAuthorizer authorizer(Config config, DynamoDbClient dynamo) {
        Deployment deployment = config.deployment();
        Policies policies = new Policies(new DynamoPolicyStore(dynamo, config.tableName()), deployment,
                config.clock(), (key, reason) -> Log.warn("invalid policy document: it allows nothing", "policy", key,
                "reason", reason));
        return new ListAuthorizer(policies, deployment);
    }

    public static Ingestor ingestor(Config config) {
        return new Ingestor(store(config));
    }
}
