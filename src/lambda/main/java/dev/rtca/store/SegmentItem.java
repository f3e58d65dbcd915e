package dev.rtca.store;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A segment item ({@code S#<stream>#<seq>}) or an ingest marker ({@code E#<chunk>#<event key>}, no payload).
 * The payload is the segment's validated canonical wire JSON.
 */
final class SegmentItem {
    private SegmentItem() {
    }

    static Map<String, AttributeValue> segment(String pk, String sk, String segmentType, String payload, long expiresAt) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk),
                "segmentType", AttributeValue.fromS(segmentType), "payload", AttributeValue.fromS(payload),
                DynamoContactStore.TTL_ATTRIBUTE, AttributeValue.fromN(Long.toString(expiresAt)));
    }

    static Map<String, AttributeValue> marker(String pk, String sk, long expiresAt) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk),
                DynamoContactStore.TTL_ATTRIBUTE, AttributeValue.fromN(Long.toString(expiresAt)));
    }

    static String type(Map<String, AttributeValue> item) {
        return item.get("segmentType").s();
    }

    static String payload(Map<String, AttributeValue> item) {
        return item.get("payload").s();
    }
}
