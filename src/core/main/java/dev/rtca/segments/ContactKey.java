package dev.rtca.segments;

import java.util.Objects;

/** Identifies a contact: the Amazon Connect instance and the contact within it. */
public record ContactKey(String instanceId, String contactId) {
    public ContactKey {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(contactId, "contactId");
    }
}
