package dev.rtca.runtime;

/** The NextToken keys could not be read: the request fails as the service's internal error, and is retried. */
public final class TokenKeyUnavailableException extends RuntimeException {
    public TokenKeyUnavailableException(String message) {
        super(message);
    }

    public TokenKeyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
