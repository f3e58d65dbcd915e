package dev.rtca.store;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/**
 * A segment item ({@code S#<stream>#<seq>}) or an ingest marker ({@code E#<chunk>#<event key>}, no payload).
 * The payload is the segment's validated canonical wire JSON.
 */
final class SegmentItem {
    static final StaticTableSchema<SegmentItem> SCHEMA = StaticTableSchema.builder(SegmentItem.class)
            .newItemSupplier(SegmentItem::new)
            .addAttribute(String.class, a -> a.name("pk").getter(i -> i.pk).setter((i, v) -> i.pk = v).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("sk").getter(i -> i.sk).setter((i, v) -> i.sk = v).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name("segmentType").getter(i -> i.segmentType).setter((i, v) -> i.segmentType = v))
            .addAttribute(String.class, a -> a.name("payload").getter(i -> i.payload).setter((i, v) -> i.payload = v))
            .addAttribute(Long.class, a -> a.name(DynamoContactStore.TTL_ATTRIBUTE).getter(i -> i.expiresAt).setter((i, v) -> i.expiresAt = v))
            .build();

    String pk;
    String sk;
    String segmentType;
    String payload;
    Long expiresAt;

    static SegmentItem of(String pk, String sk, String segmentType, String payload, long expiresAt) {
        SegmentItem item = new SegmentItem();
        item.pk = pk;
        item.sk = sk;
        item.segmentType = segmentType;
        item.payload = payload;
        item.expiresAt = expiresAt;
        return item;
    }
}
