package dev.rtca.writers;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.rtca.model.Json;
import dev.rtca.model.MalformedJsonException;
import java.io.IOException;
import java.io.StringWriter;

/**
 * A bounded, masked excerpt of a record for failure logs: its JSON structure and member names with every string value
 * replaced by its length, e.g. {@code {"Segments":[{"Transcript":{"Content":"*** (52 chars)", ...}, so the shape is
 * recognisable and none of a customer's words reach the log, whatever order the members come in. Numbers are masked as
 * well ({@code "# (3 chars)"}: a wrong type can carry digits a customer typed); {@code true}, {@code false} and
 * {@code null} are kept. The record is read under the
 * JSON policy as far as it is JSON; where it stops being JSON (or breaks a limit) the excerpt says so and ends there.
 */
final class Excerpt {
    /** About how long an excerpt gets (it ends at the first token past this). */
    static final int MAX_CHARS = 300;
    /** The longest member name shown whole. */
    static final int MAX_NAME_CHARS = 64;

    private Excerpt() {
    }

    static String of(byte[] body) {
        if (body == null) {
            return "null";
        }
        StringWriter out = new StringWriter();
        String end;
        try (JsonParser parser = Json.parser(body); JsonGenerator masked = Json.FACTORY.createGenerator(out)) {
            masked.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
            end = copyMasked(parser, masked, out);
        } catch (IOException | MalformedJsonException e) { // the policy's parser refuses bytes that are not UTF-8 at once
            end = " (unreadable as JSON from here)";
        }
        return out + end + " (" + body.length + " bytes)";
    }

    /** Copies tokens until the input ends or the excerpt is long enough; returns what to say about the rest. */
    private static String copyMasked(JsonParser parser, JsonGenerator masked, StringWriter out) throws IOException {
        for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
            if (out.getBuffer().length() >= MAX_CHARS) {
                return "...";
            }
            switch (token) {
                case START_OBJECT -> masked.writeStartObject();
                case END_OBJECT -> masked.writeEndObject();
                case START_ARRAY -> masked.writeStartArray();
                case END_ARRAY -> masked.writeEndArray();
                case FIELD_NAME -> {
                    String name = parser.currentName();
                    masked.writeFieldName(name.length() <= MAX_NAME_CHARS ? name : name.substring(0, MAX_NAME_CHARS) + "...");
                }
                case VALUE_STRING -> {
                    String text = parser.getText();
                    masked.writeString("*** (" + text.codePointCount(0, text.length()) + " chars)");
                }
                // A number too: a producer's mistake can put a card number where a string belongs.
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> masked.writeString("# (" + parser.getText().length() + " chars)");
                case VALUE_TRUE, VALUE_FALSE -> masked.writeBoolean(token == JsonToken.VALUE_TRUE);
                case VALUE_NULL -> masked.writeNull();
                default -> throw new IOException("unexpected token"); // embedded objects: not from a JSON parser
            }
            masked.flush();
        }
        return "";
    }

}
