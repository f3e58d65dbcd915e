package dev.rtca.ingest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Delivery keys: what identifies one event across its deliveries (the idempotency key when the envelope has no
 * {@code EventId}): a digest of the bytes its producer wrote, prefixed by the source so keys of different sources never
 * collide. Not the source's own ID: a producer that retries a record (Kinesis {@code PutRecords} partial failures, an
 * SQS send that timed out, an EventBridge {@code PutEvents} retry) sends the same bytes under a new sequence number,
 * message ID or event ID, and identical content is the same event. A redelivery by the event source has the same bytes
 * too.
 */
public final class DeliveryKeys {
    private DeliveryKeys() {
    }

    /** The key of an event given as the bytes its producer wrote (no bytes: the digest of none). */
    public static String of(String source, byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content == null ? new byte[0] : content);
            return source + ":sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
