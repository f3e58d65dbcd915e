package dev.rtca.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.Operation;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.RequestRejected;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.SegmentType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The two list requests, validated against their service models. Every violation (malformed JSON, a wrong
 * type, a value out of range, a missing member) is {@link RequestRejected} {@code INVALID} with a message that
 * names the member. Members an operation does not model are ignored, as AWS services do, but they are read under
 * the same policy as the rest of the body ({@link Json}: UTF-8, nesting, lengths): the body is one JSON document,
 * judged whole. JSON {@code null} counts as absent (the SDKs never send it).
 */
public final class ListRequests {
    /** Default page size, as the service models document. */
    public static final int DEFAULT_MAX_RESULTS = 100;
    /** V2 SegmentTypes: at most one of each value. */
    public static final int MAX_SEGMENT_TYPES = SegmentType.values().length;

    private static final Text V2_INSTANCE_ID = Text.of(1, 100);
    private static final Text V2_CONTACT_ID = Text.of(1, 256);
    private static final Text V1_NEXT_TOKEN = Text.nonBlank(1, 131_070);
    private static final Text V2_NEXT_TOKEN = Text.of(1, 100_000);
    private static final Set<String> V1_MEMBERS = Set.of("InstanceId", "ContactId", "MaxResults", "NextToken");
    private static final Set<String> V2_MEMBERS = Set.of("MaxResults", "NextToken", "OutputType", "SegmentTypes");

    private ListRequests() {
    }

    /** Contact Lens ListRealtimeContactAnalysisSegments: every member is in the body (its bytes; null: none). */
    public static SegmentLister.Query v1(byte[] body) {
        Members members = Members.read(body, V1_MEMBERS);
        String instanceId = members.requiredString("InstanceId", Text.ID);
        String contactId = members.requiredString("ContactId", Text.ID);
        int maxResults = members.maxResults();
        String nextToken = members.string("NextToken", V1_NEXT_TOKEN);
        // V1 has no filter: voice contacts hold only V1 segment types, so every stored segment is returned.
        return new SegmentLister.Query(Operation.V1, new ContactKey(instanceId, contactId), null,
                EnumSet.allOf(SegmentType.class), maxResults, nextToken);
    }

    /**
     * Connect ListRealtimeContactAnalysisSegmentsV2: InstanceId and ContactId are path labels (already
     * percent-decoded; null when absent), the rest is in the body.
     */
    public static SegmentLister.Query v2(String instanceId, String contactId, byte[] body) {
        String instance = label("InstanceId", instanceId, V2_INSTANCE_ID);
        String contact = label("ContactId", contactId, V2_CONTACT_ID);
        Members members = Members.read(body, V2_MEMBERS);
        int maxResults = members.maxResults();
        String nextToken = members.string("NextToken", V2_NEXT_TOKEN);
        String outputName = members.requiredString("OutputType", Text.of(0, 0));
        OutputType outputType = OutputType.parse(outputName).orElseThrow(() ->
                RequestRejected.invalid("OutputType must be one of [Raw, Redacted]."));
        return new SegmentLister.Query(Operation.V2, new ContactKey(instance, contact), outputType,
                members.segmentTypes(), maxResults, nextToken);
    }

    /** The same, for a body given as text. */
    public static SegmentLister.Query v1(String body) {
        return v1(body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    public static SegmentLister.Query v2(String instanceId, String contactId, String body) {
        return v2(instanceId, contactId, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A path label. One holding U+FFFD is refused: it is what a percent-escape that is not UTF-8 ({@code %C0%AF},
     * {@code %ED%A0%80}, {@code %FF}) decodes to on its way to the handler, so two different IDs would read one contact.
     */
    private static String label(String name, String value, Text rule) {
        if (value == null) {
            throw missing(name);
        }
        if (value.indexOf('\uFFFD') >= 0) {
            throw RequestRejected.invalid(name + " must be percent-encoded UTF-8: its path segment decodes to U+FFFD"
                    + " (a replacement character) at character " + (value.indexOf('\uFFFD') + 1) + ".");
        }
        return checked(name, value, rule);
    }

    private static String checked(String name, String value, Text rule) {
        String problem = rule.violation(value);
        if (problem != null) {
            throw RequestRejected.invalid(name + " " + problem + ".");
        }
        return value;
    }

    private static RequestRejected missing(String name) {
        return RequestRejected.invalid(name + " is required.");
    }

    /** One JSON value of a member the operation models: a string, an int, a list of values, or another kind. */
    private record Value(JsonToken kind, String text, Integer number, List<Value> items) {
    }

    /** The modelled members of a request body, read in one pass. */
    private record Members(Map<String, Value> values) {

        static Members read(byte[] body, Set<String> wanted) {
            Map<String, Value> values = new HashMap<>();
            if (body == null) {
                return new Members(values);
            }
            JsonParser parser;
            try {
                parser = Json.parser(body);
            } catch (MalformedJsonException e) {
                throw refused(e);
            }
            try (parser) {
                JsonToken first = parser.nextToken();
                if (first == null) {
                    return new Members(values); // empty, or whitespace only: no members
                }
                if (first != JsonToken.START_OBJECT) {
                    throw RequestRejected.invalid("The request body must be a JSON object.");
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    if (wanted.contains(name)) {
                        Value value = value(parser);
                        if (value.kind() != JsonToken.VALUE_NULL) {
                            values.put(name, value);
                        }
                    } else {
                        Json.skip(parser);
                    }
                }
                Json.expectEnd(parser);
            } catch (IOException e) {
                throw refused(Json.malformed(e, parser));
            } catch (MalformedJsonException e) {
                throw refused(e);
            }
            return new Members(values);
        }

        private static RequestRejected refused(MalformedJsonException e) {
            String detail = e.getMessage();
            return RequestRejected.invalid("The request body is refused: " + detail + (detail.endsWith(".") ? "" : "."));
        }

        private static Value value(JsonParser parser) throws IOException {
            JsonToken token = parser.currentToken();
            return switch (token) {
                case VALUE_STRING -> new Value(token, parser.getText(), null, null);
                case VALUE_NUMBER_INT -> new Value(token, null,
                        parser.getNumberType() == JsonParser.NumberType.INT ? parser.getIntValue() : null, null);
                case START_ARRAY -> {
                    List<Value> items = new ArrayList<>();
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        items.add(value(parser));
                    }
                    yield new Value(token, null, null, items);
                }
                default -> {
                    Json.skip(parser);
                    yield new Value(token, null, null, null);
                }
            };
        }

        String string(String name, Text rule) {
            Value value = values.get(name);
            if (value == null) {
                return null;
            }
            if (value.kind() != JsonToken.VALUE_STRING) {
                throw RequestRejected.invalid(name + " must be a string.");
            }
            return checked(name, value.text(), rule);
        }

        String requiredString(String name, Text rule) {
            String value = string(name, rule);
            if (value == null) {
                throw missing(name);
            }
            return value;
        }

        int maxResults() {
            Value value = values.get("MaxResults");
            if (value == null) {
                return DEFAULT_MAX_RESULTS;
            }
            if (value.number() == null || value.number() < 1 || value.number() > 100) {
                throw RequestRejected.invalid("MaxResults must be an integer from 1 to 100.");
            }
            return value.number();
        }

        Set<SegmentType> segmentTypes() {
            Value list = values.get("SegmentTypes");
            if (list == null) {
                throw missing("SegmentTypes");
            }
            if (list.kind() != JsonToken.START_ARRAY) {
                throw RequestRejected.invalid("SegmentTypes must be a list of segment types.");
            }
            if (list.items().isEmpty()) {
                throw RequestRejected.invalid("SegmentTypes must name at least one segment type.");
            }
            if (list.items().size() > MAX_SEGMENT_TYPES) {
                throw RequestRejected.invalid("SegmentTypes must have at most " + MAX_SEGMENT_TYPES + " items.");
            }
            Set<SegmentType> types = EnumSet.noneOf(SegmentType.class);
            for (Value item : list.items()) {
                SegmentType type = item.kind() == JsonToken.VALUE_STRING ? SegmentType.parse(item.text()).orElse(null) : null;
                if (type == null) {
                    throw RequestRejected.invalid("SegmentTypes items must be one of " + Arrays.toString(SegmentType.values()) + ".");
                }
                types.add(type);
            }
            return types;
        }
    }
}
