package dev.rtca.runtime;

import dev.rtca.access.Deployment;
import dev.rtca.access.ListAuthorizer;
import dev.rtca.access.Policies;
import dev.rtca.ingest.Ingestor;
import dev.rtca.push.Connections;
import dev.rtca.push.Pusher;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.TokenCodec;
import dev.rtca.store.DynamoContactStore;
import dev.rtca.store.DynamoPolicyStore;
import dev.rtca.store.DynamoPushStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
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
    private Wiring() {
    }

    /**
     * A DynamoDB client with everything explicit (region, credentials provider, the one HTTP client on the
     * classpath), so nothing is discovered by scanning the classpath or walking a provider chain at cold start.
     */
    public static DynamoDbClient dynamo(Config config) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(5)).build())
                .region(config.region())
                .credentialsProvider(config.credentials());
        config.dynamoEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** A Secrets Manager client, as explicit as the DynamoDB one. */
    public static SecretsManagerClient secretsManager(Config config) {
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(5)).build())
                .region(config.region())
                .credentialsProvider(config.credentials());
        config.secretsManagerEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public static DynamoContactStore store(Config config) {
        return new DynamoContactStore(dynamo(config), config.tableName(), config.retention(), Clock.systemUTC());
    }

    /** What a push function works with: the pusher, the connections it posts to, and the table's contact keys. */
    public record Live(Pusher pusher, Connections connections, Function<String, Optional<ContactKey>> contactOf) {
    }

    public static Live live(Config config) {
        DynamoDbClient dynamo = dynamo(config);
        SecretTokenKeys keys = SecretTokenKeys.register(() -> secretsManager(config), config.tokenSecretId(), Clock.systemUTC());
        keys.prefetch();
        TokenCodec tokens = new TokenCodec(keys, config.retention(), Clock.systemUTC());
        DynamoContactStore store = new DynamoContactStore(dynamo, config.tableName(), config.retention(), Clock.systemUTC());
        ApiGatewayManagementApiClient management = ApiGatewayManagementApiClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(5)).build())
                .region(config.region())
                .credentialsProvider(config.credentials())
                .endpointOverride(config.websocketEndpoint())
                .build();
        Connections connections = new ManagementApiConnections(management);
        Pusher pusher = new Pusher(new SegmentLister(store, tokens), tokens, authorizer(config, dynamo),
                new DynamoPushStore(dynamo, config.tableName(), Clock.systemUTC()), connections);
        return new Live(pusher, connections, store::contactOf);
    }

    /** What a list function reads with: the lister and the authorizer, over one DynamoDB client. */
    public record Reader(SegmentLister lister, ListAuthorizer authorizer) {
    }

    public static Reader reader(Config config) {
        DynamoDbClient dynamo = dynamo(config);
        SecretTokenKeys keys = SecretTokenKeys.register(() -> secretsManager(config), config.tokenSecretId(), Clock.systemUTC());
        keys.prefetch(); // read while the first request reads DynamoDB
        SegmentLister lister = new SegmentLister(new DynamoContactStore(dynamo, config.tableName(), config.retention(),
                Clock.systemUTC()), new TokenCodec(keys, config.retention(), Clock.systemUTC()));
        return new Reader(lister, authorizer(config, dynamo));
    }

    /** The list operations' authorizer: the policies stored in the table, cached, and the deployment's default. */
    public static ListAuthorizer authorizer(Config config, DynamoDbClient dynamo) {
        Deployment deployment = config.deployment();
        Policies policies = new Policies(new DynamoPolicyStore(dynamo, config.tableName()), deployment,
                Clock.systemUTC(), (key, reason) -> Log.warn("invalid policy document: it allows nothing", "policy", key,
                "reason", reason));
        return new ListAuthorizer(policies, deployment);
    }

    public static Ingestor ingestor(Config config) {
        return new Ingestor(store(config));
    }
}
