package dev.rtca.ingest;

import dev.rtca.segments.ContactKey;
import dev.rtca.segments.Log;
import dev.rtca.segments.SegmentsException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the records of one batch (Kinesis or SQS) in order and collects the ones to report as failed.
 *
 * <p>Order is kept per <em>group</em>: the transport's group when it has one (SQS FIFO MessageGroupId),
 * else the contact the envelope names. Once a record of a group fails, that group's later records in the
 * batch are not applied and are reported as failed too, so a retry replays them in their original order
 * (a COMPLETED never overtakes the SEGMENTS before it). Other groups go on. A record whose group cannot be
 * told (say, invalid JSON) fails alone.
 */
final class OrderedBatch {

    /**
     * One record of a batch.
     *
     * @param id          what the batch response reports on failure (sequence number, message ID)
     * @param idName      the name of that identifier in the logs
     * @param deliveryKey the idempotency key of this delivery, stable across redeliveries
     * @param group       the transport's ordering group, or null to order by contact
     * @param body        the envelope as UTF-8 JSON (null when the record carried none)
     */
    record Item(String id, String idName, String deliveryKey, String group, byte[] body) {
    }

    /** What the batch did: failures in batch order, and totals for the summary line. */
    record Outcome(List<String> failed, int applied, int segments, int duplicates) {
    }

    private OrderedBatch() {
    }

    static Outcome apply(Ingestor ingestor, String source, List<Item> items) {
        List<String> failed = new ArrayList<>();
        Map<Object, String> blockedBy = new HashMap<>();
        int applied = 0;
        int segments = 0;
        int duplicates = 0;
        for (Item item : items) {
            Envelope envelope = null;
            PoisonEventException poison = null;
            ContactKey contact;
            if (item.body() == null) {
                poison = new PoisonEventException("the record has no data", null);
                contact = null;
            } else {
                try {
                    envelope = Envelope.parse(item.body());
                    contact = envelope.contact();
                } catch (PoisonEventException e) {
                    poison = e;
                    contact = e.contact().orElse(null);
                }
            }
            Object group = item.group() != null ? item.group() : contact;

            String earlier = group == null ? null : blockedBy.get(group);
            if (earlier != null) {
                failed.add(item.id());
                Log.warn("record not applied: an earlier record of the same "
                                + (item.group() != null ? "message group" : "contact") + " failed in this batch",
                        fields(source, item, contact, "blockedBy", earlier));
                continue;
            }
            RuntimeException failure = poison;
            if (failure == null) {
                try {
                    IngestResult result = ingestor.apply(envelope, item.deliveryKey());
                    applied++;
                    segments += result.appended();
                    duplicates += result.duplicates();
                    continue;
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            failed.add(item.id());
            if (group != null) {
                blockedBy.put(group, item.id());
            }
            logFailure(failure, fields(source, item, contact));
        }
        Log.info("batch processed", "source", source, "records", items.size(), "applied", applied,
                "failed", failed.size(), "segmentsAppended", segments, "duplicateSegments", duplicates);
        return new Outcome(List.copyOf(failed), applied, segments, duplicates);
    }

    /**
     * The one log line of a failed event: the reason and the record ({@code record} holds its identifying
     * fields). Poison and throttling are expected now and then and get no stack trace; anything else does.
     */
    static void logFailure(RuntimeException failure, Object[] record) {
        List<Object> fields = new ArrayList<>(List.of(record));
        if (failure instanceof PoisonEventException poison) {
            fields.addAll(List.of("failure", "poison", "reason", poison.reason()));
            Log.error("poison event rejected: " + poison.reason(), null, fields.toArray());
        } else if (failure instanceof SegmentsException e) {
            fields.addAll(List.of("failure", "transient", "reason", e.error() + ": " + e.getMessage(),
                    "cause", String.valueOf(e.getCause())));
            Log.warn("event not applied (transient, will be retried): " + e.getMessage(), fields.toArray());
        } else {
            fields.addAll(List.of("failure", "transient", "reason", String.valueOf(failure)));
            Log.error("event not applied (transient, will be retried): " + failure, failure, fields.toArray());
        }
    }

    private static Object[] fields(String source, Item item, ContactKey contact, Object... extra) {
        List<Object> fields = new ArrayList<>(List.of("source", source, item.idName(), String.valueOf(item.id())));
        if (contact != null) {
            fields.addAll(List.of("instanceId", contact.instanceId(), "contactId", contact.contactId()));
        }
        fields.addAll(List.of(extra));
        fields.addAll(List.of("excerpt", Excerpt.of(item.body())));
        return fields.toArray();
    }
}
