package dev.rtca.segments;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The persistence port: contacts and their ordered segment streams. The store package implements it. */
public interface ContactStore {

    /** Strongly consistent read of the contact, empty when it does not exist. */
    Optional<Contact> find(ContactKey key);

    /**
     * Reads the contact (strongly consistent, serializable against appends) and up to {@code limit} items of one of
     * its streams from sequence {@code from} on (strongly consistent, but read-committed against appends: part of an
     * append that commits meanwhile may be missing). The store may run the two reads concurrently: neither bounds
     * the other.
     */
    StreamRead read(ContactKey key, OutputType stream, long from, int limit);

    /** Reads up to {@code limit} more items of a stream from sequence {@code from} on, with the same guarantees. */
    Slice more(ContactKey key, OutputType stream, long from, int limit);

    /** Records a contact's start: creates it IN_PROGRESS, or adds the declared output types to it. */
    void open(ContactKey key, Channel channel, Set<OutputType> outputTypes);

    /** Sets a terminal status (COMPLETED or FAILED), creating the contact if it is not known yet. */
    void close(ContactKey key, Channel channel, ContactStatus terminal);

    /**
     * Appends segments to the end of one stream, exactly once per {@code eventKey}: a redelivered event is
     * a no-op, concurrent appenders never leave a gap or a duplicate. Creates the contact if needed.
     */
    default AppendResult append(ContactKey key, Channel channel, OutputType stream, String eventKey, List<Segment> segments) {
        return append(key, channel, List.of(new Append(stream, eventKey, segments))).getFirst();
    }

    /**
     * Appends several events' segments to one contact, in order, with the guarantees of a single append for each, in as
     * few writes as the store allows; one result per append. If it fails, some of the appends may be stored already:
     * calling it again with the same appends stores the rest, each exactly once.
     */
    List<AppendResult> append(ContactKey key, Channel channel, List<Append> appends);

    /**
     * Keeps voice Utterances of one stream durably (with the contact's time to live): each Utterance once by its Id,
     * whatever the order, however often it comes. An Utterance whose transcript the stream already holds (its
     * {@code Transcript} was appended) is late: it is not kept, and counted in the result. Creates the contact if needed,
     * as {@link #append} does.
     *
     * @return how many of the Utterances were late
     */
    int keep(ContactKey key, Channel channel, OutputType stream, List<Utterance> utterances);

    /**
     * Keeps several events' Utterances of one contact, each {@link Keep} with the guarantees of
     * {@link #keep(ContactKey, Channel, OutputType, List)}, in as few calls as the store allows (one read of the contact
     * for all of them); the late count of each, in order. By default, one {@code keep} each.
     */
    default List<Integer> keep(ContactKey key, Channel channel, List<Keep> keeps) {
        List<Integer> late = new ArrayList<>(keeps.size());
        for (Keep keep : keeps) {
            late.add(keep.utterances().isEmpty() ? 0 : keep(key, channel, keep.stream(), keep.utterances()));
        }
        return late;
    }

    /** The Utterances kept for one open transcript (strongly consistent), in no particular order; empty when none. */
    List<Utterance> utterances(ContactKey key, OpenTranscript transcript);

    /** One event's Utterances of one stream, kept by {@link #keep(ContactKey, Channel, List)}. */
    record Keep(OutputType stream, List<Utterance> utterances) {
        public Keep {
            utterances = List.copyOf(utterances);
        }
    }

    /** One event's segments for one stream, stored at most once per {@code eventKey}. */
    record Append(OutputType stream, String eventKey, List<Segment> segments) {
    }
}
