package dev.rtca.segments;

/**
 * What the caller of one list request may read: asked before the contact is read (so a caller who may read nothing
 * learns nothing about which contacts exist) and again once the stream is known.
 */
public interface Permission {
    /** Every stream: for reads made on behalf of callers each authorized on their own (the push fan-out, benchmarks). */
    Permission EVERY_STREAM = new Permission() {
        @Override
        public boolean allows(OutputType stream) {
            return true;
        }

        @Override
        public RequestRejected refusal() {
            throw new IllegalStateException("a permission for every stream refuses nothing");
        }
    };

    /** Whether the caller may read this stream of the request's contact, with the request's operation and types. */
    boolean allows(OutputType stream);

    /** The refusal the caller sees: AccessDenied, naming the caller, the action and the resource. */
    RequestRejected refusal();
}
