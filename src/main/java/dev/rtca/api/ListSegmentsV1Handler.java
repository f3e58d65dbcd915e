package dev.rtca.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.Operation;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.SegmentType;
import java.util.EnumSet;

/**
 * Contact Lens {@code ListRealtimeContactAnalysisSegments}: {@code POST /realtime-contact-analysis/analysis-segments}
 * (voice contacts; the Redacted stream when the contact has one, else Raw).
 */
public final class ListSegmentsV1Handler extends ListHandler {
    public ListSegmentsV1Handler() {
        this(ApiContext.lister());
    }

    public ListSegmentsV1Handler(SegmentLister lister) {
        super(lister);
    }

    @Override
    SegmentLister.Query parse(APIGatewayProxyRequestEvent event) {
        RequestBody body = RequestBody.of(event);
        String instanceId = body.requiredString("InstanceId", 1, 256, true);
        String contactId = body.requiredString("ContactId", 1, 256, true);
        int maxResults = body.integer("MaxResults", 1, 100).orElse(100);
        String nextToken = body.string("NextToken", 1, 131_070, true).orElse(null);
        // V1 has no filter: voice contacts hold only V1 segment types, so every stored segment is returned.
        return new SegmentLister.Query(Operation.V1, new ContactKey(instanceId, contactId), null,
                EnumSet.allOf(SegmentType.class), maxResults, nextToken);
    }

    @Override
    void writeHeader(JsonGenerator json, SegmentLister.Page page) {
        // The V1 response has only Segments and NextToken.
    }
}
