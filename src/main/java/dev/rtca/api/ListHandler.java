package dev.rtca.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rtca.segments.Log;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.SegmentsException;
import dev.rtca.segments.ServiceError;
import dev.rtca.segments.StoredSegment;
import java.io.IOException;
import java.util.UUID;

/** What both list handlers share: parse → list one page → render, with every failure in the AWS error format. */
abstract class ListHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final SegmentLister lister;

    ListHandler(SegmentLister lister) {
        this.lister = lister;
    }

    /** Validates the request against the operation's model. */
    abstract SegmentLister.Query parse(APIGatewayProxyRequestEvent event);

    /** Writes the members that precede {@code Segments} (V2: Channel and Status). */
    abstract void writeHeader(JsonGenerator json, SegmentLister.Page page) throws IOException;

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        String requestId = requestId(event, context);
        try {
            SegmentLister.Page page = lister.list(parse(event));
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
        } catch (SegmentsException e) {
            if (e.error() == ServiceError.INTERNAL || e.error() == ServiceError.THROTTLING) {
                Log.warn("request failed", "requestId", requestId, "error", e.error(), "detail", String.valueOf(e.getCause()));
            }
            return ApiResponses.error(e.error(), e.getMessage(), requestId);
        } catch (RuntimeException e) {
            Log.error("internal error", e, "requestId", requestId);
            return ApiResponses.error(ServiceError.INTERNAL,
                    "The service could not complete the request. Request ID: " + requestId, requestId);
        }
    }

    private static String requestId(APIGatewayProxyRequestEvent event, Context context) {
        if (event != null && event.getRequestContext() != null && event.getRequestContext().getRequestId() != null) {
            return event.getRequestContext().getRequestId();
        }
        if (context != null && context.getAwsRequestId() != null) {
            return context.getAwsRequestId();
        }
        return UUID.randomUUID().toString();
    }
}
