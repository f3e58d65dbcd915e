package dev.rtca.ingest;

import dev.rtca.segments.ContactKey;
import java.util.Optional;

/**
 * An event that can never be applied, however often it is retried: invalid JSON, an unknown envelope
 * version or event type, bad IDs, a segment that breaks the service model, an oversized field.
 * Adapters report it as a failure (so it reaches the on-failure destination / DLQ) and log the reason;
 * they never retry it in-process.
 *
 * <p>The reason names the member at fault and the rule it breaks, never the member's value: a value can be a
 * customer's words, and the reason is logged (and, for EventBridge, is the function error Lambda logs).
 */
public final class PoisonEventException extends RuntimeException {
    private final transient ContactKey contact;
    private final String member;

    public PoisonEventException(String reason, ContactKey contact) {
        this(reason, null, contact);
    }

    /** @param member the member at fault as a JSON path ({@code Segments[0].Transcript.Content}), or null */
    public PoisonEventException(String reason, String member, ContactKey contact) {
        super(reason);
        this.member = member;
        this.contact = contact;
    }

    /** Why the event was rejected, naming the member at fault. */
    public String reason() {
        return getMessage();
    }

    /** The member at fault, as a JSON path, when the rejection is about one member. */
    public Optional<String> member() {
        return Optional.ofNullable(member);
    }

    /** The contact the event names, when its IDs could be read (used to keep a contact's later events in order). */
    public Optional<ContactKey> contact() {
        return Optional.ofNullable(contact);
    }
}
