package dev.rtca.segments;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** RealTimeContactAnalysisSegmentType (V2, newest model), also the member name of each segment's union key. */
public enum SegmentType {
    Transcript, Categories, Issues, Event, Attachments, PostContactSummary, ExtractedInformation;

    /** The segment types the V1 (voice) response shape has. */
    public static final Set<SegmentType> V1 = EnumSet.of(Transcript, Categories, PostContactSummary, ExtractedInformation);

    public static Optional<SegmentType> parse(String value) {
        for (SegmentType t : values()) {
            if (t.name().equals(value)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
