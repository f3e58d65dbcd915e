package dev.rtca.push;

import dev.rtca.segments.ContactKey;
import dev.rtca.segments.Operation;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.SegmentType;
import java.util.Objects;
import java.util.Set;

/**
 * A connection's subscription to one stream of one contact, for some segment types, on behalf of the principal who
 * opened the connection (the user ARN API Gateway's IAM authorizer proved at {@code $connect}).
 *
 * @param stream    the stream served: the one a V2 subscription names; for a V1 (voice) subscription the one V1 chose
 *                  (null until its first page read it)
 * @param from      the stream position its catch-up reached when it went live: it holds every segment below it, and the
 *                  fan-out sends it only what lies at or past it
 * @param operation the list operation whose semantics serve it (V2: chat; V1: voice), authorized and paged as that one
 * @param partials  whether it asked for the partial transcripts of its (voice) stream
 */
public record Subscription(String connectionId, ContactKey contact, OutputType stream, Set<SegmentType> types,
                           String principal, long from, Operation operation, boolean partials) {
    public Subscription {
        types = Set.copyOf(types);
        Objects.requireNonNull(operation, "operation");
    }

    /** A chat (V2) subscription without partials. */
    public Subscription(String connectionId, ContactKey contact, OutputType stream, Set<SegmentType> types,
                        String principal, long from) {
        this(connectionId, contact, stream, types, principal, from, Operation.V2, false);
    }

    /** The same subscription, holding the stream up to {@code position}. */
    public Subscription from(long position) {
        return new Subscription(connectionId, contact, stream, types, principal, position, operation, partials);
    }

    /** The same subscription, on the stream its first page read (V1 chooses it). */
    public Subscription on(OutputType served) {
        return new Subscription(connectionId, contact, served, types, principal, from, operation, partials);
    }
}
