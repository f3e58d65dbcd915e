package dev.rtca.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The string rule: lengths in code points with inclusive limits, and the {@code \S} pattern with ECMAScript whitespace. */
class TextTest {
    private static final String EMOJI = "\uD83D\uDE00"; // one code point, two UTF-16 chars

    @ParameterizedTest
    @CsvSource({
        "0020, false", "0009, false", "000a, false", "000b, false", "000d, false", "00a0, false", "feff, false",
        "2000, false", "2007, false", "200a, false", "202f, false", "3000, false", "2028, false", "2029, false",
        "1680, false", "205f, false",
        "0008, true", "000e, true", "001c, true", "001f, true", "0041, true", "1fff, true", "200b, true", "0085, true"})
    void aSingleCharacterMatchesTheNonWhitespacePatternAsInEcmaScript(String hex, boolean matches) {
        String text = String.valueOf((char) Integer.parseInt(hex, 16));
        assertEquals(matches, Text.hasNonWhitespace(text), "U+" + hex);
        assertEquals(matches, Text.hasNonWhitespace(" " + text + "\t"), "U+" + hex + " between whitespace");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // min | max | value length | problem (empty: none)
        "1 | 3 | 0 | length must be 1..3, was 0",
        "1 | 3 | 1 | ",
        "1 | 3 | 3 | ",
        "1 | 3 | 4 | length must be 1..3, was 4",
        "0 | 0 | 5 | ",
        "1 | 0 | 0 | length must be 1.., was 0",
        "1 | 0 | 100000 | ",
        "2 | 2 | 1 | length must be 2..2, was 1"})
    void lengthLimitsAreInclusiveAndZeroMaximumMeansUnbounded(int min, int max, int length, String problem) {
        assertEquals(problem, Text.of(min, max).violation("x".repeat(length)));
        assertEquals(problem, Text.nonBlank(min, max).violation("x".repeat(length)));
        assertEquals(problem == null, Text.of(min, max).accepts("x".repeat(length)));
    }

    /** Checked first, by every rule: a lone surrogate would reach DynamoDB or a client as '?' or U+FFFD. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "dc00 | U+DC00) at character 1", "d800 0078 | U+D800) at character 1", "0061 0062 d83d | U+D83D) at character 3",
        "de00 d83d | U+DE00) at character 1", "d83d de00 d83d | U+D83D) at character 3"})
    void aLoneSurrogateIsNamedWithItsPosition(String hex, String where) {
        StringBuilder text = new StringBuilder();
        for (String c : hex.split(" ")) {
            text.append((char) Integer.parseInt(c, 16));
        }
        String problem = "must be well-formed Unicode, has a lone surrogate (" + where;
        assertEquals(problem, Text.of(0, 0).violation(text.toString()));
        assertEquals(problem, Text.ID.violation(text.toString()));
        assertFalse(Text.of(0, 0).accepts(text.toString()));
        assertEquals(null, Text.of(1, 1).violation("\uD83D\uDE00"), "a pair is one character");
    }

    @Test
    void lengthCountsCodePointsNotUtf16Units() {
        assertEquals(null, Text.of(1, 3).violation(EMOJI.repeat(3)));
        assertEquals("length must be 1..3, was 4", Text.of(1, 3).violation(EMOJI.repeat(4)));
    }

    @Test
    void onlyNonBlankRulesRequireANonWhitespaceCharacter() {
        assertFalse(Text.of(1, 3).nonBlank());
        assertEquals(null, Text.of(1, 3).violation(" \t"));
        assertEquals("must contain a non-whitespace character", Text.nonBlank(1, 3).violation(" \t"));
        // The length is checked first.
        assertEquals("length must be 1..3, was 4", Text.nonBlank(1, 3).violation("    "));
    }

    @Test
    void theIdRuleIsContactLensIds() {
        assertEquals(Text.nonBlank(1, 256), Text.ID);
        assertTrue(Text.ID.accepts("x".repeat(256)));
        assertFalse(Text.ID.accepts("x".repeat(257)));
        assertFalse(Text.ID.accepts("\u3000"));
        assertFalse(Text.ID.accepts(null));
    }
}
