package dev.rtca.store;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

/**
 * A segment item ({@code S#<stream>#<sequence>}): the segment's type and its validated canonical wire JSON.
 */
record SegmentItem(String pk, String sk, String segmentType, String payload, long expiresAt) {

    static final TableSchema<SegmentItem> SCHEMA = StaticImmutableTableSchema.builder(SegmentItem.class, Builder.class)
            .newItemBuilder(Builder::new, Builder::build)
            .addAttribute(String.class, a -> a.name("pk").getter(SegmentItem::pk).setter(Builder::pk).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("sk").getter(SegmentItem::sk).setter(Builder::sk).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name("segmentType").getter(SegmentItem::segmentType).setter(Builder::segmentType))
            .addAttribute(String.class, a -> a.name("payload").getter(SegmentItem::payload).setter(Builder::payload))
            .addAttribute(Long.class, a -> a.name(DynamoContactStore.TTL_ATTRIBUTE).getter(SegmentItem::expiresAt)
                    .setter(Builder::expiresAt))
            .build();

    static final class Builder {
        private String pk;
        private String sk;
        private String segmentType;
        private String payload;
        private long expiresAt;

        Builder pk(String value) {
            pk = value;
            return this;
        }

        Builder sk(String value) {
            sk = value;
            return this;
        }

        Builder segmentType(String value) {
            segmentType = value;
            return this;
        }

        Builder payload(String value) {
            payload = value;
            return this;
        }

        Builder expiresAt(Long value) {
            expiresAt = value == null ? 0 : value;
            return this;
        }

        SegmentItem build() {
            return new SegmentItem(pk, sk, segmentType, payload, expiresAt);
        }
    }
}
