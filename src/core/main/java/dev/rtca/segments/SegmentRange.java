package dev.rtca.segments;

import java.util.List;

/**
 * A slice of one output stream.
 *
 * @param segments  the matching segments, in sequence order
 * @param next      the first sequence the following read starts at; never past a segment that matched
 *                  and was not returned
 * @param exhausted true when no segment at or after {@code next} existed when the read ran
 */
public record SegmentRange(List<StoredSegment> segments, long next, boolean exhausted) {
    public SegmentRange {
        segments = List.copyOf(segments);
    }
}
