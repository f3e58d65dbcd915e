package dev.rtca.store;

import dev.rtca.push.Cursor;
import dev.rtca.push.PushStore;
import dev.rtca.push.Subscription;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.SegmentType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Push delivery's items in the segments table:
 *
 * <ul>
 *   <li>a connection: {@code K#<connection ID>} / {@code CONNECTION}: the principal, the subscriptions it holds (to
 *       remove them when it goes), a TTL past API Gateway's two-hour connection limit;
 *   <li>a subscription: the contact's partition / {@code W#<stream>#<connection ID>}: the segment types and the
 *       principal, the same TTL;
 *   <li>a stream's fan-out cursor: the contact's partition / {@code PUSH#<stream>}: position and version.
 * </ul>
 *
 * Subscriptions live in the contact's partition, so the fan-out finds a contact's subscribers with one Query.
 */
public final class DynamoPushStore implements PushStore {
    /** API Gateway closes a WebSocket connection after two hours; its items outlive that, then TTL removes them. */
    static final Duration LIFETIME = Duration.ofHours(3);
    private static final String CONNECTION_SK = "CONNECTION";

    private final DynamoDbClient client;
    private final String table;
    private final Clock clock;

    public DynamoPushStore(DynamoDbClient client, String table, Clock clock) {
        this.client = client;
        this.table = table;
        this.clock = clock;
    }

    private static String connectionPk(String connectionId) {
        return "K#" + connectionId;
    }

    private static String cursorSk(OutputType stream) {
        return "PUSH#" + stream.name();
    }

    private static String subscriptionsPrefix(OutputType stream) {
        return "W#" + stream.name() + "#";
    }

    private static String subscriptionSk(OutputType stream, String connectionId) {
        return subscriptionsPrefix(stream) + connectionId;
    }

    /** The query for a stream's subscription items (all of them, page by page, or with a limit). */
    private QueryRequest.Builder subscriptions(QueryRequest.Builder query, ContactKey contact, OutputType stream) {
        return query.tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.partition(contact)),
                        ":prefix", AttributeValue.fromS(subscriptionsPrefix(stream))));
    }

    /** The connection's item (principal, subscriptions held); empty when it is gone. */
    private Map<String, AttributeValue> connection(String connectionId) {
        Map<String, AttributeValue> item = guard(() -> client.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Keys.primaryKey(connectionPk(connectionId), CONNECTION_SK)))).item();
        return item == null ? Map.of() : item;
    }

    private AttributeValue expiresAt() {
        return AttributeValue.fromN(Long.toString(clock.instant().plus(LIFETIME).getEpochSecond()));
    }

    @Override
    public void connect(String connectionId, String principal) {
        guard(() -> client.putItem(r -> r.tableName(table).item(Map.of(
                "pk", AttributeValue.fromS(connectionPk(connectionId)), "sk", AttributeValue.fromS(CONNECTION_SK),
                "principal", AttributeValue.fromS(principal), DynamoContactStore.TTL_ATTRIBUTE, expiresAt()))));
    }

    @Override
    public Optional<String> principal(String connectionId) {
        Map<String, AttributeValue> item = connection(connectionId);
        return item.isEmpty() ? Optional.empty() : Optional.of(item.get("principal").s());
    }

    @Override
    public void disconnect(String connectionId) {
        Map<String, AttributeValue> item = connection(connectionId);
        if (item.containsKey("subscriptions")) {
            for (String held : item.get("subscriptions").ss()) {
                String[] parts = held.split("\n", 2);
                guard(() -> client.deleteItem(r -> r.tableName(table).key(Keys.primaryKey(parts[0], parts[1]))));
            }
        }
        guard(() -> client.deleteItem(r -> r.tableName(table).key(Keys.primaryKey(connectionPk(connectionId), CONNECTION_SK))));
    }

    @Override
    public Cursor cursor(ContactKey contact, OutputType stream) {
        Map<String, AttributeValue> item = guard(() -> client.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Keys.primaryKey(Keys.partition(contact), cursorSk(stream))))).item();
        if (item == null || item.isEmpty()) {
            return Cursor.START;
        }
        return new Cursor(Long.parseLong(item.get("position").n()), Long.parseLong(item.get("version").n()));
    }

    @Override
    public boolean goLive(Subscription subscription, Cursor at, long position) {
        String pk = Keys.partition(subscription.contact());
        String sk = subscriptionSk(subscription.stream(), subscription.connectionId());
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":one", AttributeValue.fromN("1"),
                ":to", AttributeValue.fromN(Long.toString(position))));
        String condition;
        if (at.equals(Cursor.START)) {
            condition = "attribute_not_exists(pk)";
        } else if (position == at.position()) {
            // Joining where the cursor is: subscribers joining together do not conflict, only a cursor that moved.
            condition = "#p = :position";
            values.put(":position", AttributeValue.fromN(Long.toString(at.position())));
        } else {
            // Moving an idle cursor: nobody else may have gone live or moved it since it was read.
            condition = "#p = :position AND version = :version";
            values.put(":position", AttributeValue.fromN(Long.toString(at.position())));
            values.put(":version", AttributeValue.fromN(Long.toString(at.version())));
        }
        Map<String, AttributeValue> subscriptionItem = new HashMap<>(Map.of(
                "pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk),
                "connectionId", AttributeValue.fromS(subscription.connectionId()),
                "principal", AttributeValue.fromS(subscription.principal()),
                "types", AttributeValue.fromSs(subscription.types().stream().map(Enum::name).toList()),
                DynamoContactStore.TTL_ATTRIBUTE, expiresAt()));
        try {
            guard(() -> client.transactWriteItems(r -> r.transactItems(
                    t -> t.update(Update.builder().tableName(table).key(Keys.primaryKey(pk, cursorSk(subscription.stream())))
                            .updateExpression("SET #p = :to ADD version :one").conditionExpression(condition)
                            .expressionAttributeNames(Map.of("#p", "position")).expressionAttributeValues(values).build()),
                    t -> t.put(p -> p.tableName(table).item(subscriptionItem)),
                    t -> t.update(u -> u.tableName(table).key(Keys.primaryKey(connectionPk(subscription.connectionId()), CONNECTION_SK))
                            .updateExpression("ADD subscriptions :held").conditionExpression("attribute_exists(pk)")
                            .expressionAttributeValues(Map.of(":held", AttributeValue.fromSs(List.of(pk + "\n" + sk))))))));
            return true;
        } catch (TransactionCanceledException e) {
            return false; // the cursor moved (or the connection went): the caller looks again
        }
    }

    @Override
    public List<Subscription> live(ContactKey contact, OutputType stream) {
        List<Subscription> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = guard(() -> client.query(r -> subscriptions(r, contact, stream).exclusiveStartKey(from)));
            for (Map<String, AttributeValue> item : page.items()) {
                Set<SegmentType> types = EnumSet.noneOf(SegmentType.class);
                item.get("types").ss().forEach(t -> SegmentType.parse(t).ifPresent(types::add));
                out.add(new Subscription(item.get("connectionId").s(), contact, stream, types, item.get("principal").s()));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    @Override
    public boolean anyLive(ContactKey contact, OutputType stream) {
        return !guard(() -> client.query(r -> subscriptions(r, contact, stream).limit(1))).items().isEmpty();
    }

    @Override
    public boolean advance(ContactKey contact, OutputType stream, Cursor from, long position) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":to", AttributeValue.fromN(Long.toString(position))));
        String condition;
        String update;
        if (from.equals(Cursor.START)) {
            condition = "attribute_not_exists(pk) OR (#p = :zero AND version = :zero)";
            update = "SET #p = :to, version = if_not_exists(version, :zero)";
            values.put(":zero", AttributeValue.fromN("0"));
        } else {
            condition = "#p = :from AND version = :version";
            update = "SET #p = :to";
            values.put(":from", AttributeValue.fromN(Long.toString(from.position())));
            values.put(":version", AttributeValue.fromN(Long.toString(from.version())));
        }
        try {
            guard(() -> client.updateItem(r -> r.tableName(table).key(Keys.primaryKey(Keys.partition(contact), cursorSk(stream)))
                    .updateExpression(update).conditionExpression(condition)
                    .expressionAttributeNames(Map.of("#p", "position")).expressionAttributeValues(values)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void remove(Subscription subscription) {
        String pk = Keys.partition(subscription.contact());
        String sk = subscriptionSk(subscription.stream(), subscription.connectionId());
        guard(() -> client.deleteItem(r -> r.tableName(table).key(Keys.primaryKey(pk, sk))));
        try {
            guard(() -> client.updateItem(r -> r.tableName(table).key(Keys.primaryKey(connectionPk(subscription.connectionId()), CONNECTION_SK))
                    .updateExpression("DELETE subscriptions :held").conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":held", AttributeValue.fromSs(List.of(pk + "\n" + sk))))));
        } catch (ConditionalCheckFailedException gone) {
            // the connection is already gone
        }
    }

    private static <T> T guard(java.util.function.Supplier<T> call) {
        return DynamoContactStore.guard(call);
    }
}
