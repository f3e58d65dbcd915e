package dev.rtca.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The model's {@code \S} pattern follows ECMAScript whitespace, which differs from Java's in both directions. */
class TextTest {
    @ParameterizedTest
    @CsvSource({
        "0020, false", "0009, false", "000b, false", "00a0, false", "feff, false", "2007, false", "202f, false", "3000, false",
        "2028, false", "001c, true", "001f, true", "0041, true", "200b, true"})
    void aSingleCharacterMatchesTheNonWhitespacePatternAsInEcmaScript(String hex, boolean matches) {
        String text = String.valueOf((char) Integer.parseInt(hex, 16));
        assertEquals(matches, Text.hasNonWhitespace(text), "U+" + hex);
        assertEquals(matches, Text.hasNonWhitespace(" " + text + "\t"), "U+" + hex + " between whitespace");
    }
}
