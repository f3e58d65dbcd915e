package dev.rtca.store;

/**
 * DynamoDB could not do what the store asked: throttled (retry later, with back-off) or failed. Either way the
 * failure is transient from the caller's point of view; the callers decide what their own caller sees.
 */
public final class StoreException extends RuntimeException {
    private final boolean throttled;

    StoreException(String message, boolean throttled, Throwable cause) {
        super(message, cause);
        this.throttled = throttled;
    }

    /** DynamoDB throttled the request, or writers contended for one contact for too long. */
    public boolean throttled() {
        return throttled;
    }
}
