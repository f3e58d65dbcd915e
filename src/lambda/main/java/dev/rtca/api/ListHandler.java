package dev.rtca.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rtca.access.Caller;
import dev.rtca.access.ListAuthorizer;
import dev.rtca.runtime.Events;
import dev.rtca.runtime.Log;
import dev.rtca.runtime.Wiring;
import dev.rtca.segments.RequestRejected;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.StoredSegment;
import dev.rtca.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What both list handlers share: the API Gateway proxy event (REST API, payload 1.0) → validate the request →
 * authorize the caller → list one page → render it, with every failure in the AWS error format. The event is bound by
 * {@link Events}; an event that cannot be bound is the client's InvalidRequestException, like any malformed request.
 */
abstract class ListHandler implements RequestStreamHandler {
    private final SegmentLister lister;
    private final ListAuthorizer authorizer;

    ListHandler(Wiring.Reader reader) {
        this.lister = reader.lister();
        this.authorizer = reader.authorizer();
    }

    /** Validates the request against the operation's model. */
    abstract SegmentLister.Query parse(Map<String, String> pathParameters, byte[] body);

    /** Writes the members that precede {@code Segments} (V2: Channel and Status). */
    abstract void writeHeader(JsonGenerator json, SegmentLister.Page page) throws IOException;

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) {
        APIGatewayProxyResponseEvent response;
        try {
            response = handle(Events.read(input, APIGatewayProxyRequestEvent.class), context);
        } catch (Events.UnreadableEventException e) {
            response = ApiResponses.error(ApiError.INVALID_REQUEST,
                    "The event is not an API Gateway proxy event: " + e.getMessage(), requestId(null, context));
        }
        Events.write(output, response);
    }

    /** Answers one request: a page, or the operation's error for it. */
    public final APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event, Context context) {
        String requestId = requestId(event, context);
        try {
            SegmentLister.Query query = parse(Objects.requireNonNullElse(event.getPathParameters(), Map.of()), body(event));
            // The caller API Gateway's IAM authorizer authenticated; an assumed-role session counts as its role.
            Caller caller = Caller.of(event.getRequestContext() == null || event.getRequestContext().getIdentity() == null
                    ? null : event.getRequestContext().getIdentity().getUserArn());
            SegmentLister.Page page = lister.list(query,
                    authorizer.permission(caller, query.operation(), query.contact(), query.types()));
            return ApiResponses.ok(requestId, json -> {
                json.writeStartObject();
                writeHeader(json, page);
                json.writeArrayFieldStart("Segments");
                for (StoredSegment segment : page.segments()) {
                    json.writeRawValue(segment.segment().json());
                }
                json.writeEndArray();
                if (page.nextToken() != null) {
                    json.writeStringField("NextToken", page.nextToken());
                }
                json.writeEndObject();
            });
        } catch (RequestRejected e) {
            return ApiResponses.error(switch (e.reason()) {
                case INVALID -> ApiError.INVALID_REQUEST;
                case CONTACT_NOT_FOUND -> ApiError.RESOURCE_NOT_FOUND;
                case OUTPUT_TYPE_NOT_FOUND -> ApiError.OUTPUT_TYPE_NOT_FOUND;
                case ACCESS_DENIED -> ApiError.ACCESS_DENIED;
            }, e.getMessage(), requestId);
        } catch (StoreException e) {
            Log.warn("request failed: " + e.getMessage(), "requestId", requestId, "throttled", e.throttled(),
                    "cause", String.valueOf(e.getCause()));
            return e.throttled()
                    ? ApiResponses.error(ApiError.THROTTLING, "Rate exceeded", requestId)
                    : internal(requestId);
        } catch (RuntimeException e) {
            Log.error("internal error", e, "requestId", requestId);
            return internal(requestId);
        }
    }

    ListAuthorizer authorizer() {
        return authorizer;
    }

    /** API Gateway's request ID when the event has one, else the invocation's, else a new one. */
    private static String requestId(APIGatewayProxyRequestEvent event, Context context) {
        if (event != null && event.getRequestContext() != null && event.getRequestContext().getRequestId() != null) {
            return event.getRequestContext().getRequestId();
        }
        return context != null && context.getAwsRequestId() != null ? context.getAwsRequestId() : UUID.randomUUID().toString();
    }

    /**
     * The request body's bytes: as the client sent them when API Gateway base64-encoded them (template.yaml's
     * BinaryMediaTypes: the JSON the SDKs send), so the core judges them as UTF-8 itself; else the text API Gateway
     * made of them. A body flagged base64 that is not base64 is INVALID.
     */
    private static byte[] body(APIGatewayProxyRequestEvent event) {
        String body = event.getBody();
        if (body == null || !Boolean.TRUE.equals(event.getIsBase64Encoded())) {
            return body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw RequestRejected.invalid("The request body is not valid base64.");
        }
    }

    private static APIGatewayProxyResponseEvent internal(String requestId) {
        return ApiResponses.error(ApiError.INTERNAL,
                "The service could not complete the request. Request ID: " + requestId, requestId);
    }
}
