package dev.rtca.runtime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.rtca.model.Json;
import dev.rtca.model.MalformedJsonException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The list functions' binding of {@link Events}: API Gateway's REST proxy event (payload 1.0) into
 * {@link APIGatewayProxyRequestEvent} and {@link APIGatewayProxyResponseEvent} back, with the streaming parser and
 * generator of the JSON policy, so the list path never loads databind (ADR 0009). Measured with {@code ColdStartBench}:
 * binding the proxy event with the mapper loaded 4,983 classes for the first page (×1.27 the floor's) against 4,317
 * (×1.10) this way, and started ×1.38 the floor's time against ×1.08 (ADR 0011).
 *
 * <p>It binds the members a list function or its logs can use, as API Gateway spells them: the method, resource, path,
 * headers, path and query string parameters, stage variables, the body and its base64 flag, and of the request context
 * the request ID, account, API, stage and the caller's identity. Any other member, and a member whose value is not of
 * its type (a body that is not a string, parameters that are not an object of strings), is passed over, read to the
 * end under the policy's limits. Duplicate members anywhere are rejected, as everywhere.
 */
final class ProxyEvents {
    private ProxyEvents() {
    }

    static APIGatewayProxyRequestEvent read(InputStream input) {
        try (JsonParser json = Json.FACTORY.createParser(input)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                Json.skip(json);
                throw new Events.UnreadableEventException("the event is not a JSON object");
            }
            APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                json.nextToken();
                switch (name) {
                    case "httpMethod" -> event.setHttpMethod(text(json));
                    case "resource" -> event.setResource(text(json));
                    case "path" -> event.setPath(text(json));
                    case "body" -> event.setBody(text(json));
                    case "isBase64Encoded" -> event.setIsBase64Encoded(flag(json));
                    case "headers" -> event.setHeaders(strings(json));
                    case "pathParameters" -> event.setPathParameters(strings(json));
                    case "queryStringParameters" -> event.setQueryStringParameters(strings(json));
                    case "stageVariables" -> event.setStageVariables(strings(json));
                    case "requestContext" -> event.setRequestContext(context(json));
                    default -> Json.skip(json);
                }
            }
            Json.expectEnd(json);
            return event;
        } catch (IOException e) {
            throw new Events.UnreadableEventException(Json.malformed(e).getMessage());
        } catch (MalformedJsonException e) {
            throw new Events.UnreadableEventException(e.getMessage());
        }
    }

    private static APIGatewayProxyRequestEvent.ProxyRequestContext context(JsonParser json) throws IOException {
        if (json.currentToken() != JsonToken.START_OBJECT) {
            Json.skip(json);
            return null;
        }
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            json.nextToken();
            switch (name) {
                case "requestId" -> context.setRequestId(text(json));
                case "accountId" -> context.setAccountId(text(json));
                case "apiId" -> context.setApiId(text(json));
                case "stage" -> context.setStage(text(json));
                case "identity" -> context.setIdentity(identity(json));
                default -> Json.skip(json);
            }
        }
        return context;
    }

    private static APIGatewayProxyRequestEvent.RequestIdentity identity(JsonParser json) throws IOException {
        if (json.currentToken() != JsonToken.START_OBJECT) {
            Json.skip(json);
            return null;
        }
        APIGatewayProxyRequestEvent.RequestIdentity identity = new APIGatewayProxyRequestEvent.RequestIdentity();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            json.nextToken();
            switch (name) {
                case "userArn" -> identity.setUserArn(text(json));
                case "accountId" -> identity.setAccountId(text(json));
                case "caller" -> identity.setCaller(text(json));
                case "user" -> identity.setUser(text(json));
                case "accessKey" -> identity.setAccessKey(text(json));
                case "sourceIp" -> identity.setSourceIp(text(json));
                case "userAgent" -> identity.setUserAgent(text(json));
                default -> Json.skip(json);
            }
        }
        return identity;
    }

    /** A string; any other value is passed over (null). */
    private static String text(JsonParser json) throws IOException {
        if (json.currentToken() == JsonToken.VALUE_STRING) {
            return json.getText();
        }
        Json.skip(json);
        return null;
    }

    /** true or false; any other value is passed over (null). */
    private static Boolean flag(JsonParser json) throws IOException {
        JsonToken token = json.currentToken();
        if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
            return token == JsonToken.VALUE_TRUE;
        }
        Json.skip(json);
        return null;
    }

    /** An object's string members, in order (others passed over); anything else is null. */
    private static Map<String, String> strings(JsonParser json) throws IOException {
        if (json.currentToken() != JsonToken.START_OBJECT) {
            Json.skip(json);
            return null;
        }
        Map<String, String> members = new LinkedHashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            json.nextToken();
            String value = text(json);
            if (value != null) {
                members.put(name, value);
            }
        }
        return members;
    }

    /** The proxy response API Gateway reads: its set members, in the library type's order. */
    static void write(OutputStream out, APIGatewayProxyResponseEvent response) throws IOException {
        try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            if (response.getStatusCode() != null) {
                json.writeNumberField("statusCode", response.getStatusCode());
            }
            if (response.getHeaders() != null) {
                json.writeObjectFieldStart("headers");
                for (Map.Entry<String, String> header : response.getHeaders().entrySet()) {
                    json.writeStringField(header.getKey(), header.getValue());
                }
                json.writeEndObject();
            }
            if (response.getMultiValueHeaders() != null) {
                json.writeObjectFieldStart("multiValueHeaders");
                for (Map.Entry<String, List<String>> header : response.getMultiValueHeaders().entrySet()) {
                    json.writeArrayFieldStart(header.getKey());
                    for (String value : header.getValue()) {
                        json.writeString(value);
                    }
                    json.writeEndArray();
                }
                json.writeEndObject();
            }
            if (response.getBody() != null) {
                json.writeStringField("body", response.getBody());
            }
            if (response.getIsBase64Encoded() != null) {
                json.writeBooleanField("isBase64Encoded", response.getIsBase64Encoded());
            }
            json.writeEndObject();
        }
    }
}
