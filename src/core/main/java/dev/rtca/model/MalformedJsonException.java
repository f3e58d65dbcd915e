package dev.rtca.model;

/** A document that is not one JSON value within {@link Json}'s limits. The message says what is wrong. */
public final class MalformedJsonException extends RuntimeException {
    public MalformedJsonException(String message) {
        super(message);
    }
}
