package dev.rtca.segments;

/** A failure the caller is told about, with one of the modelled error kinds and a message safe to show. */
public class SegmentsException extends RuntimeException {
    private final ServiceError error;

    public SegmentsException(ServiceError error, String message) {
        super(message);
        this.error = error;
    }

    public SegmentsException(ServiceError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public ServiceError error() {
        return error;
    }

    public static SegmentsException invalid(String message) {
        return new SegmentsException(ServiceError.INVALID_REQUEST, message);
    }
}
