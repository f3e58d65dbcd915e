package dev.rtca.ingest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Delivery keys: what identifies one delivered event across redeliveries (the idempotency key when the
 * envelope has no EventId). Each source has its own prefix, so keys of different sources never collide.
 */
public final class DeliveryKeys {
    private DeliveryKeys() {
    }

    /**
     * The source's identifier of the event, or, for a hand-made event that lacks one, a digest of its
     * content (identical content is then the same event).
     */
    public static String of(String source, String id, byte[] content) {
        if (id != null && !id.isBlank()) {
            return source + ":" + id;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content == null ? new byte[0] : content);
            return source + ":sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
