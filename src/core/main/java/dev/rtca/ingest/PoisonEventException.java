package dev.rtca.ingest;

import dev.rtca.segments.ContactKey;
import java.util.Optional;

/**
 * An event that can never be applied, however often it is retried: invalid JSON, an unknown envelope
 * version or event type, bad IDs, a segment that breaks the service model, an oversized field.
 * Adapters report it as a failure (so it reaches the on-failure destination / DLQ) and log the reason;
 * they never retry it in-process.
 */
public final class PoisonEventException extends RuntimeException {
    private final transient ContactKey contact;

    public PoisonEventException(String reason, ContactKey contact) {
        super(reason);
        this.contact = contact;
    }

    /** Why the event was rejected, naming the member at fault. */
    public String reason() {
        return getMessage();
    }

    /** The contact the event names, when its IDs could be read (used to keep a contact's later events in order). */
    public Optional<ContactKey> contact() {
        return Optional.ofNullable(contact);
    }
}
