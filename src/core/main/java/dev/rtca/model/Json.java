package dev.rtca.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON policy of the project: every document from outside (an API request body, a Lambda event, a
 * segment-stream envelope) is read by a parser built here, so the read API and the writers accept exactly the
 * same JSON. A document is one value of UTF-8 text: bytes that are not UTF-8 (Java's strict decoder: no overlong
 * forms, no encoded surrogates), duplicate member names, trailing tokens, nesting deeper than {@value #MAX_DEPTH},
 * strings longer than {@value #MAX_STRING_LENGTH} characters and numbers longer than {@value #MAX_NUMBER_LENGTH}
 * characters are rejected, each with a message that names what broke and where. The limits sit far above anything
 * the service models allow (the longest modelled string is a NextToken of 131,070 characters) and far below what
 * would cost memory. (A lone surrogate written as a JSON escape (<code>&#92;u</code>) is JSON; the models refuse it in every string
 * member they check, through {@link Text}.)
 */
public final class Json {
    public static final int MAX_DEPTH = 64;
    public static final int MAX_STRING_LENGTH = 1 << 20;
    public static final int MAX_NUMBER_LENGTH = 100;
    public static final int MAX_NAME_LENGTH = 1024;

    /** For streaming readers and writers (the list handlers never build a tree). */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .maxNameLength(MAX_NAME_LENGTH)
                    .build())
            // {"a":1,"a":2} has no single meaning: reject it rather than keep the last.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Json() {
    }

    /**
     * For trees (envelopes and segments), on the same factory. Built on first use: the list functions only stream, and
     * databind's few hundred classes would otherwise load in their cold start.
     */
    public static JsonMapper mapper() {
        return Trees.MAPPER;
    }

    /** Databind's part, in a class of its own: loading Json (the list functions' streaming) must not verify it. */
    private static final class Trees {
        static final JsonMapper MAPPER = JsonMapper.builder(FACTORY).build();

        static JsonNode tree(JsonParser parser) throws IOException {
            if (parser.nextToken() == null) {
                return MissingNode.getInstance();
            }
            JsonNode node = MAPPER.readTree(parser);
            // "{...} trailing" or "{...}{...}" is malformed, not the first value.
            expectEnd(parser);
            return node;
        }
    }

    /** The document as a tree; a missing node when the input is empty (each caller words that itself). */
    public static JsonNode tree(byte[] document) {
        JsonParser parser = parser(document);
        try (parser) {
            return Trees.tree(parser);
        } catch (IOException e) {
            throw malformed(e, parser);
        }
    }

    public static JsonNode tree(InputStream document) {
        JsonParser parser;
        try {
            parser = FACTORY.createParser(new InputStreamReader(document, StandardCharsets.UTF_8.newDecoder()));
        } catch (IOException e) {
            throw malformed(e);
        }
        try (parser) {
            return Trees.tree(parser);
        } catch (IOException e) {
            throw malformed(e, parser);
        }
    }


    /**
     * The document as plain values, without databind: an object is a {@code Map} (members in document order), an array
     * a {@code List}, a string a {@code String}, true and false a {@code Boolean}, a number its text as written, null
     * {@code null}. For small documents read on the list functions' path (policies).
     */
    public static Object value(byte[] document) {
        JsonParser parser = parser(document);
        try (parser) {
            if (parser.nextToken() == null) {
                throw new MalformedJsonException("the document is empty");
            }
            Object value = value(parser);
            expectEnd(parser);
            return value;
        } catch (IOException e) {
            throw malformed(e, parser);
        }
    }

    private static Object value(JsonParser parser) throws IOException {
        switch (parser.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> members = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    members.put(name, value(parser));
                }
                return members;
            }
            case START_ARRAY -> {
                List<Object> elements = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    elements.add(value(parser));
                }
                return elements;
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return parser.getBooleanValue();
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> {
                return parser.getText(); // strings, and numbers as written
            }
        }
    }

    /**
     * A streaming parser over the document, under the same policy. The bytes are decoded first, strictly: Jackson's own
     * UTF-8 decoder takes an overlong form ({@code C0 AF} is {@code /}) and an encoded surrogate as characters.
     *
     * @throws MalformedJsonException when the document is not UTF-8
     */
    public static JsonParser parser(byte[] document) {
        try {
            return FACTORY.createParser(utf8(document));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document's characters; a byte sequence that is not well-formed UTF-8 is malformed, never U+FFFD. */
    static char[] utf8(byte[] document) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder(); // reports malformed input, replaces nothing
        ByteBuffer in = ByteBuffer.wrap(document);
        CharBuffer out = CharBuffer.allocate(document.length); // UTF-8 never has more characters than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new MalformedJsonException("not valid UTF-8 at byte " + (in.position() + 1));
        }
        decoder.flush(out);
        char[] text = new char[out.flip().remaining()];
        out.get(text);
        return text;
    }

    /** Fails unless the parser is at the end of its input: one document is one value. */
    public static void expectEnd(JsonParser parser) throws IOException {
        if (parser.nextToken() != null) {
            throw new MalformedJsonException("content after the end of the JSON value");
        }
    }

    /**
     * Moves the parser past the value at its current token, under the same limits as a full read: strings are
     * read, not skipped unread, so a value the caller does not use is held to the policy too.
     */
    public static void skip(JsonParser parser) throws IOException {
        int depth = 0;
        JsonToken token = parser.currentToken();
        while (true) {
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                depth++;
            } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                depth--;
            } else if (token == JsonToken.VALUE_STRING) {
                parser.getText(); // the string-length limit applies to what is read
            }
            if (depth == 0) {
                return;
            }
            token = parser.nextToken();
        }
    }

    /**
     * Turns a parser's failure into a message safe to show a caller: what is wrong and where, in words of JSON,
     * never a Java class or a parser setting.
     */
    public static MalformedJsonException malformed(IOException e) {
        return malformed(e, null);
    }

    /**
     * The same, naming where in the document a limit was exceeded ({@code at /MaxResults}) when the parser that failed
     * is given: the limits' own failures carry no location.
     */
    public static MalformedJsonException malformed(IOException e, JsonParser parser) {
        if (e instanceof StreamConstraintsException) {
            return new MalformedJsonException("a limit was exceeded: " + limit(e.getMessage()) + member(parser));
        }
        if (e instanceof CharacterCodingException) {
            return new MalformedJsonException("not valid UTF-8"); // a stream's reader: no byte offset to give
        }
        if (!(e instanceof JsonProcessingException parse)) {
            return new MalformedJsonException("unreadable"); // the stream failed, not the JSON: echo nothing of it
        }
        String original = parse.getOriginalMessage() != null ? parse.getOriginalMessage() : "";
        String where = where(parse);
        if (original.startsWith("Duplicate field '")) {
            String name = original.substring("Duplicate field ".length());
            return new MalformedJsonException("duplicate member " + (name.length() <= 80 ? name : name.substring(0, 80) + "...'") + where);
        }
        if (original.startsWith("Unexpected end-of-input")) {
            return new MalformedJsonException("the JSON ends before its value is complete" + where);
        }
        return new MalformedJsonException("not well-formed JSON" + where);
    }

    /** Which of the policy's limits the parser's message is about. */
    private static String limit(String message) {
        String text = String.valueOf(message);
        if (text.startsWith("Document nesting depth")) {
            return "nesting deeper than " + MAX_DEPTH + " levels";
        }
        if (text.startsWith("String value length")) {
            return "a string longer than " + MAX_STRING_LENGTH + " characters";
        }
        if (text.startsWith("Number value length")) {
            return "a number longer than " + MAX_NUMBER_LENGTH + " characters";
        }
        if (text.startsWith("Name length")) {
            return "a member name longer than " + MAX_NAME_LENGTH + " characters";
        }
        return "nesting depth " + MAX_DEPTH + ", string length " + MAX_STRING_LENGTH + ", number length "
                + MAX_NUMBER_LENGTH + " or member name length " + MAX_NAME_LENGTH;
    }

    /** " at /Member/0" for where the parser stood (its first 60 characters), or nothing at the top level. */
    private static String member(JsonParser parser) {
        if (parser == null) {
            return "";
        }
        String pointer = parser.getParsingContext().pathAsPointer().toString();
        if (pointer.isEmpty()) {
            return "";
        }
        return " at " + (pointer.length() <= 60 ? pointer : pointer.substring(0, 60) + "...");
    }

    private static String where(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }
}
