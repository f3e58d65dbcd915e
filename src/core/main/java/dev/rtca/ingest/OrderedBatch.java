package dev.rtca.ingest;

import dev.rtca.concurrent.SideBySide;
import dev.rtca.segments.ContactKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the records of one batch (Kinesis or SQS) in order and tells, record by record, what happened.
 *
 * <p>Order is kept per <em>group</em>: the transport's group when it has one (SQS FIFO MessageGroupId),
 * else the contact the envelope names. Once a record of a group fails, that group's later records in the
 * batch are not applied and are reported as failed too, so a retry replays them in their original order
 * (a COMPLETED never overtakes the SEGMENTS before it). Other groups go on: they are applied side by side, each
 * in its own order. A record whose group cannot be told (say, invalid JSON) fails alone.
 */
public final class OrderedBatch {

    /**
     * One record of a batch.
     *
     * @param id          what the batch response reports on failure (sequence number, message ID); null when
     *                    the record carried none
     * @param deliveryKey the idempotency key of this delivery, stable across redeliveries
     * @param group       the transport's ordering group, or null to order by contact
     * @param body        the envelope as UTF-8 JSON, or null when the record carried none
     * @param unreadable  why the record's body could not be read at all (say, its data is not base64), or null
     */
    public record Item(String id, String deliveryKey, String group, byte[] body, String unreadable) {
        public Item(String id, String deliveryKey, String group, byte[] body) {
            this(id, deliveryKey, group, body, null);
        }
    }

    /** What became of one record. */
    public sealed interface Outcome {
        Item item();

        /** The contact the record names, when it could be read. */
        ContactKey contact();

        default boolean failed() {
            return !(this instanceof Applied);
        }
    }

    public record Applied(Item item, ContactKey contact, IngestResult result) implements Outcome {
    }

    /** Not applied: poison ({@link PoisonEventException}) or a transient failure of the store. */
    public record Failed(Item item, ContactKey contact, RuntimeException failure) implements Outcome {
    }

    /** Not applied because an earlier record of its group failed in this batch. */
    public record Blocked(Item item, ContactKey contact, String blockedBy, boolean byMessageGroup) implements Outcome {
    }

    /** Groups applied at once: as many as the JDK keeps HTTP connections alive to one host by default (five). */
    static final int GROUPS_AT_ONCE = 5;

    private OrderedBatch() {
    }

    /** The outcomes, one per item, in batch order. */
    public static List<Outcome> apply(Ingestor ingestor, List<Item> items) {
        Outcome[] outcomes = new Outcome[items.size()];
        Envelope[] envelopes = new Envelope[items.size()];
        RuntimeException[] unreadable = new RuntimeException[items.size()];
        ContactKey[] contacts = new ContactKey[items.size()];
        Map<Object, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (item.body() == null) {
                unreadable[i] = new PoisonEventException(item.unreadable() != null ? item.unreadable() : "the record has no data", null);
            } else {
                try {
                    envelopes[i] = Envelope.parse(item.body());
                    contacts[i] = envelopes[i].contact();
                } catch (PoisonEventException e) {
                    unreadable[i] = e;
                    contacts[i] = e.contact().orElse(null);
                }
            }
            Object group = item.group() != null ? item.group() : contacts[i];
            if (group == null) {
                outcomes[i] = new Failed(item, null, unreadable[i]); // its group cannot be told: it fails alone
            } else {
                groups.computeIfAbsent(group, g -> new ArrayList<>()).add(i);
            }
        }
        // Groups are independent and each one's records are round trips to the store: side by side, a batch of ten
        // contacts takes about as long as its slowest contact.
        SideBySide.forEach(List.copyOf(groups.values()), GROUPS_AT_ONCE,
                group -> applyInOrder(ingestor, items, group, envelopes, unreadable, contacts, outcomes));
        return List.of(outcomes);
    }

    /**
     * One group's records, in order: after a failure, the group's later records are blocked. Consecutive SEGMENTS records
     * of one contact go to the store together (a run): it writes them in as few transactions as fit, and a run that
     * fails is reported failed from its first record on (a retry stores what it had not, exactly once).
     */
    private static void applyInOrder(Ingestor ingestor, List<Item> items, List<Integer> group, Envelope[] envelopes,
                                     RuntimeException[] unreadable, ContactKey[] contacts, Outcome[] outcomes) {
        String blockedBy = null;
        int at = 0;
        while (at < group.size()) {
            int first = group.get(at);
            Item item = items.get(first);
            if (blockedBy != null) {
                outcomes[first] = new Blocked(item, contacts[first], blockedBy, item.group() != null);
                at++;
                continue;
            }
            int end = at + 1;
            while (end < group.size() && joins(envelopes[first], envelopes[group.get(end)])) {
                end++;
            }
            List<Integer> run = group.subList(at, end);
            RuntimeException failure = unreadable[first];
            if (failure == null) {
                try {
                    if (run.size() == 1) {
                        outcomes[first] = new Applied(item, contacts[first], ingestor.apply(envelopes[first], item.deliveryKey()));
                    } else {
                        List<IngestResult> results = ingestor.applySegments(run.stream().map(i -> envelopes[i]).toList(),
                                run.stream().map(i -> items.get(i).deliveryKey()).toList());
                        for (int r = 0; r < run.size(); r++) {
                            outcomes[run.get(r)] = new Applied(items.get(run.get(r)), contacts[run.get(r)], results.get(r));
                        }
                    }
                    at = end;
                    continue;
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            outcomes[first] = new Failed(item, contacts[first], failure);
            blockedBy = String.valueOf(item.id());
            at++;
        }
    }

    /** Whether a record goes to the store with the run that {@code first} opens: SEGMENTS of the same contact and channel. */
    private static boolean joins(Envelope first, Envelope next) {
        return first != null && next != null && first.eventType() == EventType.SEGMENTS && next.eventType() == EventType.SEGMENTS
                && first.contact().equals(next.contact()) && first.channel() == next.channel();
    }
}
