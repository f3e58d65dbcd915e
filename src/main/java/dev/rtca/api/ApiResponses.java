package dev.rtca.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rtca.segments.ServiceError;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Responses in the restJson1 wire format the AWS SDKs decode (spec §4): JSON bodies, the request ID header,
 * and for errors the status code, {@code X-Amzn-ErrorType} and a {@code Message} member.
 */
public final class ApiResponses {
    static final JsonFactory JSON = new JsonFactory();

    /** Writes the body of a successful response. */
    interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private ApiResponses() {
    }

    static APIGatewayProxyResponseEvent ok(String requestId, Body body) {
        return response(200, requestId, Map.of(), json(body));
    }

    public static APIGatewayProxyResponseEvent error(ServiceError error, String message, String requestId) {
        String name = errorName(error);
        String body = json(json -> {
            json.writeStartObject();
            json.writeStringField("__type", name);
            json.writeStringField("Message", message);
            json.writeEndObject();
        });
        return response(status(error), requestId, Map.of("X-Amzn-ErrorType", name), body);
    }

    static String errorName(ServiceError error) {
        return switch (error) {
            case INVALID_REQUEST -> "InvalidRequestException";
            case ACCESS_DENIED -> "AccessDeniedException";
            case RESOURCE_NOT_FOUND -> "ResourceNotFoundException";
            case OUTPUT_TYPE_NOT_FOUND -> "OutputTypeNotFoundException";
            case THROTTLING -> "ThrottlingException";
            case INTERNAL -> "InternalServiceException";
        };
    }

    static int status(ServiceError error) {
        return switch (error) {
            case INVALID_REQUEST -> 400;
            case ACCESS_DENIED -> 403;
            case RESOURCE_NOT_FOUND, OUTPUT_TYPE_NOT_FOUND -> 404;
            case THROTTLING -> 429;
            case INTERNAL -> 500;
        };
    }

    private static APIGatewayProxyResponseEvent response(int status, String requestId, Map<String, String> extra, String body) {
        Map<String, String> headers = new HashMap<>(extra);
        headers.put("Content-Type", "application/json");
        headers.put("x-amzn-RequestId", requestId);
        return new APIGatewayProxyResponseEvent().withStatusCode(status).withHeaders(headers).withBody(body);
    }

    private static String json(Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
