package dev.rtca.segments;

import java.util.Objects;

/** A voice transcript of one stream whose Utterances have been kept: the unit a partial-transcript frame is about. */
public record OpenTranscript(OutputType stream, String transcriptId) {
    public OpenTranscript {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(transcriptId, "transcriptId");
    }
}
