package dev.rtca.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** An event is identified by a digest of its content, whatever the source's ID of a delivery; sources never collide. */
class DeliveryKeysTest {
    private static final byte[] BODY = "{\"Version\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);
    /** SHA-256 of no bytes. */
    private static final String EMPTY_DIGEST = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void identicalContentIsTheSameEventOtherContentAnother() {
        String key = DeliveryKeys.of("kinesis", BODY);
        assertEquals(key, DeliveryKeys.of("kinesis", BODY.clone()));
        assertEquals("kinesis:sha256:" + sha256Of(BODY), key);
        assertNotEquals(key, DeliveryKeys.of("kinesis", "{\"Version\":\"2.0.0\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void noContentIsDigestedAsEmpty() {
        assertEquals("events:sha256:" + EMPTY_DIGEST, DeliveryKeys.of("events", null));
        assertEquals("events:sha256:" + EMPTY_DIGEST, DeliveryKeys.of("events", new byte[0]));
    }

    @Test
    void keysOfDifferentSourcesNeverCollide() {
        assertNotEquals(DeliveryKeys.of("sqs", BODY), DeliveryKeys.of("kinesis", BODY));
        assertTrue(DeliveryKeys.of("sqs", BODY).startsWith("sqs:sha256:"));
    }

    private static String sha256Of(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
