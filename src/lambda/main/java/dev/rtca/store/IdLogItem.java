package dev.rtca.store;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

/**
 * A stream's Id log at one version of its contact ({@code L#<stream>#<version>}): the Ids of the segments the append
 * that wrote that version put in the stream, each as {@code <segment type>#<Id>} (a string set, never empty).
 */
record IdLogItem(String pk, String sk, Set<String> ids, long expiresAt) {
    IdLogItem {
        ids = ids == null ? Set.of() : Set.copyOf(ids);
    }

    static final TableSchema<IdLogItem> SCHEMA = StaticImmutableTableSchema.builder(IdLogItem.class, Builder.class)
            .newItemBuilder(Builder::new, Builder::build)
            .addAttribute(String.class, a -> a.name("pk").getter(IdLogItem::pk).setter(Builder::pk).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("sk").getter(IdLogItem::sk).setter(Builder::sk).tags(primarySortKey()))
            .addAttribute(EnhancedType.setOf(String.class), a -> a.name("ids").getter(i -> new TreeSet<>(i.ids())).setter(Builder::ids))
            .addAttribute(Long.class, a -> a.name(DynamoContactStore.TTL_ATTRIBUTE).getter(IdLogItem::expiresAt)
                    .setter(Builder::expiresAt))
            .build();

    static final class Builder {
        private String pk;
        private String sk;
        private Set<String> ids;
        private long expiresAt;

        Builder pk(String value) {
            pk = value;
            return this;
        }

        Builder sk(String value) {
            sk = value;
            return this;
        }

        Builder ids(Set<String> value) {
            ids = value;
            return this;
        }

        Builder expiresAt(Long value) {
            expiresAt = value == null ? 0 : value;
            return this;
        }

        IdLogItem build() {
            return new IdLogItem(pk, sk, ids, expiresAt);
        }
    }
}
