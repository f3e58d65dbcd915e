package dev.rtca.segments;

import java.time.Instant;
import java.util.Set;

/**
 * Where the next page of one stream starts, and what request it belongs to. Sealed into the NextToken by
 * {@link TokenCodec}; clients only ever see the opaque string.
 */
public record PageToken(Operation operation, OutputType stream, Set<SegmentType> types, long next, Instant issuedAt) {
    public PageToken {
        types = Set.copyOf(types);
    }
}
