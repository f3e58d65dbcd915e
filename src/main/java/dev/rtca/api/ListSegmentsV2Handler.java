package dev.rtca.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.Operation;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.SegmentType;
import dev.rtca.segments.SegmentsException;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Connect {@code ListRealtimeContactAnalysisSegmentsV2}:
 * {@code POST /contact/list-real-time-analysis-segments-v2/{InstanceId}/{ContactId}} (chat contacts).
 */
public final class ListSegmentsV2Handler extends ListHandler {
    static final int MAX_SEGMENT_TYPES = SegmentType.values().length;

    public ListSegmentsV2Handler() {
        this(ApiContext.lister());
    }

    public ListSegmentsV2Handler(SegmentLister lister) {
        super(lister);
    }

    @Override
    SegmentLister.Query parse(APIGatewayProxyRequestEvent event) {
        Map<String, String> path = event.getPathParameters() == null ? Map.of() : event.getPathParameters();
        String instanceId = pathParameter(path, "InstanceId", 100);
        String contactId = pathParameter(path, "ContactId", 256);
        RequestBody body = RequestBody.of(event);
        int maxResults = body.integer("MaxResults", 1, 100).orElse(100);
        String nextToken = body.string("NextToken", 1, 100_000, false).orElse(null);
        String outputName = body.string("OutputType", 0, Integer.MAX_VALUE, false).orElseThrow(() -> RequestBody.missing("OutputType"));
        OutputType outputType = OutputType.parse(outputName).orElseThrow(() ->
                SegmentsException.invalid("OutputType must be one of [Raw, Redacted]."));
        return new SegmentLister.Query(Operation.V2, new ContactKey(instanceId, contactId), outputType,
                segmentTypes(body.member("SegmentTypes").orElseThrow(() -> RequestBody.missing("SegmentTypes"))),
                maxResults, nextToken);
    }

    @Override
    void writeHeader(JsonGenerator json, SegmentLister.Page page) throws IOException {
        json.writeStringField("Channel", page.channel().name());
        json.writeStringField("Status", page.status().name());
    }

    private static String pathParameter(Map<String, String> path, String name, int maxLength) {
        String value = path.get(name);
        if (value == null) {
            throw RequestBody.missing(name);
        }
        return RequestBody.checkString(name, value, 1, maxLength, false);
    }

    private static Set<SegmentType> segmentTypes(JsonNode list) {
        if (!list.isArray()) {
            throw SegmentsException.invalid("SegmentTypes must be a list of segment types.");
        }
        if (list.isEmpty()) {
            throw SegmentsException.invalid("SegmentTypes must name at least one segment type.");
        }
        if (list.size() > MAX_SEGMENT_TYPES) {
            throw SegmentsException.invalid("SegmentTypes must have at most " + MAX_SEGMENT_TYPES + " items.");
        }
        Set<SegmentType> types = EnumSet.noneOf(SegmentType.class);
        for (JsonNode item : list) {
            SegmentType type = item.isTextual() ? SegmentType.parse(item.textValue()).orElse(null) : null;
            if (type == null) {
                throw SegmentsException.invalid("SegmentTypes items must be one of " + Arrays.toString(SegmentType.values()) + ".");
            }
            types.add(type);
        }
        return types;
    }
}
