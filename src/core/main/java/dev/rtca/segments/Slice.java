package dev.rtca.segments;

import java.util.List;

/**
 * Items of one stream as one read returned them, in sequence order. Sequences may be missing: a read runs
 * read-committed against appends, so it can miss part of an append that commits while it runs, and TTL deletes
 * old segments in any order.
 *
 * @param items the segments read, ascending by sequence
 * @param more  true when the read stopped before the end of the stream (its item or size limit), false when it
 *              reached the end of what was visible
 */
public record Slice(List<StoredSegment> items, boolean more) {
    public Slice {
        items = List.copyOf(items);
    }
}
