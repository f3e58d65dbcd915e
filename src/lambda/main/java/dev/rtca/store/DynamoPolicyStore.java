package dev.rtca.store;

import dev.rtca.access.PolicyStore;
import java.util.Optional;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Authorization policy documents, one item each in the segments table ({@link PolicyItem}): {@code pk = P#<principal
 * ARN>} (or {@code P#default}), {@code sk = POLICY}, {@code document} = the JSON policy. The list functions only read
 * them (their IAM policy allows GetItem); an administrator writes them with {@code aws dynamodb put-item} (README), the
 * local runtime with {@link #put}.
 */
public final class DynamoPolicyStore implements PolicyStore {
    static final String PREFIX = "P#";
    static final String SORT_KEY = "POLICY";
    static final String DOCUMENT = "document";

    private final DynamoDbClient client;
    private final String table;

    public DynamoPolicyStore(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    @Override
    public Optional<String> document(String key) {
        // Throttling is told as such (the caller answers ThrottlingException), any other failure as a failed read.
        GetItemResponse response = DynamoContactStore.guard(() -> client.getItem(r -> r.tableName(table).key(key(key))
                .consistentRead(true)));
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.ofNullable(PolicyItem.SCHEMA.mapToItem(response.item()).document()) : Optional.empty();
    }

    /** Stores (replaces) a principal's policy document; {@code key} is a principal ARN or {@value PolicyStore#DEFAULT}. */
    public void put(String key, String document) {
        Map<String, AttributeValue> item = PolicyItem.SCHEMA.itemToMap(new PolicyItem(PREFIX + key, SORT_KEY, document), true);
        client.putItem(r -> r.tableName(table).item(item));
    }

    private static Map<String, AttributeValue> key(String key) {
        return Keys.primaryKey(PREFIX + key, SORT_KEY);
    }
}
