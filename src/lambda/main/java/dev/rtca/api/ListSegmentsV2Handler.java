package dev.rtca.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.rtca.access.ListAuthorizer;
import dev.rtca.model.ListRequests;
import dev.rtca.runtime.Config;
import dev.rtca.runtime.Priming;
import dev.rtca.runtime.Wiring;
import dev.rtca.segments.SegmentLister;
import java.io.IOException;
import java.util.Map;

/**
 * Connect {@code ListRealtimeContactAnalysisSegmentsV2}:
 * {@code POST /contact/list-real-time-analysis-segments-v2/{InstanceId}/{ContactId}} (chat contacts).
 */
public final class ListSegmentsV2Handler extends ListHandler {
    private final Priming priming;

    /** Lambda's constructor: configured from the function's environment, primed before a SnapStart snapshot. */
    public ListSegmentsV2Handler() {
        this(Config.fromEnvironment(System.getenv()));
    }

    public ListSegmentsV2Handler(Config config) {
        this(Wiring.reader(config));
    }

    private ListSegmentsV2Handler(Wiring.Reader reader) {
        this(reader.lister(), reader.authorizer());
    }

    public ListSegmentsV2Handler(SegmentLister lister, ListAuthorizer authorizer) {
        super(lister, authorizer);
        this.priming = Priming.register(() -> ApiPriming.run(this,
                Map.of("InstanceId", ApiPriming.CONTACT, "ContactId", ApiPriming.CONTACT),
                "{\"OutputType\":\"Redacted\",\"SegmentTypes\":[\"Transcript\"],\"MaxResults\":1}"));
    }

    @Override
    SegmentLister.Query parse(ProxyRequest request) {
        return ListRequests.v2(request.pathParameters().get("InstanceId"), request.pathParameters().get("ContactId"),
                request.body());
    }

    @Override
    void writeHeader(JsonGenerator json, SegmentLister.Page page) throws IOException {
        json.writeStringField("Channel", page.channel().name());
        json.writeStringField("Status", page.status().name());
    }
}
