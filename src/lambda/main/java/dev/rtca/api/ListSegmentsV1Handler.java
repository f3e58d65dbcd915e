package dev.rtca.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.rtca.access.ListAuthorizer;
import dev.rtca.model.ListRequests;
import dev.rtca.runtime.Config;
import dev.rtca.runtime.Priming;
import dev.rtca.runtime.Wiring;
import dev.rtca.segments.SegmentLister;
import java.util.Map;

/**
 * Contact Lens {@code ListRealtimeContactAnalysisSegments}: {@code POST /realtime-contact-analysis/analysis-segments}
 * (voice contacts; the Redacted stream when the contact has one, else Raw).
 */
public final class ListSegmentsV1Handler extends ListHandler {
    private final Priming priming;

    /** Lambda's constructor: configured from the function's environment, primed before a SnapStart snapshot. */
    public ListSegmentsV1Handler() {
        this(Config.fromEnvironment(System.getenv()));
    }

    public ListSegmentsV1Handler(Config config) {
        this(Wiring.reader(config));
    }

    private ListSegmentsV1Handler(Wiring.Reader reader) {
        this(reader.lister(), reader.authorizer());
    }

    public ListSegmentsV1Handler(SegmentLister lister, ListAuthorizer authorizer) {
        super(lister, authorizer);
        this.priming = Priming.register(() -> ApiPriming.run(this, Map.of(),
                "{\"InstanceId\":\"" + ApiPriming.CONTACT + "\",\"ContactId\":\"" + ApiPriming.CONTACT + "\"}"));
    }

    @Override
    SegmentLister.Query parse(ProxyRequest request) {
        return ListRequests.v1(request.body());
    }

    @Override
    void writeHeader(JsonGenerator json, SegmentLister.Page page) {
        // The V1 response has only Segments and NextToken.
    }
}
