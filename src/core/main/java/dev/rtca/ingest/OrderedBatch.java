package dev.rtca.ingest;

import dev.rtca.concurrent.SideBySide;
import dev.rtca.segments.ContactKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Applies the records of one batch (Kinesis or SQS) in order and tells, record by record, what happened.
 *
 * <p>Order is kept per {@link Group}: the transport's message group when it has one (SQS FIFO MessageGroupId),
 * else the contact the envelope names. Once a record of a group fails, that group's later records in the
 * batch are not applied and are reported as failed too, so a retry replays them in their original order
 * (a COMPLETED never overtakes the SEGMENTS before it). Other groups go on: they are applied side by side, each
 * in its own order. A record whose group cannot be told (say, invalid JSON) fails alone.
 *
 * <p>A batch response names a record by its identifier, so two records of one batch with one identifier are told
 * apart here: the same delivery twice (same identifier, delivery key and body) is applied once, the later copy
 * {@link Repeated}; a later record with the identifier of an earlier one but other content is poison (the response
 * could not tell which of the two failed, and one of them would be lost under the other's key).
 */
public final class OrderedBatch {

    /**
     * One record of a batch: {@link #of} a record with a body, {@link #unreadable} one whose body could not be read.
     *
     * @param id           what the batch response reports on failure (sequence number, message ID); null when the
     *                     record carried none
     * @param deliveryKey  the idempotency key of this delivery, stable across redeliveries
     * @param messageGroup the transport's ordering group, or null to order by contact
     * @param body         the envelope as UTF-8 JSON, or null when there is none
     * @param unreadable   why it cannot be applied whatever its body: there is none (it was missing, or could not be
     *                     read), or its delivery is incomplete ({@link #rejected}); null for a record to apply
     */
    public record Item(String id, String deliveryKey, String messageGroup, byte[] body, String unreadable) {
        public Item {
            if (body == null && unreadable == null) {
                throw new IllegalArgumentException("an item has a body or the reason it has none");
            }
        }

        /** A record whose body is an envelope, as UTF-8 JSON; a null body is a record that carried none. */
        public static Item of(String id, String deliveryKey, byte[] body) {
            return body == null ? unreadable(id, deliveryKey, "the record has no data") : new Item(id, deliveryKey, null, body, null);
        }

        /** A record whose body could not be read at all (say, its data is not base64), and why. */
        public static Item unreadable(String id, String deliveryKey, String reason) {
            return new Item(id, deliveryKey, null, null, Objects.requireNonNull(reason, "reason"));
        }

        /** The same record, ordered with its transport's message group instead of by contact. */
        public Item inMessageGroup(String group) {
            return new Item(id, deliveryKey, group, body, unreadable);
        }

        /**
         * The same record, poison whatever its body says (its delivery is not as the event source makes one, say a
         * Kinesis record without its eventID). The body, when it can be read, still names its contact, so the contact's
         * later records wait for it.
         */
        public Item rejected(String reason) {
            return new Item(id, deliveryKey, messageGroup, body, Objects.requireNonNull(reason, "reason"));
        }

        /** Whether {@code other} is this very delivery again: same identifier, key, group and content. */
        boolean sameDelivery(Item other) {
            return Objects.equals(id, other.id) && Objects.equals(deliveryKey, other.deliveryKey)
                    && Objects.equals(messageGroup, other.messageGroup) && Arrays.equals(body, other.body)
                    && Objects.equals(unreadable, other.unreadable);
        }
    }

    /** What a batch keeps order by. */
    public sealed interface Group {
    }

    /** An SQS FIFO message group: its records in order, whatever contacts they name. */
    public record MessageGroup(String id) implements Group {
    }

    /** A contact: the records of a transport without message groups, by the contact their envelope names. */
    public record ContactGroup(ContactKey contact) implements Group {
    }

    /** What became of one record. */
    public sealed interface Outcome {
        Item item();

        /** The contact the record names, when it could be read. */
        ContactKey contact();

        /** Whether the record's identifier is to be reported as failed (a repeat's is its first copy's). */
        default boolean failed() {
            return this instanceof Failed || this instanceof Blocked;
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

    /**
     * The same delivery as the record at {@code first} in this batch: not applied again; the first copy's outcome is its
     * outcome (and the first copy's identifier, the same, is reported if that failed).
     */
    public record Repeated(Item item, ContactKey contact, int first) implements Outcome {
    }

    /** Groups applied at once: as many as the JDK keeps HTTP connections alive to one host by default (five). */
    static final int GROUPS_AT_ONCE = 5;

    private OrderedBatch() {
    }

    /**
     * A record as read, at its place in the batch: its envelope, or why it cannot be applied (poison), and the contact
     * it names when that could be told even so.
     */
    private record Read(int position, Item item, Envelope envelope, PoisonEventException poison, ContactKey contact) {
        static Read of(int position, Item item) {
            Read read = new Read(position, item, null, null, null);
            if (item.body() != null) {
                try {
                    Envelope envelope = Envelope.parse(item.body());
                    read = new Read(position, item, envelope, null, envelope.contact());
                } catch (PoisonEventException e) {
                    read = new Read(position, item, null, e, e.contact().orElse(null));
                }
            }
            return item.unreadable() == null ? read : read.poison(item.unreadable());
        }

        /** The same record, poison for {@code reason} (its contact, when it could be read, kept for the order). */
        Read poison(String reason) {
            return new Read(position, item, null, new PoisonEventException(reason, contact), contact);
        }

        /** The group it is ordered in; null when it cannot be told. */
        Group group() {
            if (item.messageGroup() != null) {
                return new MessageGroup(item.messageGroup());
            }
            return contact == null ? null : new ContactGroup(contact);
        }

        /** Whether it goes to the store with the run this record opens: SEGMENTS of the same contact and channel. */
        boolean joins(Read next) {
            return envelope != null && next.envelope != null && envelope.eventType() == EventType.SEGMENTS
                    && next.envelope.eventType() == EventType.SEGMENTS && envelope.contact().equals(next.envelope.contact())
                    && envelope.channel() == next.envelope.channel();
        }

        Applied applied(IngestResult result) {
            return new Applied(item, contact, result);
        }

        Failed failed(RuntimeException failure) {
            return new Failed(item, contact, failure);
        }

        Blocked blockedBy(Read failed) {
            return new Blocked(item, contact, String.valueOf(failed.item.id()), item.messageGroup() != null);
        }
    }

    /** The outcomes, one per item, in batch order. */
    public static List<Outcome> apply(Ingestor ingestor, List<Item> items) {
        Outcome[] outcomes = new Outcome[items.size()];
        Read[] reads = new Read[items.size()];
        Map<String, Integer> firstWithId = new HashMap<>();
        Map<Group, List<Read>> groups = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            Integer first = item.id() == null ? null : firstWithId.putIfAbsent(item.id(), i);
            if (first != null && items.get(first).sameDelivery(item)) {
                outcomes[i] = new Repeated(item, reads[first].contact(), first);
                continue;
            }
            Read read = Read.of(i, item);
            if (first != null) {
                read = read.poison("the record at index " + first + " of this batch has this record's identifier and other"
                        + " content; the batch response could not tell the two apart");
            }
            reads[i] = read;
            Group group = read.group();
            if (group == null) {
                outcomes[i] = read.failed(read.poison()); // its group cannot be told: it fails alone
            } else {
                groups.computeIfAbsent(group, g -> new ArrayList<>()).add(read);
            }
        }
        // Groups are independent and each one's records are round trips to the store: side by side, a batch of ten
        // contacts takes about as long as its slowest contact.
        SideBySide.forEach(List.copyOf(groups.values()), GROUPS_AT_ONCE,
                group -> applyInOrder(ingestor, group).forEach((position, outcome) -> outcomes[position] = outcome));
        return List.of(outcomes);
    }

    /**
     * One group's records, in order: after a failure, the group's later records are blocked. Consecutive SEGMENTS records
     * of one contact go to the store together (a run): it writes them in as few transactions as fit, and a run that
     * fails is reported failed from its first record on (a retry stores what it had not, exactly once).
     *
     * @return the outcome of each record by its position in the batch
     */
    private static Map<Integer, Outcome> applyInOrder(Ingestor ingestor, List<Read> group) {
        Map<Integer, Outcome> outcomes = new LinkedHashMap<>();
        Read failed = null;
        int at = 0;
        while (at < group.size()) {
            Read first = group.get(at);
            if (failed != null) {
                outcomes.put(first.position(), first.blockedBy(failed));
                at++;
                continue;
            }
            int end = at + 1;
            while (end < group.size() && first.joins(group.get(end))) {
                end++;
            }
            List<Read> run = group.subList(at, end);
            try {
                List<IngestResult> results = step(ingestor, run);
                for (int r = 0; r < run.size(); r++) {
                    outcomes.put(run.get(r).position(), run.get(r).applied(results.get(r)));
                }
                at = end;
            } catch (RuntimeException e) {
                outcomes.put(first.position(), first.failed(e));
                failed = first;
                at++;
            }
        }
        return outcomes;
    }

    /** One step: a record alone, or a run of SEGMENTS with one store call; a poison record fails. */
    private static List<IngestResult> step(Ingestor ingestor, List<Read> run) {
        Read first = run.getFirst();
        if (first.poison() != null) {
            throw first.poison();
        }
        if (run.size() == 1) {
            return List.of(ingestor.apply(first.envelope(), first.item().deliveryKey()));
        }
        return ingestor.applySegments(run.stream().map(Read::envelope).toList(),
                run.stream().map(read -> read.item().deliveryKey()).toList());
    }
}
