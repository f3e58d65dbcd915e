package dev.rtca.api;

import com.fasterxml.jackson.core.JsonGenerator;
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

    /** Lambda's constructor: configured from the function's environment. */
    public ListSegmentsV1Handler() {
        this(Config.fromEnvironment(System.getenv()));
        // SnapStart: one request through the typed path before the snapshot, so a restored function has it loaded.
        Priming.beforeSnapshot(this::prime);
    }

    /** The local runtime's constructor (it configures every function itself). */
    public ListSegmentsV1Handler(Config config) {
        this(Wiring.reader(config));
    }

    public ListSegmentsV1Handler(Wiring.Reader reader) {
        super(reader);
    }

    /** The SnapStart priming request. */
    String prime() {
        return ApiPriming.run(this, Map.of(),
                "{\"InstanceId\":\"" + ApiPriming.CONTACT + "\",\"ContactId\":\"" + ApiPriming.CONTACT + "\"}");
    }

    @Override
    SegmentLister.Query parse(Map<String, String> pathParameters, byte[] body) {
        return ListRequests.v1(body);
    }

    @Override
    void writeHeader(JsonGenerator json, SegmentLister.Page page) {
        // The V1 response has only Segments and NextToken.
    }
}
