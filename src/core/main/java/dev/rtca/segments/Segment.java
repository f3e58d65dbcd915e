package dev.rtca.segments;

import java.util.Objects;

/**
 * One validated segment: its type and its canonical wire JSON, the whole union element
 * (for example {@code {"Transcript":{...}}}), so that a page is a concatenation of stored payloads.
 */
public record Segment(SegmentType type, String json) {
    public Segment {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(json, "json");
    }
}
