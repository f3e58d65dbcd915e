package dev.rtca.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A delivery is identified by its source's ID, or by a digest of its content when it has none; sources never collide. */
class DeliveryKeysTest {
    private static final byte[] BODY = "{\"Version\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);
    /** SHA-256 of no bytes. */
    private static final String EMPTY_DIGEST = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void theSourcesIdIsTheKeyWhateverTheContent() {
        assertEquals("kinesis:shardId-000000000000:49590338271490256608559692538361571095921575989136588898",
                DeliveryKeys.of("kinesis", "shardId-000000000000:49590338271490256608559692538361571095921575989136588898", BODY));
        assertEquals("sqs:msg-1", DeliveryKeys.of("sqs", "msg-1", "other".getBytes(StandardCharsets.UTF_8)));
        assertEquals("sqs:msg-1", DeliveryKeys.of("sqs", "msg-1", null));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "\t"})
    void withoutAnIdIdenticalContentIsTheSameEvent(String id) {
        String key = DeliveryKeys.of("events", id, BODY);
        assertEquals(key, DeliveryKeys.of("events", id, BODY.clone()));
        assertEquals(key, DeliveryKeys.of("events", null, BODY));
        assertTrue(key.matches("events:sha256:[0-9a-f]{64}"), key);
        assertNotEquals(key, DeliveryKeys.of("events", id, "{\"Version\":\"2.0.0\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void noContentIsDigestedAsEmpty() {
        assertEquals("events:sha256:" + EMPTY_DIGEST, DeliveryKeys.of("events", null, null));
        assertEquals("events:sha256:" + EMPTY_DIGEST, DeliveryKeys.of("events", " ", new byte[0]));
    }

    @Test
    void keysOfDifferentSourcesNeverCollide() {
        assertNotEquals(DeliveryKeys.of("sqs", "1", BODY), DeliveryKeys.of("kinesis", "1", BODY));
        assertNotEquals(DeliveryKeys.of("sqs", null, BODY), DeliveryKeys.of("kinesis", null, BODY));
    }
}
