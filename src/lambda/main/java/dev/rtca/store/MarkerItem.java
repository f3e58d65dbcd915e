package dev.rtca.store;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

/** An ingest marker ({@code E#<chunk>#<event key>}): that chunk of that event is stored. Keys and a TTL, nothing else. */
record MarkerItem(String pk, String sk, long expiresAt) {

    static final TableSchema<MarkerItem> SCHEMA = StaticImmutableTableSchema.builder(MarkerItem.class, Builder.class)
            .newItemBuilder(Builder::new, Builder::build)
            .addAttribute(String.class, a -> a.name("pk").getter(MarkerItem::pk).setter(Builder::pk).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("sk").getter(MarkerItem::sk).setter(Builder::sk).tags(primarySortKey()))
            .addAttribute(Long.class, a -> a.name(DynamoContactStore.TTL_ATTRIBUTE).getter(MarkerItem::expiresAt)
                    .setter(Builder::expiresAt))
            .build();

    static final class Builder {
        private String pk;
        private String sk;
        private long expiresAt;

        Builder pk(String value) {
            pk = value;
            return this;
        }

        Builder sk(String value) {
            sk = value;
            return this;
        }

        Builder expiresAt(Long value) {
            expiresAt = value == null ? 0 : value;
            return this;
        }

        MarkerItem build() {
            return new MarkerItem(pk, sk, expiresAt);
        }
    }
}
