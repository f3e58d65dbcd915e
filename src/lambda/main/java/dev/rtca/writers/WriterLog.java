package dev.rtca.writers;

import dev.rtca.ingest.IngestResult;
import dev.rtca.ingest.OrderedBatch;
import dev.rtca.ingest.PoisonEventException;
import dev.rtca.runtime.Log;
import dev.rtca.runtime.Metrics;
import dev.rtca.segments.ContactKey;
import dev.rtca.store.StoreException;
import java.util.ArrayList;
import java.util.List;

/**
 * The writers' logs and metrics: one line per failed or held-back record with its reason and an excerpt, a line
 * for late segments (with the {@code LateSegments} metric) and for segments stored already, redelivered or retried by
 * their producer (with the {@code DuplicateSegments} metric), for voice Utterances that came after their final
 * Transcript (with the {@code LateUtterances} metric), and one summary line per batch.
 *
 * <p>No customer's words reach a log: a failure's line names the record (source, identifier, event key, contact), the
 * reason and the member at fault (reasons never echo a value), the record's size, and a masked excerpt ({@link Excerpt}:
 * structure and member names, string values replaced by their lengths).
 */
final class WriterLog {
    private WriterLog() {
    }

    /** What one applied event is worth saying: segments after the contact ended, or a redelivery. */
    static void applied(IngestResult result) {
        ContactKey key = result.contact();
        if (result.late() > 0) {
            Log.warn("segments stored after the contact ended", "instanceId", key.instanceId(), "contactId", key.contactId(),
                    "outputType", result.stream().name(), "lateSegments", result.late(), "eventKey", result.eventKey());
            Metrics.count("LateSegments", result.late(), "Channel", result.channel().name());
        }
        if (result.duplicates() > 0) {
            // A redelivery (the event's key was applied before) or a producer's retry (a new key, Ids the stream holds).
            Log.info(result.sameId() < result.duplicates() ? "redelivered event: segments already stored"
                            : "segments already stored under their Ids (a producer's retry)", "instanceId", key.instanceId(),
                    "contactId", key.contactId(), "duplicates", result.duplicates(), "sameId", result.sameId(),
                    "eventKey", result.eventKey());
            Metrics.count("DuplicateSegments", result.duplicates(), "Channel", result.channel().name());
        }
        if (result.latePartials() > 0) {
            // Partials of a transcript already final: the Transcript replaced them, nothing can show them any more.
            Log.info("Utterances ignored: their transcript is final already", "instanceId", key.instanceId(),
                    "contactId", key.contactId(), "outputType", result.stream().name(), "lateUtterances", result.latePartials(),
                    "eventKey", result.eventKey());
            Metrics.count("LateUtterances", result.latePartials(), "Channel", result.channel().name());
        }
    }

    /** Logs every outcome of a batch and a summary; returns the IDs to report as failed, in batch order. */
    static List<String> batch(String source, String idName, List<OrderedBatch.Outcome> outcomes) {
        List<String> failed = new ArrayList<>();
        int applied = 0;
        int segments = 0;
        int duplicates = 0;
        int partials = 0;
        for (OrderedBatch.Outcome outcome : outcomes) {
            switch (outcome) {
                case OrderedBatch.Applied a -> {
                    applied(a.result());
                    applied++;
                    segments += a.result().appended();
                    duplicates += a.result().duplicates();
                    partials += a.result().partials();
                }
                case OrderedBatch.Failed f -> {
                    failed.add(f.item().id());
                    failure(f.failure(), record(source, idName, f.item(), f.contact()));
                }
                case OrderedBatch.Blocked b -> {
                    failed.add(b.item().id());
                    Log.warn("record not applied: an earlier record of the same "
                                    + (b.byMessageGroup() ? "message group" : "contact") + " failed in this batch",
                            record(source, idName, b.item(), b.contact(), "blockedBy", b.blockedBy()));
                }
                case OrderedBatch.Repeated r -> Log.info("record repeated in the batch (same " + idName + " and content):"
                        + " applied once, as its first copy", record(source, idName, r.item(), r.contact(), "firstIndex", r.first()));
            }
        }
        Log.info("batch processed", "source", source, "records", outcomes.size(), "applied", applied,
                "failed", failed.size(), "segmentsAppended", segments, "duplicateSegments", duplicates,
                "utterancesKept", partials);
        return failed;
    }

    /**
     * The one log line of a failed event: the reason and the record ({@code record} holds its identifying fields).
     * Poison and throttling are expected now and then and get no stack trace; anything else does.
     */
    static void failure(RuntimeException failure, Object[] record) {
        List<Object> fields = new ArrayList<>(List.of(record));
        if (failure instanceof PoisonEventException poison) {
            fields.addAll(List.of("failure", "poison", "reason", poison.reason()));
            poison.member().ifPresent(member -> fields.addAll(List.of("member", member)));
            Log.error("poison event rejected: " + poison.reason(), null, fields.toArray());
        } else if (failure instanceof StoreException e) {
            fields.addAll(List.of("failure", "transient", "reason", e.getMessage(), "throttled", e.throttled(),
                    "cause", String.valueOf(e.getCause())));
            Log.warn("event not applied (transient, will be retried): " + e.getMessage(), fields.toArray());
        } else {
            fields.addAll(List.of("failure", "transient", "reason", String.valueOf(failure)));
            Log.error("event not applied (transient, will be retried): " + failure, failure, fields.toArray());
        }
    }

    /** A batch record's identifying log fields (see the other {@code record}). */
    static Object[] record(String source, String idName, OrderedBatch.Item item, ContactKey contact, Object... extra) {
        return record(source, idName, item.id(), item.deliveryKey(), contact, item.body(), extra);
    }

    /**
     * A record's identifying log fields: source, ID, event key (the delivery's idempotency key, when it has one),
     * contact (when known), extras, its size in bytes and a masked excerpt of its body.
     */
    static Object[] record(String source, String idName, String id, String eventKey, ContactKey contact, byte[] body,
                           Object... extra) {
        List<Object> fields = new ArrayList<>(List.of("source", source, idName, String.valueOf(id)));
        if (eventKey != null) {
            fields.addAll(List.of("eventKey", eventKey));
        }
        if (contact != null) {
            fields.addAll(List.of("instanceId", contact.instanceId(), "contactId", contact.contactId()));
        }
        fields.addAll(List.of(extra));
        if (body != null) {
            fields.addAll(List.of("size", body.length));
        }
        fields.addAll(List.of("excerpt", Excerpt.of(body)));
        return fields.toArray();
    }
}
