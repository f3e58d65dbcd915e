package dev.rtca.api;

import com.fasterxml.jackson.core.JsonGenerator;
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

    /** Lambda's constructor: configured from the function's environment. */
    public ListSegmentsV2Handler() {
        this(Config.fromEnvironment(System.getenv()));
        // SnapStart: one request through the typed path before the snapshot, so a restored function has it loaded.
        Priming.beforeSnapshot(this::prime);
    }

    /** The local runtime's constructor (it configures every function itself). */
    public ListSegmentsV2Handler(Config config) {
        this(Wiring.reader(config));
    }

    public ListSegmentsV2Handler(Wiring.Reader reader) {
        super(reader);
    }

    /** The SnapStart priming request. */
    String prime() {
        return ApiPriming.run(this, Map.of("InstanceId", ApiPriming.CONTACT, "ContactId", ApiPriming.CONTACT),
                "{\"OutputType\":\"Redacted\",\"SegmentTypes\":[\"Transcript\"],\"MaxResults\":1}");
    }

    @Override
    SegmentLister.Query parse(Map<String, String> pathParameters, byte[] body) {
        return ListRequests.v2(pathParameters.get("InstanceId"), pathParameters.get("ContactId"), body);
    }

    @Override
    void writeHeader(JsonGenerator json, SegmentLister.Page page) throws IOException {
        json.writeStringField("Channel", page.channel().name());
        json.writeStringField("Status", page.status().name());
    }
}
