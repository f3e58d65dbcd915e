package dev.rtca.segments;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The persistence port: contacts and their ordered segment streams. The store package implements it. */
public interface ContactStore {

    /** Strongly consistent read of the contact, empty when it does not exist. */
    Optional<Contact> find(ContactKey key);

    /**
     * Reads up to {@code max} segments of one stream starting at sequence {@code from}, keeping only
     * {@code types}. Work per call is bounded; a short page with {@code exhausted == false} means
     * "call again from {@code next}".
     */
    SegmentRange read(ContactKey key, OutputType stream, long from, int max, Set<SegmentType> types);

    /** Records a contact's start: creates it IN_PROGRESS, or adds the declared output types to it. */
    void open(ContactKey key, Channel channel, Set<OutputType> outputTypes);

    /** Sets a terminal status (COMPLETED or FAILED), creating the contact if it is not known yet. */
    void close(ContactKey key, Channel channel, ContactStatus terminal);

    /**
     * Appends segments to the end of one stream, exactly once per {@code eventKey}: a redelivered event is
     * a no-op, concurrent appenders never leave a gap or a duplicate. Creates the contact if needed.
     */
    AppendResult append(ContactKey key, Channel channel, OutputType stream, String eventKey, List<Segment> segments);
}
