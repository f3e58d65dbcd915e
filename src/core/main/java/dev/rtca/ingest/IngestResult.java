package dev.rtca.ingest;

import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;

/**
 * What applying one envelope did.
 *
 * @param eventKey   the idempotency key the event was applied under
 * @param stream     the output stream SEGMENTS went to; null for other event types
 * @param appended   segments written by this delivery
 * @param duplicates segments not stored again: this event was applied before (a redelivery), or the stream holds their
 *                   {@code Id} (a producer's retry)
 * @param sameId     of the duplicates, those known by their {@code Id}
 * @param late       segments written after the contact had COMPLETED or FAILED (also counted in appended)
 * @param partials     voice Utterances kept for their open transcripts (again, on a redelivery: keeping is idempotent)
 * @param latePartials voice Utterances ignored because their transcript's final {@code Transcript} came before them (in
 *                     this event, an earlier event of the batch, or stored already); an Utterance without a
 *                     {@code TranscriptId} is in neither count
 */
public record IngestResult(ContactKey contact, Channel channel, EventType eventType, String eventKey, OutputType stream,
                           int appended, int duplicates, int late, int partials, int sameId,
                           int latePartials) {
}
