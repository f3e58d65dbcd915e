package dev.rtca.segments;

import java.util.Objects;

/**
 * One validated segment: its type and its canonical wire JSON, the whole union element
 * (for example {@code {"Transcript":{...}}}), so that a page is a concatenation of stored payloads.
 *
 * @param id the segment's own {@code Id} (Transcript, Event, Attachments), by which a producer's retry of it is known;
 *           null for the types that have none (Categories, Issues, PostContactSummary, ExtractedInformation) and for
 *           segments read back from a stream. It is read from the JSON, so two segments are equal by type and JSON alone.
 */
public record Segment(SegmentType type, String json, String id) {
    public Segment {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(json, "json");
    }

    /** A segment without an {@code Id} of its own (or one read back, whose Id is not needed). */
    public Segment(SegmentType type, String json) {
        this(type, json, null);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Segment segment && type == segment.type && json.equals(segment.json);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, json);
    }
}
