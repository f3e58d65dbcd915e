package dev.rtca.ingest;

import java.util.Optional;

/**
 * The lifecycle event an envelope carries: {@code EventType} in voice envelopes (Version 1.0.0),
 * {@code StreamingEventType} in chat envelopes (Version 2.0.0).
 */
public enum EventType {
    STARTED, SEGMENTS, COMPLETED, FAILED;

    static Optional<EventType> parse(String value) {
        for (EventType t : values()) {
            if (t.name().equals(value)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
