package dev.rtca.segments;

/** A segment as read back from its stream, with its position (0-based) in that stream. */
public record StoredSegment(long sequence, Segment segment) {
}
