package dev.rtca.segments;

/** The two list operations; a NextToken is only valid for the operation that issued it. */
public enum Operation {
    /** Contact Lens ListRealtimeContactAnalysisSegments (voice). */
    V1,
    /** Connect ListRealtimeContactAnalysisSegmentsV2 (chat). */
    V2
}
