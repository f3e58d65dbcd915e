package dev.rtca.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A member shape of the service model: checks a JSON value against the model's constraints and returns
 * its canonical form (known members only, in model order, no nulls, timestamps normalised), or throws
 * {@link ModelViolation} naming the member.
 */
abstract class Shape {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final DateTimeFormatter MILLIS_UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Instant MIN_TIME = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999Z");

    abstract JsonNode canonical(JsonNode value, String path);

    static ModelViolation violation(String path, String rule) {
        return new ModelViolation(path, rule);
    }

    /** A string of {@code min..max} code points ({@code max == 0}: no upper bound). */
    static Shape string(int min, int max) {
        return text(Text.of(min, max));
    }

    /** A string of {@code min..max} code points that must hold a non-whitespace character (pattern {@code \S}). */
    static Shape nonBlank(int min, int max) {
        return text(Text.nonBlank(min, max));
    }

    static Shape text(Text rule) {
        return new Shape() {
            @Override
            JsonNode canonical(JsonNode value, String path) {
                if (!value.isTextual()) {
                    throw violation(path, "must be a string");
                }
                String problem = rule.violation(value.textValue());
                if (problem != null) {
                    throw violation(path, problem);
                }
                return value;
            }
        };
    }


    static Shape integer(long min) {
        return new Shape() {
            @Override
            JsonNode canonical(JsonNode value, String path) {
                if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                    throw violation(path, "must be a 32-bit integer");
                }
                if (value.intValue() < min) {
                    throw violation(path, "must be at least " + min);
                }
                return JSON.numberNode(value.intValue());
            }
        };
    }

    static Shape enumOf(String... values) {
        Set<String> allowed = Set.of(values);
        String list = String.join(", ", values);
        return new Shape() {
            @Override
            JsonNode canonical(JsonNode value, String path) {
                if (!value.isTextual() || !allowed.contains(value.textValue())) {
                    throw violation(path, "must be one of [" + list + "]");
                }
                return value;
            }
        };
    }

    /** ISO-8601 with an offset (or epoch seconds), rendered as UTC with milliseconds, as the model documents. */
    static Shape timestamp() {
        return new Shape() {
            @Override
            JsonNode canonical(JsonNode value, String path) {
                Instant instant;
                if (value.isTextual()) {
                    try {
                        instant = OffsetDateTime.parse(value.textValue()).toInstant();
                    } catch (DateTimeParseException e) {
                        throw violation(path, "must be an ISO-8601 timestamp such as 2024-03-14T19:39:26.715Z");
                    }
                } else if (value.isNumber()) {
                    if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
                        throw violation(path, "must be a finite number of epoch seconds");
                    }
                    BigDecimal millis = value.decimalValue().movePointRight(3);
                    if (millis.compareTo(BigDecimal.valueOf(MIN_TIME.toEpochMilli())) < 0
                            || millis.compareTo(BigDecimal.valueOf(MAX_TIME.toEpochMilli())) > 0) {
                        throw violation(path, "must be between years 0001 and 9999");
                    }
                    instant = Instant.ofEpochMilli(millis.longValue());
                } else {
                    throw violation(path, "must be an ISO-8601 timestamp");
                }
                // Four-digit years only: the SDKs (e.g. JS v3's RFC 3339 pattern) cannot parse "+10000-..." and
                // year 0 would be rendered as 0001 by the year-of-era pattern.
                instant = instant.truncatedTo(ChronoUnit.MILLIS);
                if (instant.isBefore(MIN_TIME) || instant.isAfter(MAX_TIME)) {
                    throw violation(path, "must be between years 0001 and 9999");
                }
                return TextNode.valueOf(MILLIS_UTC.format(instant));
            }
        };
    }

    static Shape listOf(Shape item, int max) {
        return new Shape() {
            @Override
            JsonNode canonical(JsonNode value, String path) {
                if (!value.isArray()) {
                    throw violation(path, "must be a list");
                }
                if (max > 0 && value.size() > max) {
                    throw violation(path, "must have at most " + max + " items, had " + value.size());
                }
                ArrayNode out = JSON.arrayNode(value.size());
                for (int i = 0; i < value.size(); i++) {
                    JsonNode element = value.get(i);
                    if (element.isNull()) {
                        throw violation(path + "[" + i + "]", "must not be null");
                    }
                    out.add(item.canonical(element, path + "[" + i + "]"));
                }
                return out;
            }
        };
    }

    static Shape mapOf(Shape key, Shape value, int max) {
        return new Shape() {
            @Override
            JsonNode canonical(JsonNode node, String path) {
                if (!node.isObject()) {
                    throw violation(path, "must be a map");
                }
                if (node.size() > max) {
                    throw violation(path, "must have at most " + max + " entries, had " + node.size());
                }
                ObjectNode out = JSON.objectNode();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    String entryPath = path + "." + entry.getKey();
                    key.canonical(TextNode.valueOf(entry.getKey()), path + " key '" + entry.getKey() + "'");
                    if (entry.getValue().isNull()) {
                        throw violation(entryPath, "must not be null");
                    }
                    out.set(entry.getKey(), value.canonical(entry.getValue(), entryPath));
                }
                return out;
            }
        };
    }

    static Struct struct() {
        return new Struct();
    }

    /** A tagged union: exactly one member set. */
    static Shape union(Map<String, Shape> members) {
        return new Shape() {
            @Override
            JsonNode canonical(JsonNode value, String path) {
                Map.Entry<String, JsonNode> only = onlyMember(value, path, members.keySet());
                ObjectNode out = JSON.objectNode();
                out.set(only.getKey(), members.get(only.getKey()).canonical(only.getValue(), path + "." + only.getKey()));
                return out;
            }
        };
    }

    /** The single non-null member of a union object, or a violation naming what is wrong. */
    static Map.Entry<String, JsonNode> onlyMember(JsonNode value, String path, Set<String> known) {
        if (!value.isObject()) {
            throw violation(path, "must be an object with exactly one of " + known);
        }
        List<Map.Entry<String, JsonNode>> set = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isNull()) {
                set.add(entry);
            }
        }
        if (set.size() != 1) {
            throw violation(path, "must have exactly one member set, had " + set.size());
        }
        if (!known.contains(set.get(0).getKey())) {
            throw violation(path, "has unknown member '" + set.get(0).getKey() + "'; expected one of " + known);
        }
        return set.get(0);
    }


    /** A structure: declared members in model order; unknown members are dropped, required ones enforced. */
    static final class Struct extends Shape {
        private record Member(Shape shape, boolean required) {
        }

        private final Map<String, Member> members = new LinkedHashMap<>();

        Struct required(String name, Shape shape) {
            members.put(name, new Member(shape, true));
            return this;
        }

        Struct optional(String name, Shape shape) {
            members.put(name, new Member(shape, false));
            return this;
        }

        @Override
        JsonNode canonical(JsonNode value, String path) {
            if (!value.isObject()) {
                throw violation(path, "must be an object");
            }
            ObjectNode out = JSON.objectNode();
            members.forEach((name, member) -> {
                JsonNode field = value.get(name);
                if (field == null || field.isNull()) {
                    if (member.required()) {
                        throw violation(path + "." + name, "is required");
                    }
                    return;
                }
                out.set(name, member.shape().canonical(field, path + "." + name));
            });
            return out;
        }
    }
}
