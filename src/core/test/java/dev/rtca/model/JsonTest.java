package dev.rtca.model;

import static dev.rtca.model.SafeMessages.assertNamesNoJavaCode;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one JSON policy: one value per document, no duplicate names, bounded sizes, and messages safe to show. */
class JsonTest {
    private static final String NESTING = "a limit was exceeded: nesting deeper than 64 levels";

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Both tree readers, from bytes and from a stream, so each is held to the policy. */
    static Stream<Function<String, JsonNode>> readers() {
        return Stream.of(text -> Json.tree(utf8(text)), text -> Json.tree(new ByteArrayInputStream(utf8(text))));
    }

    private static String malformed(String document) {
        String message = null;
        for (Function<String, JsonNode> reader : readers().toList()) {
            MalformedJsonException e = assertThrows(MalformedJsonException.class, () -> reader.apply(document));
            if (message != null) {
                assertEquals(message, e.getMessage(), "both readers say the same");
            }
            message = e.getMessage();
        }
        return message;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\t "})
    void anEmptyDocumentIsAMissingNodeForTheCallerToWord(String document) {
        readers().forEach(reader -> assertTrue(reader.apply(document).isMissingNode(), "'" + document + "'"));
    }

    @Test
    void aDocumentIsReadAsOneTree() {
        readers().forEach(reader -> {
            JsonNode tree = reader.apply("{\"a\":[1,\"two\",null],\"b\":{\"c\":true}}");
            assertEquals("two", tree.at("/a/1").textValue());
            assertTrue(tree.at("/b/c").booleanValue());
        });
    }

    static Stream<Arguments> limits() {
        return Stream.of(
                Arguments.of("[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH),
                        "{\"a\":[{\"b\":" + "[".repeat(Json.MAX_DEPTH - 2) + "]".repeat(Json.MAX_DEPTH - 2) + "}]}",
                        "a limit was exceeded: nesting deeper than 64 levels at /a/0/b/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0..."),
                Arguments.of("\"" + "s".repeat(Json.MAX_STRING_LENGTH) + "\"",
                        "{\"a\":{\"NextToken\":\"" + "s".repeat(Json.MAX_STRING_LENGTH + 1) + "\"}}",
                        "a limit was exceeded: a string longer than 1048576 characters at /a/NextToken"),
                Arguments.of("9".repeat(Json.MAX_NUMBER_LENGTH),
                        "{\"MaxResults\":" + "9".repeat(Json.MAX_NUMBER_LENGTH + 1) + "}",
                        "a limit was exceeded: a number longer than 100 characters at /MaxResults"),
                Arguments.of("[-" + "9".repeat(Json.MAX_NUMBER_LENGTH - 1) + "]", "[1, 1e" + "9".repeat(Json.MAX_NUMBER_LENGTH) + "]",
                        "a limit was exceeded: a number longer than 100 characters at /1"),
                Arguments.of("{\"" + "n".repeat(Json.MAX_NAME_LENGTH) + "\":1}",
                        "{\"" + "n".repeat(Json.MAX_NAME_LENGTH + 1) + "\":1}",
                        "a limit was exceeded: a member name longer than 1024 characters"));
    }

    /** Each limit is named, with the member where it was exceeded: the limits' own failures carry no location. */
    @ParameterizedTest
    @MethodSource
    void limits(String atTheLimit, String overTheLimit, String message) {
        readers().forEach(reader -> assertDoesNotThrow(() -> reader.apply(atTheLimit)));
        assertEquals(message, malformed(overTheLimit));
        assertNamesNoJavaCode(message);
    }

    static Stream<Arguments> notUtf8() {
        return Stream.of(
                Arguments.of(new int[] {0xff, 0xfe}, "not valid UTF-8 at byte 10"),
                Arguments.of(new int[] {0xc0, 0xaf}, "not valid UTF-8 at byte 10"), // an overlong '/'
                Arguments.of(new int[] {0xe0, 0x80, 0xaf}, "not valid UTF-8 at byte 10"), // an overlong '/' in three bytes
                Arguments.of(new int[] {0xed, 0xa0, 0x80}, "not valid UTF-8 at byte 10"), // U+D800 encoded
                Arguments.of(new int[] {0xf4, 0x90, 0x80, 0x80}, "not valid UTF-8 at byte 10"), // over U+10FFFF
                Arguments.of(new int[] {0x41, 0xe2, 0x82}, "not valid UTF-8 at byte 11")); // a truncated sequence
    }

    /**
     * Bytes that are not UTF-8 are malformed wherever they are, never U+FFFD or another character: Jackson's own decoder
     * would read C0 AF as '/' and ED A0 80 as a lone surrogate.
     */
    @ParameterizedTest
    @MethodSource
    void notUtf8(int[] bytes, String message) throws IOException {
        java.io.ByteArrayOutputStream document = new java.io.ByteArrayOutputStream();
        document.writeBytes(utf8("{\"Id\":\"ab"));
        for (int b : bytes) {
            document.write(b);
        }
        document.writeBytes(utf8("\"}"));
        byte[] text = document.toByteArray();
        assertEquals(message, assertThrows(MalformedJsonException.class, () -> Json.tree(text)).getMessage());
        assertEquals(message, assertThrows(MalformedJsonException.class, () -> Json.value(text)).getMessage());
        assertEquals(message, assertThrows(MalformedJsonException.class, () -> Json.parser(text)).getMessage());
        // A stream is decoded as it is read: the reader knows no byte offset.
        assertEquals("not valid UTF-8", assertThrows(MalformedJsonException.class,
                () -> Json.tree(new ByteArrayInputStream(text))).getMessage());
    }

    @Test
    void wellFormedUtf8OfEveryLengthIsRead() {
        String text = "a\u00e9\u20ac\uD83D\uDE00\uFFFD"; // 1, 2, 3 and 4 bytes, and U+FFFD itself (EF BF BD)
        readers().forEach(reader -> assertEquals(text, reader.apply("{\"Id\":\"" + text + "\"}").path("Id").textValue()));
    }

    @Test
    void theLimitsSitAboveTheLongestModelledValue() {
        // A V1 NextToken may be 131,070 characters; 64 levels and 1 KiB names are far beyond any model shape.
        assertEquals(64, Json.MAX_DEPTH);
        assertEquals(1 << 20, Json.MAX_STRING_LENGTH);
        assertEquals(100, Json.MAX_NUMBER_LENGTH);
        assertEquals(1024, Json.MAX_NAME_LENGTH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1,\"a\":1}", "{\"x\":{\"a\":1,\"b\":2,\"a\":3}}", "[{\"a\":null,\"a\":null}]"})
    void duplicateMemberNamesAreRejectedByName(String document) {
        String message = malformed(document);
        assertTrue(message.toLowerCase(Locale.ROOT).contains("duplicate") && message.contains("'a'"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} {}", "{}x", "1 2", "[] []", "\"a\" \"b\"", "{\"a\":1}}"})
    void contentAfterTheValueIsRejected(String document) {
        malformed(document);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"a\":", "[1,]", "{a:1}", "{'a':1}", "\"abc", "tru", "\"\\u12\""})
    void brokenSyntaxIsRejected(String document) {
        assertFalse(malformed(document).isBlank());
    }

    @Test
    void aStreamThatFailsIsUnreadableWithoutEchoingTheFailure() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset by /10.0.0.7");
            }
        };
        MalformedJsonException e = assertThrows(MalformedJsonException.class, () -> Json.tree(failing));
        assertEquals("unreadable", e.getMessage());
        assertEquals("unreadable", Json.malformed(new IOException("/var/task/secret.json")).getMessage());
    }

    @Test
    void theStreamingParserFollowsTheSamePolicy() throws IOException {
        try (JsonParser parser = Json.parser(utf8("{\"a\":1,\"a\":2}"))) {
            IOException e = assertThrows(IOException.class, () -> {
                while (parser.nextToken() != null) {
                    parser.skipChildren();
                }
            });
            assertTrue(Json.malformed(e).getMessage().contains("'a'"), Json.malformed(e).getMessage());
        }
        try (JsonParser parser = Json.parser(utf8("[".repeat(Json.MAX_DEPTH + 1)))) {
            IOException e = assertThrows(IOException.class, () -> {
                while (parser.nextToken() != null) {
                    parser.skipChildren();
                }
            });
            assertEquals(NESTING, Json.malformed(e).getMessage());
            assertEquals(NESTING + " at /0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0...",
                    Json.malformed(e, parser).getMessage());
        }
    }

    @Test
    void expectEndAcceptsOneValueAndRejectsASecond() throws IOException {
        try (JsonParser parser = Json.parser(utf8(" {\"a\":[1]} \n"))) {
            assertEquals(JsonToken.START_OBJECT, parser.nextToken());
            parser.skipChildren();
            assertDoesNotThrow(() -> Json.expectEnd(parser));
        }
        try (JsonParser parser = Json.parser(utf8("{} {}"))) {
            parser.nextToken();
            parser.skipChildren();
            MalformedJsonException e = assertThrows(MalformedJsonException.class, () -> Json.expectEnd(parser));
            assertEquals("content after the end of the JSON value", e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1,\"a\":2}", "{\"a\":}", "[1,]", "tru", "\"abc", "{'a':1}"})
    void malformedMessagesNameNoJavaCode(String document) {
        assertNamesNoJavaCode(malformed(document));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} {}", "1 2", "NaN", "{\"a\":1"})
    void noMalformedMessageNamesJavaCode(String document) {
        assertNamesNoJavaCode(malformed(document));
    }
}
