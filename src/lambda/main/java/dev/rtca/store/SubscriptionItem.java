package dev.rtca.store;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

/**
 * A live subscription (the contact's partition / {@code W#<stream>#<connection ID>}): its segment types (a string set),
 * the principal, where it went live ({@code from}), the operation serving it ({@code V1} for voice; absent, as in items
 * written before voice was pushed, is {@code V2}) and whether it asked for partials ({@code partials}; absent is false).
 */
record SubscriptionItem(String pk, String sk, String connectionId, String principal, Set<String> types, long from,
                        String operation, boolean partials, long expiresAt) {

    SubscriptionItem {
        types = types == null ? Set.of() : Set.copyOf(types);
    }

    static final TableSchema<SubscriptionItem> SCHEMA = StaticImmutableTableSchema.builder(SubscriptionItem.class, Builder.class)
            .newItemBuilder(Builder::new, Builder::build)
            .addAttribute(String.class, a -> a.name("pk").getter(SubscriptionItem::pk).setter(Builder::pk).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("sk").getter(SubscriptionItem::sk).setter(Builder::sk).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name("connectionId").getter(SubscriptionItem::connectionId).setter(Builder::connectionId))
            .addAttribute(String.class, a -> a.name("principal").getter(SubscriptionItem::principal).setter(Builder::principal))
            .addAttribute(EnhancedType.setOf(String.class), a -> a.name("types")
                    .getter(i -> i.types().isEmpty() ? null : new TreeSet<>(i.types())).setter(Builder::types))
            .addAttribute(Long.class, a -> a.name("from").getter(SubscriptionItem::from).setter(Builder::from))
            .addAttribute(String.class, a -> a.name("operation").getter(SubscriptionItem::operation).setter(Builder::operation))
            .addAttribute(Boolean.class, a -> a.name("partials").getter(i -> i.partials() ? Boolean.TRUE : null)
                    .setter(Builder::partials))
            .addAttribute(Long.class, a -> a.name(DynamoContactStore.TTL_ATTRIBUTE).getter(SubscriptionItem::expiresAt)
                    .setter(Builder::expiresAt))
            .build();

    static final class Builder {
        private String pk;
        private String sk;
        private String connectionId;
        private String principal;
        private Set<String> types;
        private long from;
        private String operation;
        private boolean partials;
        private long expiresAt;

        Builder pk(String value) {
            pk = value;
            return this;
        }

        Builder sk(String value) {
            sk = value;
            return this;
        }

        Builder connectionId(String value) {
            connectionId = value;
            return this;
        }

        Builder principal(String value) {
            principal = value;
            return this;
        }

        Builder types(Set<String> value) {
            types = value;
            return this;
        }

        Builder from(Long value) {
            from = value == null ? 0 : value;
            return this;
        }

        Builder operation(String value) {
            operation = value;
            return this;
        }

        Builder partials(Boolean value) {
            partials = Boolean.TRUE.equals(value);
            return this;
        }

        Builder expiresAt(Long value) {
            expiresAt = value == null ? 0 : value;
            return this;
        }

        SubscriptionItem build() {
            return new SubscriptionItem(pk, sk, connectionId, principal, types, from, operation, partials, expiresAt);
        }
    }
}
