package dev.rtca.push;

import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.SegmentType;
import java.util.Set;

/**
 * A connection's subscription to one stream of one contact, for some segment types, on behalf of the principal who
 * opened the connection (the user ARN API Gateway's IAM authorizer proved at {@code $connect}).
 *
 * @param from the stream position its catch-up reached when it went live: it holds every segment below it, and the
 *             fan-out sends it only what lies at or past it
 */
public record Subscription(String connectionId, ContactKey contact, OutputType stream, Set<SegmentType> types,
                           String principal, long from) {
    public Subscription {
        types = Set.copyOf(types);
    }

    /** The same subscription, holding the stream up to {@code position}. */
    public Subscription from(long position) {
        return new Subscription(connectionId, contact, stream, types, principal, position);
    }
}
