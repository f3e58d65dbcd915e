package dev.rtca.runtime;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.rtca.model.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Structured logs: one JSON object per line on stdout, which Lambda ships to CloudWatch Logs. Every line has a
 * {@code level} member, so Lambda's application log-level filter (LoggingConfig, JSON format) applies to it.
 */
public final class Log {
    private Log() {
    }

    public static void info(String message, Object... keyValues) {
        write("INFO", message, null, keyValues);
    }

    public static void warn(String message, Object... keyValues) {
        write("WARN", message, null, keyValues);
    }

    public static void error(String message, Throwable error, Object... keyValues) {
        write("ERROR", message, error, keyValues);
    }

    private static void write(String level, String message, Throwable error, Object... keyValues) {
        StringWriter line = new StringWriter();
        try (JsonGenerator json = Json.FACTORY.createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField("level", level);
            json.writeStringField("message", message);
            for (int i = 0; i + 1 < keyValues.length; i += 2) {
                json.writeFieldName(String.valueOf(keyValues[i]));
                Object value = keyValues[i + 1];
                if (value instanceof Number number) {
                    json.writeNumber(number.toString());
                } else if (value instanceof Boolean flag) {
                    json.writeBoolean(flag);
                } else {
                    json.writeString(String.valueOf(value));
                }
            }
            if (error != null) {
                StringWriter trace = new StringWriter();
                error.printStackTrace(new PrintWriter(trace));
                json.writeStringField("error", trace.toString());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println(line);
    }
}
