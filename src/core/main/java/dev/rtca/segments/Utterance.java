package dev.rtca.segments;

import java.util.Objects;

/**
 * One fragment of a voice transcript still being spoken: Contact Lens's {@code Utterance} segment of the voice segment
 * stream. The fragments of one {@code transcriptId} hold its words so far, each fragment the words between its
 * offsets; the {@code Transcript} whose Id is {@code transcriptId} closes it. Never part of a list response.
 */
public record Utterance(String id, String transcriptId, String participantId, String participantRole, String partialContent,
                        long beginOffsetMillis, long endOffsetMillis) {
    public Utterance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(transcriptId, "transcriptId");
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(participantRole, "participantRole");
        Objects.requireNonNull(partialContent, "partialContent");
    }
}
