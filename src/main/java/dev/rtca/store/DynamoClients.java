package dev.rtca.store;

import dev.rtca.segments.Settings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Builds the DynamoDB client and store from the Lambda environment: explicit region, credentials provider
 * and HTTP client (no classpath scanning or provider chain at cold start). {@code DYNAMODB_ENDPOINT}
 * points it at DynamoDB Local or LocalStack.
 */
public final class DynamoClients {
    private DynamoClients() {
    }

    public static DynamoDbClient fromEnvironment() {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(5)).build())
                .region(Region.of(Settings.get("AWS_REGION").orElse("us-east-1")));
        var endpoint = Settings.get("DYNAMODB_ENDPOINT");
        if (endpoint.isPresent()) {
            builder.endpointOverride(URI.create(endpoint.get()))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        } else {
            builder.credentialsProvider(EnvironmentVariableCredentialsProvider.create());
        }
        return builder.build();
    }

    public static DynamoContactStore storeFromEnvironment() {
        return new DynamoContactStore(fromEnvironment(), Settings.require("TABLE_NAME"), Settings.retention(), Clock.systemUTC());
    }
}
