package dev.rtca.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rtca.access.Caller;
import dev.rtca.access.ListAuthorizer;
import dev.rtca.runtime.Log;
import dev.rtca.segments.RequestRejected;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.StoredSegment;
import dev.rtca.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.UUID;

/**
 * What both list handlers share: read the proxy event → validate the request → authorize the caller → list one page
 * → render it, with every failure in the AWS error format. A stream handler: the event is read with the project's own JSON policy,
 * not the Lambda runtime's serializers.
 */
abstract class ListHandler implements RequestStreamHandler {
    private final SegmentLister lister;
    private final ListAuthorizer authorizer;

    ListHandler(SegmentLister lister, ListAuthorizer authorizer) {
        this.lister = lister;
        this.authorizer = authorizer;
    }

    ListAuthorizer authorizer() {
        return authorizer;
    }

    /** Validates the request against the operation's model. */
    abstract SegmentLister.Query parse(ProxyRequest request);

    /** Writes the members that precede {@code Segments} (V2: Channel and Status). */
    abstract void writeHeader(JsonGenerator json, SegmentLister.Page page) throws IOException;

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        respond(input, context).write(output);
    }

    ApiResponses.Response respond(InputStream input, Context context) {
        String requestId = context != null && context.getAwsRequestId() != null
                ? context.getAwsRequestId() : UUID.randomUUID().toString();
        try {
            ProxyRequest request = ProxyRequest.read(input);
            if (request.requestId() != null) {
                requestId = request.requestId();
            }
            SegmentLister.Query query = parse(request);
            // The caller API Gateway's IAM authorizer authenticated; an assumed-role session counts as its role.
            Caller caller = Caller.of(request.identity().get("userArn"));
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

    private static ApiResponses.Response internal(String requestId) {
        return ApiResponses.error(ApiError.INTERNAL,
                "The service could not complete the request. Request ID: " + requestId, requestId);
    }
}
