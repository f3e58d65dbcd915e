package dev.rtca.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/**
 * Turns what an official SDK client decoded back into wire-named JSON (members by their location names,
 * timestamps as ISO-8601 with milliseconds), so a test can compare it with the JSON that was ingested,
 * member for member. Members the SDK left unset are absent, as on the wire.
 */
public final class SdkJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private SdkJson() {
    }

    public static JsonNode of(Object value) {
        if (value instanceof SdkPojo pojo) {
            ObjectNode node = JSON.objectNode();
            for (SdkField<?> field : pojo.sdkFields()) {
                Object member = field.getValueOrDefault(pojo);
                if (member == null || isUnsetAutoConstruct(member)) {
                    continue;
                }
                node.set(field.locationName(), of(member));
            }
            return node;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = JSON.arrayNode();
            list.forEach(item -> array.add(of(item)));
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode node = JSON.objectNode();
            map.forEach((k, v) -> node.set(String.valueOf(k), of(v)));
            return node;
        }
        if (value instanceof Instant instant) {
            return JSON.textNode(MILLIS.format(instant));
        }
        if (value instanceof Integer i) {
            return JSON.numberNode(i);
        }
        if (value instanceof Long l) {
            return JSON.numberNode(l);
        }
        if (value instanceof Boolean b) {
            return JSON.booleanNode(b);
        }
        if (value instanceof String text) {
            return JSON.textNode(text);
        }
        throw new IllegalArgumentException("unexpected SDK value " + value.getClass());
    }

    private static boolean isUnsetAutoConstruct(Object member) {
        return member instanceof software.amazon.awssdk.core.util.SdkAutoConstructList<?>
                || member instanceof software.amazon.awssdk.core.util.SdkAutoConstructMap<?, ?>;
    }
}
