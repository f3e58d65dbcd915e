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
 * their producer (with the {@code DuplicateSegments} metric), and one summary line per batch.
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
    }

    /** Logs every outcome of a batch and a summary; returns the IDs to report as failed, in batch order. */
    static List<String> batch(String source, String idName, List<OrderedBatch.Outcome> outcomes) {
        List<String> failed = new ArrayList<>();
        int applied = 0;
        int segments = 0;
        int duplicates = 0;
        for (OrderedBatch.Outcome outcome : outcomes) {
            switch (outcome) {
                case OrderedBatch.Applied a -> {
                    applied(a.result());
                    applied++;
                    segments += a.result().appended();
                    duplicates += a.result().duplicates();
                }
                case OrderedBatch.Failed f -> {
                    failed.add(f.item().id());
                    failure(f.failure(), record(source, idName, f.item().id(), f.contact(), f.item().body()));
                }
                case OrderedBatch.Blocked b -> {
                    failed.add(b.item().id());
                    Log.warn("record not applied: an earlier record of the same "
                                    + (b.byMessageGroup() ? "message group" : "contact") + " failed in this batch",
                            record(source, idName, b.item().id(), b.contact(), b.item().body(), "blockedBy", b.blockedBy()));
                }
            }
        }
        Log.info("batch processed", "source", source, "records", outcomes.size(), "applied", applied,
                "failed", failed.size(), "segmentsAppended", segments, "duplicateSegments", duplicates);
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

    /** A record's identifying log fields: source, ID, contact (when known), extras, and an excerpt of its body. */
    static Object[] record(String source, String idName, String id, ContactKey contact, byte[] body, Object... extra) {
        List<Object> fields = new ArrayList<>(List.of("source", source, idName, String.valueOf(id)));
        if (contact != null) {
            fields.addAll(List.of("instanceId", contact.instanceId(), "contactId", contact.contactId()));
        }
        fields.addAll(List.of(extra));
        fields.addAll(List.of("excerpt", Excerpt.of(body)));
        return fields.toArray();
    }
}
