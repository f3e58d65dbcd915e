package dev.rtca.runtime;

import dev.rtca.access.Deployment;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * What a function needs to know about its deployment, read once from its environment (the variables
 * template.yaml sets). The local runtime builds the same object from its own values.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><td>{@code TABLE_NAME}</td><td>the DynamoDB table (required)</td></tr>
 *   <tr><td>{@code TOKEN_SECRET_ID}</td><td>the Secrets Manager secret holding the NextToken keys (required by the list
 *       functions)</td></tr>
 *   <tr><td>{@code RETENTION_HOURS}</td><td>TTL of contacts, segments and ingest markers, and NextToken lifetime (24)</td></tr>
 *   <tr><td>{@code AWS_REGION}</td><td>the DynamoDB client's region (set by Lambda)</td></tr>
 *   <tr><td>{@code DYNAMODB_ENDPOINT}</td><td>a DynamoDB endpoint override, e.g. DynamoDB Local (unset)</td></tr>
 *   <tr><td>{@code SECRETS_MANAGER_ENDPOINT}</td><td>a Secrets Manager endpoint override, e.g. LocalStack (unset)</td></tr>
 *   <tr><td>{@code WEBSOCKET_ENDPOINT}</td><td>the WebSocket API's connection management endpoint,
 *       {@code https://{api}.execute-api.{region}.amazonaws.com/{stage}} (required by the push functions)</td></tr>
 *   <tr><td>{@code ACCOUNT_ID}, {@code PARTITION}</td><td>the deployment's account and partition, which contact ARNs
 *       name (required by the list functions)</td></tr>
 * </table>
 */
public final class Config {
    public static final String TABLE_NAME = "TABLE_NAME";
    public static final String TOKEN_SECRET_ID = "TOKEN_SECRET_ID";
    public static final String RETENTION_HOURS = "RETENTION_HOURS";
    public static final String AWS_REGION = "AWS_REGION";
    public static final String DYNAMODB_ENDPOINT = "DYNAMODB_ENDPOINT";
    public static final String SECRETS_MANAGER_ENDPOINT = "SECRETS_MANAGER_ENDPOINT";
    public static final String WEBSOCKET_ENDPOINT = "WEBSOCKET_ENDPOINT";
    public static final String ACCOUNT_ID = "ACCOUNT_ID";
    public static final String PARTITION = "PARTITION";

    private final Map<String, String> environment;
    private final AwsCredentialsProvider credentials;
    private final Clock clock;

    private Config(Map<String, String> environment, AwsCredentialsProvider credentials, Clock clock) {
        this.environment = Map.copyOf(environment);
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The function's configuration: Lambda's environment, the credentials Lambda puts there, the system clock. */
    public static Config fromEnvironment(Map<String, String> environment) {
        return new Config(environment, EnvironmentVariableCredentialsProvider.create(), Clock.systemUTC());
    }

    /** The same configuration with one variable set to another value. */
    public Config withEnvironment(String name, String value) {
        Map<String, String> changed = new java.util.HashMap<>(environment);
        changed.put(name, value);
        return new Config(changed, credentials, clock);
    }

    /** The same configuration with other AWS credentials (the local runtime's). */
    public Config withCredentials(AwsCredentialsProvider provider) {
        return new Config(environment, provider, clock);
    }

    /**
     * The same configuration with another clock: the tests' way to see the lifetimes and periods the functions keep
     * (a NextToken's, an item's TTL, a cached policy's) as the functions are wired, without waiting for them.
     */
    public Config withClock(Clock other) {
        return new Config(environment, credentials, other);
    }

    /** The clock every collaborator {@link Wiring} builds reads (the system's, in UTC, unless a test sets one). */
    public Clock clock() {
        return clock;
    }

    public String tableName() {
        return require(TABLE_NAME);
    }

    public Region region() {
        return Region.of(get(AWS_REGION).orElse("us-east-1"));
    }

    public Optional<URI> dynamoEndpoint() {
        return get(DYNAMODB_ENDPOINT).map(URI::create);
    }

    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    /** How long contacts, segments and markers are kept (TTL), and how long a NextToken stays valid. */
    public Duration retention() {
        String value = get(RETENTION_HOURS).orElse("24");
        long hours;
        try {
            hours = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(RETENTION_HOURS + " must be a whole number of hours, was '" + value + "'");
        }
        if (hours < 1) {
            throw new IllegalStateException(RETENTION_HOURS + " must be at least 1, was " + hours);
        }
        return Duration.ofHours(hours);
    }

    /** Where the API is deployed: the partition, region and account its contact ARNs name. */
    public Deployment deployment() {
        return new Deployment(get(PARTITION).orElse("aws"), region().id(), require(ACCOUNT_ID));
    }

    /** The secret (name or ARN) whose AWSCURRENT and AWSPREVIOUS versions are the NextToken keys. */
    public String tokenSecretId() {
        return require(TOKEN_SECRET_ID);
    }

    /** Where the push functions post frames to connections (API Gateway's management API for the WebSocket stage). */
    public URI websocketEndpoint() {
        return URI.create(require(WEBSOCKET_ENDPOINT));
    }

    public Optional<URI> secretsManagerEndpoint() {
        return get(SECRETS_MANAGER_ENDPOINT).map(URI::create);
    }

    private Optional<String> get(String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private String require(String name) {
        return get(name).orElseThrow(() -> new IllegalStateException("environment variable " + name + " is not set"));
    }
}
