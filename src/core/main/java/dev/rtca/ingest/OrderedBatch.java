package dev.rtca.ingest;

import dev.rtca.segments.ContactKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the records of one batch (Kinesis or SQS) in order and tells, record by record, what happened.
 *
 * <p>Order is kept per <em>group</em>: the transport's group when it has one (SQS FIFO MessageGroupId),
 * else the contact the envelope names. Once a record of a group fails, that group's later records in the
 * batch are not applied and are reported as failed too, so a retry replays them in their original order
 * (a COMPLETED never overtakes the SEGMENTS before it). Other groups go on. A record whose group cannot be
 * told (say, invalid JSON) fails alone.
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

    private OrderedBatch() {
    }

    /** The outcomes, one per item, in batch order. */
    public static List<Outcome> apply(Ingestor ingestor, List<Item> items) {
        List<Outcome> outcomes = new ArrayList<>(items.size());
        Map<Object, String> blockedBy = new HashMap<>();
        for (Item item : items) {
            Envelope envelope = null;
            RuntimeException failure = null;
            ContactKey contact = null;
            if (item.body() == null) {
                failure = new PoisonEventException(item.unreadable() != null ? item.unreadable() : "the record has no data", null);
            } else {
                try {
                    envelope = Envelope.parse(item.body());
                    contact = envelope.contact();
                } catch (PoisonEventException e) {
                    failure = e;
                    contact = e.contact().orElse(null);
                }
            }
            Object group = item.group() != null ? item.group() : contact;

            String earlier = group == null ? null : blockedBy.get(group);
            if (earlier != null) {
                outcomes.add(new Blocked(item, contact, earlier, item.group() != null));
                continue;
            }
            if (failure == null) {
                try {
                    outcomes.add(new Applied(item, contact, ingestor.apply(envelope, item.deliveryKey())));
                    continue;
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            outcomes.add(new Failed(item, contact, failure));
            if (group != null) {
                blockedBy.put(group, String.valueOf(item.id()));
            }
        }
        return List.copyOf(outcomes);
    }
}
