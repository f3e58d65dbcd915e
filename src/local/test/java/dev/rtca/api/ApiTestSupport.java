package dev.rtca.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtca.local.LocalDynamo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Builds API Gateway proxy events for the two list routes and reads their responses. */
final class ApiTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String V1_PATH = "/realtime-contact-analysis/analysis-segments";
    static final String V2_RESOURCE = "/contact/list-real-time-analysis-segments-v2/{InstanceId}/{ContactId}";
    /** Every V2 segment type, as a JSON list. */
    static final String ALL_V2_TYPES =
            "[\"Transcript\",\"Categories\",\"Issues\",\"Event\",\"Attachments\",\"PostContactSummary\",\"ExtractedInformation\"]";

    private ApiTestSupport() {
    }

    static APIGatewayProxyRequestEvent v1Event(String body) {
        return event(V1_PATH, V1_PATH, null, body);
    }

    /** A V2 event; a null instance or contact leaves that path parameter out (null map when both are null). */
    static APIGatewayProxyRequestEvent v2Event(String instanceId, String contactId, String body) {
        Map<String, String> path = null;
        if (instanceId != null || contactId != null) {
            path = new HashMap<>();
            if (instanceId != null) {
                path.put("InstanceId", instanceId);
            }
            if (contactId != null) {
                path.put("ContactId", contactId);
            }
        }
        return event(V2_RESOURCE, "/contact/list-real-time-analysis-segments-v2/" + instanceId + "/" + contactId, path, body);
    }

    private static APIGatewayProxyRequestEvent event(String resource, String path, Map<String, String> pathParameters, String body) {
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setRequestId("req-" + UUID.randomUUID());
        context.setResourcePath(resource);
        context.setHttpMethod("POST");
        return new APIGatewayProxyRequestEvent()
                .withResource(resource)
                .withPath(path)
                .withHttpMethod("POST")
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withPathParameters(pathParameters)
                .withRequestContext(context)
                .withBody(body)
                .withIsBase64Encoded(false);
    }

    static String header(APIGatewayProxyResponseEvent response, String name) {
        if (response.getHeaders() == null) {
            return null;
        }
        for (Map.Entry<String, String> e : response.getHeaders().entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    static JsonNode body(APIGatewayProxyResponseEvent response) {
        assertNotNull(response.getBody(), "response body");
        try {
            return JSON.readTree(response.getBody());
        } catch (IOException e) {
            throw new UncheckedIOException("response body is not JSON: " + response.getBody(), e);
        }
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts the restJson1 error format (status, X-Amzn-ErrorType, __type, Message) and returns the Message. */
    static String assertError(APIGatewayProxyResponseEvent response, APIGatewayProxyRequestEvent request,
                              int status, String errorType) {
        assertEquals(status, response.getStatusCode(), () -> "status; body " + response.getBody());
        assertEquals(errorType, header(response, "X-Amzn-ErrorType"), () -> "error type; body " + response.getBody());
        assertCommonHeaders(response, request);
        JsonNode body = body(response);
        assertTrue(body.isObject(), "error body is an object");
        assertEquals(errorType, body.path("__type").asText(null), "__type equals the header");
        JsonNode message = body.get("Message");
        assertNotNull(message, "Message member");
        assertTrue(message.isTextual() && !message.textValue().isBlank(), "non-empty Message");
        assertFalse(body.has("code"), "no code member (JS v3 would prefer it)");
        assertFalse(body.has("message"), "the member is Message, capital M");
        return message.textValue();
    }

    static void assertCommonHeaders(APIGatewayProxyResponseEvent response, APIGatewayProxyRequestEvent request) {
        String contentType = header(response, "Content-Type");
        assertNotNull(contentType, "Content-Type");
        assertTrue(contentType.startsWith("application/json"), contentType);
        String requestId = header(response, "x-amzn-RequestId");
        assertNotNull(requestId, "x-amzn-RequestId");
        if (request != null && request.getRequestContext() != null && request.getRequestContext().getRequestId() != null) {
            assertEquals(request.getRequestContext().getRequestId(), requestId);
        } else {
            assertFalse(requestId.isBlank());
        }
    }


    /** JSON paths of every null in the tree. */
    static List<String> nulls(JsonNode node) {
        List<String> out = new ArrayList<>();
        collectNulls(node, "$", out);
        return out;
    }

    private static void collectNulls(JsonNode node, String path, List<String> out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.add(path);
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                collectNulls(e.getValue(), path + "." + e.getKey(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectNulls(node.get(i), path + "[" + i + "]", out);
            }
        }
    }

    static String freshTable(String prefix) {
        return LocalDynamo.shared().table(prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
    }
}
