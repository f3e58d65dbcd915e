package dev.rtca.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rtca.model.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Responses in the restJson1 wire format the AWS SDKs decode, as API Gateway proxy responses: a JSON body, the
 * request ID header, and for errors the status code, {@code X-Amzn-ErrorType} and a {@code Message} member
 * (with a matching {@code __type}, and never a {@code code} member, which JS SDK v3 would prefer).
 */
final class ApiResponses {

    /** Writes the body of a successful response. */
    interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private ApiResponses() {
    }

    static APIGatewayProxyResponseEvent ok(String requestId, Body body) {
        return response(200, requestId, null, json(body));
    }

    static APIGatewayProxyResponseEvent error(ApiError error, String message, String requestId) {
        String body = json(json -> {
            json.writeStartObject();
            json.writeStringField("__type", error.type);
            json.writeStringField("Message", message);
            json.writeEndObject();
        });
        return response(error.status, requestId, error.type, body);
    }

    private static APIGatewayProxyResponseEvent response(int status, String requestId, String errorType, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        // Readable by a page of any origin, with the headers an SDK reads (template.yaml's Cors; the request is signed).
        headers.put("Access-Control-Allow-Origin", "*");
        headers.put("Access-Control-Expose-Headers", "x-amzn-errortype,x-amzn-requestid");
        headers.put("x-amzn-RequestId", requestId);
        if (errorType != null) {
            headers.put("X-Amzn-ErrorType", errorType);
        }
        return new APIGatewayProxyResponseEvent().withStatusCode(status).withHeaders(headers).withBody(body)
                .withIsBase64Encoded(false);
    }

    private static String json(Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
