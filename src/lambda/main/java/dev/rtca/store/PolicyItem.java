package dev.rtca.store;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

/** An authorization policy item ({@code P#<principal ARN>} or {@code P#default} / {@code POLICY}): the JSON document. */
record PolicyItem(String pk, String sk, String document) {

    static final TableSchema<PolicyItem> SCHEMA = StaticImmutableTableSchema.builder(PolicyItem.class, Builder.class)
            .newItemBuilder(Builder::new, Builder::build)
            .addAttribute(String.class, a -> a.name("pk").getter(PolicyItem::pk).setter(Builder::pk).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("sk").getter(PolicyItem::sk).setter(Builder::sk).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name(DynamoPolicyStore.DOCUMENT).getter(PolicyItem::document).setter(Builder::document))
            .build();

    static final class Builder {
        private String pk;
        private String sk;
        private String document;

        Builder pk(String value) {
            pk = value;
            return this;
        }

        Builder sk(String value) {
            sk = value;
            return this;
        }

        Builder document(String value) {
            document = value;
            return this;
        }

        PolicyItem build() {
            return new PolicyItem(pk, sk, document);
        }
    }
}
