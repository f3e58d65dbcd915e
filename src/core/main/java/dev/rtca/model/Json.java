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
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON policy of the project: every document from outside (an API request body, a Lambda event, a
 * segment-stream envelope) is read by a parser built here, so the read API and the writers accept exactly the
 * same JSON. A document is one value: duplicate member names, trailing tokens, nesting deeper than
 * {@value #MAX_DEPTH}, strings longer than {@value #MAX_STRING_LENGTH} characters and numbers longer than
 * {@value #MAX_NUMBER_LENGTH} characters are rejected. The limits sit far above anything the service models allow
 * (the longest modelled string is a NextToken of 131,070 characters) and far below what would cost memory.
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
        try (JsonParser parser = FACTORY.createParser(document)) {
            return Trees.tree(parser);
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    public static JsonNode tree(InputStream document) {
        try (JsonParser parser = FACTORY.createParser(document)) {
            return Trees.tree(parser);
        } catch (IOException e) {
            throw malformed(e);
        }
    }


    /**
     * The document as plain values, without databind: an object is a {@code Map} (members in document order), an array
     * a {@code List}, a string a {@code String}, true and false a {@code Boolean}, a number its text as written, null
     * {@code null}. For small documents read on the list functions' path (policies).
     */
    public static Object value(byte[] document) {
        try (JsonParser parser = FACTORY.createParser(document)) {
            if (parser.nextToken() == null) {
                throw new MalformedJsonException("the document is empty");
            }
            Object value = value(parser);
            expectEnd(parser);
            return value;
        } catch (IOException e) {
            throw malformed(e);
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

    /** A streaming parser over the document, under the same policy. */
    public static JsonParser parser(byte[] document) {
        try {
            return FACTORY.createParser(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        if (e instanceof StreamConstraintsException) {
            return new MalformedJsonException("a limit was exceeded (nesting depth " + MAX_DEPTH + ", string length "
                    + MAX_STRING_LENGTH + ", number length " + MAX_NUMBER_LENGTH + ", member name length " + MAX_NAME_LENGTH + ")");
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

    private static String where(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }
}
