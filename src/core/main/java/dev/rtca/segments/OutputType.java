package dev.rtca.segments;

import java.util.Optional;

/** RealTimeContactAnalysisOutputType: each output type of a contact is its own ordered segment stream. */
public enum OutputType {
    Raw, Redacted;

    public static Optional<OutputType> parse(String value) {
        for (OutputType t : values()) {
            if (t.name().equals(value)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
