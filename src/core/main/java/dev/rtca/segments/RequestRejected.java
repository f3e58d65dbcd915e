package dev.rtca.segments;

/**
 * A list request the service refuses, and why. The reasons are the domain's; the API maps each to the error
 * type its caller sees. The message is safe to show the caller: it names the member or resource at fault.
 */
public final class RequestRejected extends RuntimeException {

    public enum Reason {
        /** The request breaks the model, or does not fit the contact (wrong channel, a foreign NextToken). */
        INVALID,
        /** No such contact in that instance. */
        CONTACT_NOT_FOUND,
        /** The contact exists but has no stream of the requested output type. */
        OUTPUT_TYPE_NOT_FOUND,
        /** The caller's policies do not allow the request. */
        ACCESS_DENIED
    }

    private final Reason reason;

    public RequestRejected(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public static RequestRejected invalid(String message) {
        return new RequestRejected(Reason.INVALID, message);
    }
}
