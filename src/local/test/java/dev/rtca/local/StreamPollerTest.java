package dev.rtca.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The local runtime's stream reading, as the README states it. */
class StreamPollerTest {
    @Test
    void aQuietStreamIsReadAgainEvery10Milliseconds() {
        assertEquals(Duration.ofMillis(10), StreamPoller.IDLE);
    }
}
