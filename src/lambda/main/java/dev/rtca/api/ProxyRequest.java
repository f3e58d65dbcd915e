package dev.rtca.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.rtca.model.Json;
import dev.rtca.model.MalformedJsonException;
import dev.rtca.segments.RequestRejected;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * What a list handler reads of API Gateway's REST proxy event (payload 1.0), with a streaming parser under the
 * one JSON policy: the method, the path parameters (already percent-decoded by API Gateway), the body (decoded
 * when API Gateway base64-encoded it), the request ID and the caller identity API Gateway's IAM authorizer
 * resolved. Everything else in the event is skipped.
 *
 * @param rawBody  the body as the event carries it
 * @param base64   whether API Gateway base64-encoded the body
 * @param identity {@code requestContext.identity}'s string members (userArn, accountId, caller, accessKey, ...)
 */
record ProxyRequest(String httpMethod, Map<String, String> pathParameters, String rawBody, boolean base64,
                    String requestId, Map<String, String> identity) {

    /** The request body, decoded; a body that is not valid base64 is {@link RequestRejected} INVALID. */
    String body() {
        if (rawBody == null || !base64) {
            return rawBody;
        }
        try {
            return new String(Base64.getDecoder().decode(rawBody), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw RequestRejected.invalid("The request body is not valid base64.");
        }
    }

    /** Reads one event; an event that is not a proxy event is {@link RequestRejected} INVALID. */
    static ProxyRequest read(InputStream event) {
        String method = null;
        Map<String, String> pathParameters = Map.of();
        String body = null;
        boolean base64 = false;
        String requestId = null;
        Map<String, String> identity = Map.of();
        try (JsonParser json = Json.FACTORY.createParser(event)) {
            expect(json.nextToken(), JsonToken.START_OBJECT);
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken value = json.nextToken();
                switch (name) {
                    case "httpMethod" -> method = text(json, value);
                    case "pathParameters" -> pathParameters = strings(json, value);
                    case "body" -> body = text(json, value);
                    case "isBase64Encoded" -> {
                        base64 = value == JsonToken.VALUE_TRUE;
                        Json.skip(json); // a structured value is not a flag: step over all of it
                    }
                    case "requestContext" -> {
                        if (value != JsonToken.START_OBJECT) {
                            Json.skip(json);
                            continue;
                        }
                        while (json.nextToken() == JsonToken.FIELD_NAME) {
                            String member = json.currentName();
                            JsonToken memberValue = json.nextToken();
                            switch (member) {
                                case "requestId" -> requestId = text(json, memberValue);
                                case "identity" -> identity = strings(json, memberValue);
                                default -> Json.skip(json);
                            }
                        }
                    }
                    default -> Json.skip(json);
                }
            }
            Json.expectEnd(json);
        } catch (IOException e) {
            throw RequestRejected.invalid("The event is not an API Gateway proxy event: " + Json.malformed(e).getMessage());
        } catch (MalformedJsonException e) {
            throw RequestRejected.invalid("The event is not an API Gateway proxy event: " + e.getMessage());
        }
        return new ProxyRequest(method, pathParameters, body, base64, requestId, identity);
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new com.fasterxml.jackson.core.JsonParseException(null, "expected " + expected + ", found " + actual);
        }
    }

    private static String text(JsonParser json, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return json.getText();
        }
        Json.skip(json);
        return null;
    }

    /** An object of string members (others skipped); JSON null is an empty map. */
    private static Map<String, String> strings(JsonParser json, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            Json.skip(json);
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            String text = text(json, json.nextToken());
            if (text != null) {
                out.put(name, text);
            }
        }
        return out;
    }
}
