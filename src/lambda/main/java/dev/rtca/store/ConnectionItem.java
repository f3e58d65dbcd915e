package dev.rtca.store;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

/**
 * A WebSocket connection ({@code K#<connection ID>} / {@code CONNECTION}): who opened it, and the subscriptions it holds
 * (each {@code <pk>\n<sk>}, a string set, so {@code $disconnect} removes them; absent when none).
 */
record ConnectionItem(String pk, String sk, String principal, Set<String> subscriptions, long expiresAt) {
    static final String SUBSCRIPTIONS = "subscriptions";

    ConnectionItem {
        subscriptions = subscriptions == null ? Set.of() : Set.copyOf(subscriptions);
    }

    static final TableSchema<ConnectionItem> SCHEMA = StaticImmutableTableSchema.builder(ConnectionItem.class, Builder.class)
            .newItemBuilder(Builder::new, Builder::build)
            .addAttribute(String.class, a -> a.name("pk").getter(ConnectionItem::pk).setter(Builder::pk).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("sk").getter(ConnectionItem::sk).setter(Builder::sk).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name("principal").getter(ConnectionItem::principal).setter(Builder::principal))
            .addAttribute(EnhancedType.setOf(String.class), a -> a.name(SUBSCRIPTIONS)
                    .getter(i -> i.subscriptions().isEmpty() ? null : i.subscriptions()).setter(Builder::subscriptions))
            .addAttribute(Long.class, a -> a.name(DynamoContactStore.TTL_ATTRIBUTE).getter(ConnectionItem::expiresAt)
                    .setter(Builder::expiresAt))
            .build();

    static final class Builder {
        private String pk;
        private String sk;
        private String principal;
        private Set<String> subscriptions;
        private long expiresAt;

        Builder pk(String value) {
            pk = value;
            return this;
        }

        Builder sk(String value) {
            sk = value;
            return this;
        }

        Builder principal(String value) {
            principal = value;
            return this;
        }

        Builder subscriptions(Set<String> value) {
            subscriptions = value;
            return this;
        }

        Builder expiresAt(Long value) {
            expiresAt = value == null ? 0 : value;
            return this;
        }

        ConnectionItem build() {
            return new ConnectionItem(pk, sk, principal, subscriptions, expiresAt);
        }
    }
}
