package dev.rtca.push;

import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.SegmentType;
import java.util.Set;

/**
 * A connection's subscription to one stream of one contact, for some segment types, on behalf of the principal who
 * opened the connection (the user ARN API Gateway's IAM authorizer proved at {@code $connect}).
 */
public record Subscription(String connectionId, ContactKey contact, OutputType stream, Set<SegmentType> types,
                           String principal) {
    public Subscription {
        types = Set.copyOf(types);
    }
}
