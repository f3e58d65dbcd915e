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

    /** One group's records, in order: after a failure, the group's later records are blocked. */
    private static void applyInOrder(Ingestor ingestor, List<Item> items, List<Integer> group, Envelope[] envelopes,
                                     RuntimeException[] unreadable, ContactKey[] contacts, Outcome[] outcomes) {
        String blockedBy = null;
        for (int i : group) {
            Item item = items.get(i);
            if (blockedBy != null) {
                outcomes[i] = new Blocked(item, contacts[i], blockedBy, item.group() != null);
                continue;
            }
            RuntimeException failure = unreadable[i];
            if (failure == null) {
                try {
                    outcomes[i] = new Applied(item, contacts[i], ingestor.apply(envelopes[i], item.deliveryKey()));
                    continue;
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            outcomes[i] = new Failed(item, contacts[i], failure);
            blockedBy = String.valueOf(item.id());
        }
    }
}
