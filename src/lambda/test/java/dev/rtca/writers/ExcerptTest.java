package dev.rtca.writers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A failure log's excerpt: the record's shape and member names, none of its words, bounded. */
class ExcerptTest {
    private static String of(String text) {
        return Excerpt.of(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void stringValuesAreMaskedWhateverTheMembersOrder() {
        // A custom job's event with its Segments first: the first bytes are a customer's name and words.
        String event = "{\"Segments\":[{\"Transcript\":{\"DisplayName\":\"Jane Roe\",\"Content\":\"Hello, my card is 4111 1111 1111 1111\","
                + "\"BeginOffsetMillis\":120,\"Redacted\":false,\"Sentiment\":null}}],\"Version\":\"2.0.0\"}";
        String excerpt = of(event);
        assertEquals("{\"Segments\":[{\"Transcript\":{\"DisplayName\":\"*** (8 chars)\",\"Content\":\"*** (37 chars)\","
                + "\"BeginOffsetMillis\":\"# (3 chars)\",\"Redacted\":false,\"Sentiment\":null}}],\"Version\":\"*** (5 chars)\"}"
                + " (" + event.length() + " bytes)", excerpt);
    }

    @Test
    void aNumberWhereAStringBelongsIsMaskedToo() {
        assertEquals("{\"Content\":\"# (16 chars)\",\"Offset\":\"# (4 chars)\"} (42 bytes)",
                of("{\"Content\":4111111111111111,\"Offset\":12.5}"));
    }

    @Test
    void itIsBoundedAndOneLine() {
        StringBuilder event = new StringBuilder("{\"Segments\":[");
        for (int i = 0; i < 500; i++) {
            event.append(i == 0 ? "" : ",").append("{\"Transcript\":{\"Content\":\"").append("word ".repeat(3000)).append("\"}}");
        }
        event.append("],\"a\\nb").append("n".repeat(2000)).append("\":1}");
        String excerpt = of(event.toString());
        assertTrue(excerpt.length() < Excerpt.MAX_CHARS + 100, excerpt);
        assertTrue(excerpt.endsWith("... (" + event.length() + " bytes)"), excerpt);
        assertFalse(excerpt.contains("word"), excerpt);
        String longName = of("{\"a\\nb" + "n".repeat(2000) + "\":\"x\"}");
        assertFalse(longName.contains("\n"), "one log line: " + longName);
        assertTrue(longName.length() < 200, "a member name is cut: " + longName);
    }

    @Test
    void whereTheRecordStopsBeingJsonTheExcerptSaysSoAndEnds() {
        // The parser reads a member's value with its name: the excerpt ends before the name.
        assertEquals("{\"Version\":\"*** (5 chars)\" (unreadable as JSON from here) (33 bytes)",
                of("{\"Version\":\"2.0.0\",\"Channel\":CHAT"));
        assertEquals(" (unreadable as JSON from here) (28 bytes)", of("Hello, my card is 4111 1111."));
        assertEquals("null", Excerpt.of(null));
        assertEquals(" (0 bytes)", of(""));
    }

    @Test
    void aRecordThatIsNotUtf8IsSaidToBeUnreadableNotThrown() {
        // A poison record's log line must not fail itself: the JSON policy refuses these bytes before any token.
        byte[] notUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        assertEquals(" (unreadable as JSON from here) (10 bytes)", Excerpt.of(notUtf8));
    }
}
