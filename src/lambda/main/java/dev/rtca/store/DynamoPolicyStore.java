package dev.rtca.store;

import dev.rtca.access.PolicyStore;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Authorization policy documents, one item each in the segments table ({@link PolicyItem}): {@code pk = P#<principal
 * ARN>} (or {@code P#default}), {@code sk = POLICY}, {@code document} = the JSON policy. The list functions only read
 * them (their IAM policy allows GetItem); an administrator writes them with {@code aws dynamodb put-item} (README), the
 * local runtime with {@link #put}. Read and written through a {@code DynamoDbTable} with {@link PolicyItem}'s schema.
 */
public final class DynamoPolicyStore implements PolicyStore {
    static final String PREFIX = "P#";
    static final String SORT_KEY = "POLICY";
    static final String DOCUMENT = "document";

    private final DynamoDbTable<PolicyItem> policies;

    public DynamoPolicyStore(DynamoDbClient client, String table) {
        this.policies = DynamoContactStore.enhanced(client).table(table, PolicyItem.SCHEMA);
    }

    @Override
    public Optional<String> document(String key) {
        // Throttling is told as such (the caller answers ThrottlingException), any other failure as a failed read.
        GetItemEnhancedRequest request = GetItemEnhancedRequest.builder().key(key(key)).consistentRead(true).build();
        PolicyItem item = DynamoContactStore.guard(() -> policies.getItem(request));
        return item == null ? Optional.empty() : Optional.ofNullable(item.document());
    }

    /** Stores (replaces) a principal's policy document; {@code key} is a principal ARN or {@value PolicyStore#DEFAULT}. */
    public void put(String key, String document) {
        policies.putItem(new PolicyItem(PREFIX + key, SORT_KEY, document));
    }

    private static Key key(String key) {
        return DynamoContactStore.key(PREFIX + key, SORT_KEY);
    }
}
