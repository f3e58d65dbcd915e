package dev.rtca.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.segments.AppendResult;
import dev.rtca.segments.Channel;
import dev.rtca.segments.Contact;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.ContactStore;
import dev.rtca.segments.OpenTranscript;
import dev.rtca.segments.Segment;
import dev.rtca.segments.SegmentType;
import dev.rtca.segments.Utterance;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The ingest core shared by the Kinesis, SQS and EventBridge adapters: applies one envelope
 * through the {@link ContactStore}. No AWS event classes here.
 *
 * <ul>
 *   <li>STARTED → {@link ContactStore#open} with the declared output types;</li>
 *   <li>SEGMENTS → every segment was validated by {@link Envelope#parse}; first the voice Utterances go to
 *       {@link ContactStore#keep} (so a change of a partial transcript precedes its final Transcript's in the table's
 *       stream), except those whose Transcript came before them, in the event or an earlier event of the batch (late:
 *       counted, not kept); then {@link ContactStore#append} stores
 *       them exactly once per event key (a contact whose STARTED has not arrived is created IN_PROGRESS);
 *       segments after COMPLETED/FAILED are stored and counted in the result ({@code late});</li>
 *   <li>COMPLETED / FAILED → {@link ContactStore#close} (the first terminal status wins).</li>
 * </ul>
 *
 * Failures: {@link PoisonEventException} for events that can never be applied; anything else (DynamoDB
 * errors, throttling) is transient and propagates for the adapter to report and the event source to retry.
 */
public final class Ingestor {
    /** Contacts whose channel this JVM has seen, most recently used last; bounds the cache's memory. */
    static final int KNOWN_CHANNELS = 10_000;

    private final ContactStore store;
    /**
     * The channel of contacts already seen by this instance. A contact's channel never changes once it is
     * stored, so an entry never goes stale; it saves the channel check's read for every event of a contact
     * after the first (a warm container keeps reading the same shard's contacts).
     */
    private final Map<ContactKey, Channel> knownChannels = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<ContactKey, Channel> eldest) {
                    return size() > KNOWN_CHANNELS;
                }
            });

    public Ingestor(ContactStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Parses and applies one envelope given as JSON bytes. */
    public IngestResult ingest(byte[] json, String deliveryKey) {
        return apply(Envelope.parse(json), deliveryKey);
    }

    /** Parses and applies one envelope given as a JSON tree. */
    public IngestResult ingest(JsonNode json, String deliveryKey) {
        return apply(Envelope.parse(json), deliveryKey);
    }

    /**
     * Applies a parsed envelope.
     *
     * @param deliveryKey identifies this delivery of the event (stable across redeliveries); used as the
     *                    idempotency key unless the envelope names an {@code EventId}
     */
    public IngestResult apply(Envelope envelope, String deliveryKey) {
        String eventKey = envelope.eventKey(deliveryKey);
        checkChannel(envelope);
        IngestResult result = applyChecked(envelope, eventKey);
        knownChannels.put(envelope.contact(), envelope.channel());
        return result;
    }

    /**
     * Applies consecutive SEGMENTS envelopes of one contact and channel, in order, with one store call: the store writes
     * them in as few transactions as fit. The results are those of applying them one by one. On a failure, some of them
     * may be stored already; applying them again stores the rest, each exactly once.
     *
     * @param deliveryKeys one per envelope, as for {@link #apply}
     */
    public List<IngestResult> applySegments(List<Envelope> envelopes, List<String> deliveryKeys) {
        Envelope first = envelopes.getFirst();
        List<ContactStore.Append> appends = new ArrayList<>(envelopes.size());
        for (int i = 0; i < envelopes.size(); i++) {
            Envelope envelope = envelopes.get(i);
            if (envelope.eventType() != EventType.SEGMENTS || !envelope.contact().equals(first.contact())
                    || envelope.channel() != first.channel()) {
                throw new IllegalArgumentException("applySegments takes SEGMENTS envelopes of one contact and channel");
            }
            appends.add(new ContactStore.Append(envelope.stream(), envelope.eventKey(deliveryKeys.get(i)), envelope.segments()));
        }
        checkChannel(first);
        List<IngestResult> results = append(envelopes, appends);
        knownChannels.put(first.contact(), first.channel());
        return results;
    }

    /**
     * Stores SEGMENTS envelopes of one contact: their Utterances kept first (one store call), then one append each (one
     * store call); a result per envelope.
     */
    private List<IngestResult> append(List<Envelope> envelopes, List<ContactStore.Append> appends) {
        Envelope first = envelopes.getFirst();
        Kept kept = keep(envelopes);
        // An event of Utterances alone appends nothing: keeping them opened its stream (an empty append would write the
        // contact item again, a new version for every such batch).
        List<ContactStore.Append> toAppend = new ArrayList<>(appends.size());
        for (int i = 0; i < envelopes.size(); i++) {
            if (!utterancesAlone(envelopes.get(i))) {
                toAppend.add(appends.get(i));
            }
        }
        List<AppendResult> stored = toAppend.isEmpty() ? List.of() : store.append(first.contact(), first.channel(), toAppend);
        List<IngestResult> results = new ArrayList<>(envelopes.size());
        int next = 0;
        for (int i = 0; i < envelopes.size(); i++) {
            Envelope envelope = envelopes.get(i);
            AppendResult result = utterancesAlone(envelope) ? new AppendResult(0, 0, 0) : stored.get(next++);
            results.add(new IngestResult(envelope.contact(), envelope.channel(), envelope.eventType(), appends.get(i).eventKey(),
                    envelope.stream(), result.appended(), result.duplicates(), result.afterTerminal(), kept.kept()[i],
                    result.sameId(), kept.late()[i]));
        }
        return results;
    }

    private static boolean utterancesAlone(Envelope envelope) {
        return envelope.segments().isEmpty() && !envelope.utterances().isEmpty();
    }

    /** Per envelope: its Utterances kept, and those ignored as late. */
    private record Kept(int[] kept, int[] late) {
    }

    /**
     * Keeps the Utterances of SEGMENTS envelopes of one contact, in one store call, but those whose transcript is final
     * already: its Transcript came earlier in the same envelope or in an earlier one of the run (the same stream), or the
     * store holds it.
     */
    private Kept keep(List<Envelope> envelopes) {
        int[] kept = new int[envelopes.size()];
        int[] late = new int[envelopes.size()];
        Set<OpenTranscript> transcribed = new HashSet<>();
        List<ContactStore.Keep> keeps = new ArrayList<>(envelopes.size());
        boolean any = false;
        for (int i = 0; i < envelopes.size(); i++) {
            Envelope envelope = envelopes.get(i);
            List<Utterance> open = new ArrayList<>();
            int passed = 0; // the envelope's segments already noted: those before the fragment at hand
            for (Envelope.Fragment fragment : envelope.utterances()) {
                passed = noteTranscripts(envelope, passed, fragment.position(), transcribed);
                if (transcribed.contains(new OpenTranscript(envelope.stream(), fragment.utterance().transcriptId()))) {
                    late[i]++;
                } else {
                    open.add(fragment.utterance());
                }
            }
            noteTranscripts(envelope, passed, envelope.segments().size(), transcribed);
            keeps.add(new ContactStore.Keep(envelope.stream(), open));
            any |= !open.isEmpty();
        }
        if (any) {
            Envelope first = envelopes.getFirst();
            List<Integer> stored = store.keep(first.contact(), first.channel(), keeps);
            for (int i = 0; i < keeps.size(); i++) {
                kept[i] = keeps.get(i).utterances().size() - stored.get(i);
                late[i] += stored.get(i);
            }
        }
        return new Kept(kept, late);
    }

    /**
     * Notes the Transcripts among the envelope's segments {@code from} (inclusive) {@code to} (exclusive) as come, in
     * their stream: an Utterance of one of them that follows is late.
     *
     * @return {@code to}
     */
    private static int noteTranscripts(Envelope envelope, int from, int to, Set<OpenTranscript> transcribed) {
        for (Segment segment : envelope.segments().subList(from, to)) {
            if (segment.type() == SegmentType.Transcript && segment.id() != null) {
                transcribed.add(new OpenTranscript(envelope.stream(), segment.id()));
            }
        }
        return to;
    }

    private IngestResult applyChecked(Envelope envelope, String eventKey) {
        ContactKey key = envelope.contact();
        Channel channel = envelope.channel();
        switch (envelope.eventType()) {
            case STARTED -> {
                store.open(key, channel, envelope.outputs());
                return new IngestResult(key, channel, envelope.eventType(), eventKey, null, 0, 0, 0, 0, 0, 0);
            }
            case SEGMENTS -> {
                return append(List.of(envelope), List.of(new ContactStore.Append(envelope.stream(), eventKey, envelope.segments())))
                        .getFirst();
            }
            case COMPLETED, FAILED -> {
                store.close(key, channel, envelope.eventType() == EventType.COMPLETED
                        ? ContactStatus.COMPLETED : ContactStatus.FAILED);
                return new IngestResult(key, channel, envelope.eventType(), eventKey, null, 0, 0, 0, 0, 0, 0);
            }
            default -> throw new IllegalStateException("unhandled event type " + envelope.eventType());
        }
    }

    /**
     * A contact keeps the channel it was created with, and each channel has its own segment shapes: a chat
     * envelope for a voice contact (or the reverse) would put segments the reader cannot serve into its
     * streams. Such an event can never be applied.
     */
    private void checkChannel(Envelope envelope) {
        Channel known = knownChannels.get(envelope.contact());
        if (known == null) {
            Optional<Contact> existing = store.find(envelope.contact());
            if (existing.isEmpty()) {
                return;
            }
            known = existing.get().channel();
            knownChannels.put(envelope.contact(), known);
        }
        if (known != envelope.channel()) {
            throw new PoisonEventException("contact " + envelope.contact().contactId() + " is a " + known
                    + " contact; a " + envelope.channel() + " envelope (Version " + envelope.version()
                    + ") cannot be applied to it", envelope.contact());
        }
    }
}
