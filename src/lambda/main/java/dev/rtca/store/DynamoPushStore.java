package dev.rtca.store;

import dev.rtca.push.Cursor;
import dev.rtca.push.Lease;
import dev.rtca.push.PushStore;
import dev.rtca.push.Subscription;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.Operation;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.SegmentType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Push delivery's items in the segments table:
 *
 * <ul>
 *   <li>a connection: {@code K#<connection ID>} / {@code CONNECTION}: the principal, the subscriptions it holds (to
 *       remove them when it goes), a TTL past API Gateway's two-hour connection limit;
 *   <li>a subscription: the contact's partition / {@code W#<stream>#<connection ID>}: the segment types, the
 *       principal, the position it went live holding ({@code from}), the operation serving it (V1 for a voice contact)
 *       and whether it asked for partials, the same TTL;
 *   <li>a stream's fan-out cursor: the contact's partition / {@code PUSH#<stream>}: position, version, and the lease
 *       of the fan-out under way (its owner and until when, in epoch milliseconds); the same TTL, renewed by every claim.
 * </ul>
 *
 * Subscriptions live in the contact's partition, so the fan-out finds a contact's subscribers with one Query.
 *
 * <p>Items are read, put, queried and deleted through the Enhanced client's {@code DynamoDbTable}s with their static
 * schemas ({@link ConnectionItem}, {@link SubscriptionItem}, {@link CursorItem}). What only an update expression can
 * say, and the Enhanced client (2.40.2) cannot, goes through the low-level client: {@code goLive}'s transaction
 * ({@code ADD}), {@code claim} ({@code if_not_exists}, {@code ALL_NEW}), {@code advance} ({@code REMOVE},
 * {@code ALL_OLD} on a failed condition), {@code release} ({@code REMOVE}) and {@code remove}'s update of the
 * connection ({@code DELETE} of a set member); ADR 0012 says why each.
 */
public final class DynamoPushStore implements PushStore {
    /** API Gateway closes a WebSocket connection after two hours; its items outlive that, then TTL removes them. */
    static final Duration LIFETIME = Duration.ofHours(3);
    private static final String CONNECTION_SK = "CONNECTION";
    private static final String TTL = DynamoContactStore.TTL_ATTRIBUTE;

    private final DynamoDbClient client;
    private final String table;
    private final Clock clock;
    private final DynamoDbTable<ConnectionItem> connections;
    private final DynamoDbTable<SubscriptionItem> subscriptions;
    private final DynamoDbTable<CursorItem> cursors;

    public DynamoPushStore(DynamoDbClient client, String table, Clock clock) {
        this.client = client;
        this.table = table;
        this.clock = clock;
        var enhanced = DynamoContactStore.enhanced(client);
        this.connections = enhanced.table(table, ConnectionItem.SCHEMA);
        this.subscriptions = enhanced.table(table, SubscriptionItem.SCHEMA);
        this.cursors = enhanced.table(table, CursorItem.SCHEMA);
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

    /** The query for a stream's subscription items (strongly consistent; page by page, or with a limit). */
    private static QueryEnhancedRequest.Builder subscriptionsOf(ContactKey contact, OutputType stream) {
        return QueryEnhancedRequest.builder().consistentRead(true).queryConditional(QueryConditional.sortBeginsWith(
                DynamoContactStore.key(Keys.partition(contact), subscriptionsPrefix(stream))));
    }

    /** The connection's item (principal, subscriptions held); null when it is gone. */
    private ConnectionItem connection(String connectionId) {
        GetItemEnhancedRequest request = GetItemEnhancedRequest.builder().consistentRead(true)
                .key(DynamoContactStore.key(connectionPk(connectionId), CONNECTION_SK)).build();
        return guard(() -> connections.getItem(request));
    }

    private long expiresAtSeconds() {
        return clock.instant().plus(LIFETIME).getEpochSecond();
    }

    private AttributeValue expiresAt() {
        return number(expiresAtSeconds());
    }

    @Override
    public void connect(String connectionId, String principal) {
        ConnectionItem item = new ConnectionItem(connectionPk(connectionId), CONNECTION_SK, principal, Set.of(), expiresAtSeconds());
        guard(() -> {
            connections.putItem(item);
            return null;
        });
    }

    @Override
    public Optional<String> principal(String connectionId) {
        return Optional.ofNullable(connection(connectionId)).map(ConnectionItem::principal);
    }

    @Override
    public void disconnect(String connectionId) {
        ConnectionItem item = connection(connectionId);
        if (item != null) {
            for (String held : item.subscriptions()) {
                String[] parts = held.split("\n", 2);
                guard(() -> subscriptions.deleteItem(DynamoContactStore.key(parts[0], parts[1])));
            }
        }
        guard(() -> connections.deleteItem(DynamoContactStore.key(connectionPk(connectionId), CONNECTION_SK)));
    }

    @Override
    public Join goLive(Subscription subscription) {
        String pk = Keys.partition(subscription.contact());
        String sk = subscriptionSk(subscription.stream(), subscription.connectionId());
        // The catch-up holds the whole stream: the contact is still in progress and its counter where the catch-up ended.
        String counter = ContactItem.counter(subscription.stream());
        String holdsAll = "#status = :inProgress AND " + (subscription.from() == 0
                ? "(attribute_not_exists(#next) OR #next = :from)" : "#next = :from");
        // The item through its schema; the transaction holds update expressions, so it goes as one low-level call.
        Map<String, AttributeValue> subscriptionItem = SubscriptionItem.SCHEMA.itemToMap(new SubscriptionItem(pk, sk,
                subscription.connectionId(), subscription.principal(), subscriptionTypes(subscription.types()),
                subscription.from(), subscription.operation().name(), subscription.partials(), expiresAtSeconds()), true);
        try {
            guard(() -> client.transactWriteItems(r -> r.transactItems(
                    t -> t.conditionCheck(c -> c.tableName(table).key(Keys.primaryKey(pk, Keys.CONTACT_SK))
                            .conditionExpression(holdsAll)
                            .expressionAttributeNames(Map.of("#status", "status", "#next", counter))
                            .expressionAttributeValues(Map.of(":inProgress", AttributeValue.fromS(ContactStatus.IN_PROGRESS.name()),
                                    ":from", number(subscription.from())))),
                    // A new version: a fan-out that read the subscriptions before this fails to move the cursor, and reads again.
                    t -> t.update(u -> u.tableName(table).key(Keys.primaryKey(pk, cursorSk(subscription.stream())))
                            .updateExpression("ADD version :one SET " + TTL + " = :expires")
                            .expressionAttributeValues(Map.of(":one", number(1), ":expires", expiresAt()))),
                    t -> t.put(p -> p.tableName(table).item(subscriptionItem)),
                    t -> t.update(u -> u.tableName(table).key(Keys.primaryKey(connectionPk(subscription.connectionId()), CONNECTION_SK))
                            .updateExpression("ADD subscriptions :held").conditionExpression("attribute_exists(pk)")
                            .expressionAttributeValues(Map.of(":held", AttributeValue.fromSs(List.of(pk + "\n" + sk))))))));
            return Join.LIVE;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (reasons.size() > 3 && "ConditionalCheckFailed".equals(reasons.get(3).code())) {
                return Join.GONE;
            }
            if (reasons.stream().allMatch(r -> r.code() == null || "None".equals(r.code())
                    || "ConditionalCheckFailed".equals(r.code()) || "TransactionConflict".equals(r.code()))) {
                return Join.BEHIND; // written to or ended since the catch-up read, or a writer of the contact got there first
            }
            throw new StoreException("the subscription's transaction was cancelled: " + reasons, false, e);
        }
    }

    @Override
    public Cursor cursor(ContactKey contact, OutputType stream) {
        GetItemEnhancedRequest request = GetItemEnhancedRequest.builder().consistentRead(true).key(cursorKey(contact, stream)).build();
        CursorItem item = guard(() -> cursors.getItem(request));
        return item == null ? Cursor.START : item.cursor();
    }

    @Override
    public Optional<Cursor> claim(ContactKey contact, OutputType stream, Lease lease, Instant now) {
        try {
            Map<String, AttributeValue> item = guard(() -> client.updateItem(r -> r.tableName(table).key(cursorAttributes(contact, stream))
                    .updateExpression("SET lease = :owner, leaseUntil = :until, #p = if_not_exists(#p, :zero), "
                            + "version = if_not_exists(version, :zero), " + TTL + " = :expires")
                    .conditionExpression("attribute_not_exists(lease) OR leaseUntil < :now")
                    .expressionAttributeNames(Map.of("#p", "position"))
                    .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(lease.owner()),
                            ":until", number(lease.until().toEpochMilli()), ":now", number(now.toEpochMilli()),
                            ":zero", number(0), ":expires", expiresAt()))
                    .returnValues(ReturnValue.ALL_NEW))).attributes();
            return Optional.of(CursorItem.SCHEMA.mapToItem(item).cursor());
        } catch (ConditionalCheckFailedException held) {
            return Optional.empty();
        }
    }

    @Override
    public Advance advance(ContactKey contact, OutputType stream, Cursor from, long position, Lease lease, boolean release) {
        try {
            guard(() -> client.updateItem(r -> r.tableName(table).key(cursorAttributes(contact, stream))
                    .updateExpression(release ? "SET #p = :to REMOVE lease, leaseUntil" : "SET #p = :to, leaseUntil = :until")
                    .conditionExpression("lease = :owner AND version = :version")
                    .expressionAttributeNames(Map.of("#p", "position"))
                    .expressionAttributeValues(release
                            ? Map.of(":to", number(position), ":owner", AttributeValue.fromS(lease.owner()),
                                    ":version", number(from.version()))
                            : Map.of(":to", number(position), ":owner", AttributeValue.fromS(lease.owner()),
                                    ":version", number(from.version()), ":until", number(lease.until().toEpochMilli())))
                    // The item as it was when the condition failed tells a stale version from a lost lease, unread again.
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
            return Advance.MOVED;
        } catch (ConditionalCheckFailedException e) {
            AttributeValue holder = e.hasItem() ? e.item().get("lease") : null;
            return holder != null && lease.owner().equals(holder.s()) ? Advance.STALE : Advance.LOST;
        }
    }

    @Override
    public void release(ContactKey contact, OutputType stream, Lease lease) {
        try {
            guard(() -> client.updateItem(r -> r.tableName(table).key(cursorAttributes(contact, stream))
                    .updateExpression("REMOVE lease, leaseUntil").conditionExpression("lease = :owner")
                    .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(lease.owner())))));
        } catch (ConditionalCheckFailedException notHeld) {
            // it ran out and another fan-out holds it now
        }
    }

    @Override
    public List<Subscription> live(ContactKey contact, OutputType stream) {
        QueryEnhancedRequest request = subscriptionsOf(contact, stream).build();
        return guard(() -> {
            List<Subscription> out = new ArrayList<>();
            for (SubscriptionItem item : subscriptions.query(request).items()) {
                Set<SegmentType> types = EnumSet.noneOf(SegmentType.class);
                item.types().forEach(t -> SegmentType.parse(t).ifPresent(types::add));
                Operation operation = item.operation() == null ? Operation.V2 : Operation.valueOf(item.operation());
                out.add(new Subscription(item.connectionId(), contact, stream, types, item.principal(), item.from(),
                        operation, item.partials()));
            }
            return out;
        });
    }

    @Override
    public boolean anyLive(ContactKey contact, OutputType stream) {
        QueryEnhancedRequest request = subscriptionsOf(contact, stream).limit(1).build();
        return !guard(() -> subscriptions.query(request).iterator().next()).items().isEmpty();
    }

    @Override
    public void remove(Subscription subscription) {
        String pk = Keys.partition(subscription.contact());
        String sk = subscriptionSk(subscription.stream(), subscription.connectionId());
        guard(() -> subscriptions.deleteItem(DynamoContactStore.key(pk, sk)));
        try {
            guard(() -> client.updateItem(r -> r.tableName(table).key(Keys.primaryKey(connectionPk(subscription.connectionId()), CONNECTION_SK))
                    .updateExpression("DELETE subscriptions :held").conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":held", AttributeValue.fromSs(List.of(pk + "\n" + sk))))));
        } catch (ConditionalCheckFailedException gone) {
            // the connection is already gone
        }
    }

    private static Set<String> subscriptionTypes(Set<SegmentType> types) {
        return Set.copyOf(types.stream().map(Enum::name).toList());
    }

    private static Key cursorKey(ContactKey contact, OutputType stream) {
        return DynamoContactStore.key(Keys.partition(contact), cursorSk(stream));
    }

    private static Map<String, AttributeValue> cursorAttributes(ContactKey contact, OutputType stream) {
        return Keys.primaryKey(Keys.partition(contact), cursorSk(stream));
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static <T> T guard(java.util.function.Supplier<T> call) {
        return DynamoContactStore.guard(call);
    }
}
