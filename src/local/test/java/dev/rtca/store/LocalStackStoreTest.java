package dev.rtca.store;

import dev.rtca.local.Tables;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The same store integration suite on LocalStack's DynamoDB, through Testcontainers. Without a Docker engine
 * JUnit reports the class as skipped. The tag is pinned below 4.15, the first to need an auth token.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackStoreTest extends StoreIntegrationTest {
    @Container
    static final LocalStackContainer LOCALSTACK =
            new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.0.3")).withServices("dynamodb");

    @BeforeAll
    static void createTable() {
        try (DynamoDbClient client = localstack()) {
            Tables.create(client, "rtca-store-it");
        }
    }

    private static DynamoDbClient localstack(ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder()
                .endpointOverride(LOCALSTACK.getEndpoint())
                .region(Region.of(LOCALSTACK.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> java.util.List.of(interceptors).forEach(c::addExecutionInterceptor))
                .build();
    }

    @Override
    DynamoDbClient client(ExecutionInterceptor... interceptors) {
        return localstack(interceptors);
    }

    @Override
    String table() {
        return "rtca-store-it";
    }
}
