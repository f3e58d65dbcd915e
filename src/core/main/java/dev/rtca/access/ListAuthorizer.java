package dev.rtca.access;

import dev.rtca.segments.ContactKey;
import dev.rtca.segments.Operation;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.Permission;
import dev.rtca.segments.RequestRejected;
import dev.rtca.segments.SegmentType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Authorizes the two list operations as Amazon Connect does in IAM: action {@code connect:ListRealtimeContactAnalysisSegments}
 * (V1, the Contact Lens operation is authorised under the connect prefix) or {@code ...V2}, resource the contact's ARN,
 * condition keys {@value #OUTPUT_TYPE_KEY} (the stream read) and, for V2, {@value #SEGMENT_TYPE_KEY} (the requested
 * SegmentTypes, multivalued).
 */
public final class ListAuthorizer {
    public static final String V1_ACTION = "connect:ListRealtimeContactAnalysisSegments";
    public static final String V2_ACTION = "connect:ListRealtimeContactAnalysisSegmentsV2";
    public static final String OUTPUT_TYPE_KEY = "connect:ListRealtimeContactAnalysisSegmentsByOutputType";
    public static final String SEGMENT_TYPE_KEY = "connect:ListRealtimeContactAnalysisSegmentsBySegmentType";

    private final Policies policies;
    private final Deployment deployment;

    public ListAuthorizer(Policies policies, Deployment deployment) {
        this.policies = policies;
        this.deployment = deployment;
    }

    public Deployment deployment() {
        return deployment;
    }

    /** What this caller may read for one request. */
    public Permission permission(Caller caller, Operation operation, ContactKey contact, Set<SegmentType> types) {
        String action = operation == Operation.V1 ? V1_ACTION : V2_ACTION;
        String resource = deployment.contactArn(contact);
        return new Permission() {
            @Override
            public boolean allows(OutputType stream) {
                Map<String, List<String>> context = new HashMap<>();
                context.put(OUTPUT_TYPE_KEY, List.of(stream.name()));
                if (operation == Operation.V2) {
                    context.put(SEGMENT_TYPE_KEY, types.stream().map(Enum::name).sorted().toList());
                }
                return policies.evaluate(caller, new AccessRequest(action, resource, context)) == Decision.ALLOW;
            }

            @Override
            public RequestRejected refusal() {
                return new RequestRejected(RequestRejected.Reason.ACCESS_DENIED,
                        "User: " + caller.arn() + " is not authorized to perform: " + action + " on resource: " + resource);
            }
        };
    }
}
