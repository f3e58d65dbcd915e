package dev.rtca.local;

import dev.rtca.store.DynamoContactStore;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Creates the table as template.yaml declares it (keys, TTL attribute, a keys-only stream), for the local runtime and
 * the integration tests, or checks the one already there.
 */
public final class Tables {
    private Tables() {
    }

    /**
     * Uses the table if it is there (checking it has the keys of the project's schema and a stream, which the live
     * API's fan-out reads), else creates it as {@link #create} does; true when it was created.
     *
     * @throws IllegalStateException when the table there has other keys or no stream
     */
    public static boolean ensure(DynamoDbClient client, String tableName) {
        TableDescription table;
        try {
            table = client.describeTable(r -> r.tableName(tableName)).table();
        } catch (ResourceNotFoundException missing) {
            create(client, tableName);
            return true;
        }
        List<String> keys = table.keySchema().stream().map(k -> k.attributeName() + " " + k.keyTypeAsString()).toList();
        List<String> types = table.attributeDefinitions().stream()
                .filter(a -> a.attributeName().equals("pk") || a.attributeName().equals("sk"))
                .map(a -> a.attributeName() + " " + a.attributeTypeAsString()).sorted().toList();
        if (!keys.equals(List.of("pk HASH", "sk RANGE")) || !types.equals(List.of("pk S", "sk S"))) {
            throw new IllegalStateException("table " + tableName + " has the keys " + keys + " " + types
                    + "; the functions need pk (string, partition key) and sk (string, sort key)");
        }
        if (table.latestStreamArn() == null || table.streamSpecification() == null
                || !Boolean.TRUE.equals(table.streamSpecification().streamEnabled())) {
            throw new IllegalStateException("table " + tableName + " has no stream, which the live API's fan-out reads:"
                    + " enable one (aws dynamodb update-table --table-name " + tableName
                    + " --stream-specification StreamEnabled=true,StreamViewType=KEYS_ONLY) or use another table");
        }
        return false;
    }

    public static void create(DynamoDbClient client, String tableName) {
        try {
            client.createTable(r -> r.tableName(tableName)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
                    .streamSpecification(stream -> stream.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY)));
            client.waiter().waitUntilTableExists(r -> r.tableName(tableName));
            client.updateTimeToLive(r -> r.tableName(tableName)
                    .timeToLiveSpecification(s -> s.attributeName(DynamoContactStore.TTL_ATTRIBUTE).enabled(true)));
        } catch (ResourceInUseException alreadyThere) {
            // created by an earlier run: nothing to do
        }
    }
}
