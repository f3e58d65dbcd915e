package dev.rtca.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.rtca.segments.SegmentsException;
import dev.rtca.segments.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The JSON body of a request and typed access to its members. Every member is checked against the
 * service model: a wrong type, a value out of range or an oversized string is an InvalidRequestException
 * naming the member. Members the operation does not model are ignored, as AWS services do.
 */
final class RequestBody {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            // A body is one JSON value: "{...} trailing" or "{...}{...}" is malformed, not the first object.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private final JsonNode body;

    private RequestBody(JsonNode body) {
        this.body = body;
    }

    static RequestBody of(APIGatewayProxyRequestEvent event) {
        String text = event.getBody();
        if (text != null && Boolean.TRUE.equals(event.getIsBase64Encoded())) {
            try {
                text = new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw SegmentsException.invalid("The request body is not valid base64.");
            }
        }
        if (text == null || text.isBlank()) {
            return new RequestBody(JSON.createObjectNode());
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            throw SegmentsException.invalid("The request body is not valid JSON.");
        }
        if (node == null || !node.isObject()) {
            throw SegmentsException.invalid("The request body must be a JSON object.");
        }
        return new RequestBody(node);
    }

    /** The member's value; JSON null counts as absent, as the SDKs never send it. */
    Optional<JsonNode> member(String name) {
        JsonNode value = body.get(name);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    Optional<Integer> integer(String name, int min, int max) {
        return member(name).map(value -> {
            if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
                throw SegmentsException.invalid(name + " must be an integer from " + min + " to " + max + ".");
            }
            return value.intValue();
        });
    }

    Optional<String> string(String name, int minLength, int maxLength, boolean nonBlank) {
        return member(name).map(value -> {
            if (!value.isTextual()) {
                throw SegmentsException.invalid(name + " must be a string.");
            }
            return checkString(name, value.textValue(), minLength, maxLength, nonBlank);
        });
    }

    String requiredString(String name, int minLength, int maxLength, boolean nonBlank) {
        return string(name, minLength, maxLength, nonBlank).orElseThrow(() -> missing(name));
    }

    static String checkString(String name, String value, int minLength, int maxLength, boolean nonBlank) {
        int length = value.codePointCount(0, value.length());
        if (length < minLength || length > maxLength) {
            throw SegmentsException.invalid(name + " must be from " + minLength + " to " + maxLength + " characters long.");
        }
        if (nonBlank && !Shape.hasNonWhitespace(value)) {
            throw SegmentsException.invalid(name + " must contain a non-whitespace character.");
        }
        return value;
    }

    static SegmentsException missing(String name) {
        return SegmentsException.invalid(name + " is required.");
    }
}
