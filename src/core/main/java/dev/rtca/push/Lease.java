package dev.rtca.push;

import java.time.Instant;

/**
 * The right to fan out one stream, held by one fan-out at a time so that two never post the same segments: taken on
 * the stream's cursor, renewed by every move of the cursor, given back at the end. A holder that dies stops renewing
 * it, and after {@code until} the next fan-out takes it over from the cursor the dead one last moved.
 */
public record Lease(String owner, Instant until) {
}
