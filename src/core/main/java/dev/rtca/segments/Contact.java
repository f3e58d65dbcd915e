package dev.rtca.segments;

import java.util.Set;

/** What the store knows about a contact: its channel, lifecycle status and the output streams it has. */
public record Contact(ContactKey key, Channel channel, ContactStatus status, Set<OutputType> outputTypes) {
    public Contact {
        outputTypes = Set.copyOf(outputTypes);
    }

    public boolean has(OutputType outputType) {
        return outputTypes.contains(outputType);
    }
}
