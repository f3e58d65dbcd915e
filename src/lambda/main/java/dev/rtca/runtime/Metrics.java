package dev.rtca.runtime;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.rtca.model.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;

/**
 * CloudWatch metrics in the Embedded Metric Format: a JSON log line CloudWatch turns into a metric, with no API
 * call and no extra latency. Namespace {@value #NAMESPACE}. The line carries {@code "level": "INFO"}, like every
 * log line; template.yaml offers no log level above INFO, so Lambda's log-level filter never drops a metric.
 */
public final class Metrics {
    public static final String NAMESPACE = "RtcaSegments";
    /** The level of every metric line: Lambda's filter drops lines below the function's application log level. */
    public static final String LEVEL = "INFO";

    private Metrics() {
    }

    /** One count, with one dimension. */
    public static void count(String name, long value, String dimension, String dimensionValue) {
        StringWriter line = new StringWriter();
        try (JsonGenerator json = Json.FACTORY.createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField("level", LEVEL);
            json.writeStringField("message", "metric " + name);
            json.writeObjectFieldStart("_aws");
            json.writeNumberField("Timestamp", Clock.systemUTC().millis());
            json.writeArrayFieldStart("CloudWatchMetrics");
            json.writeStartObject();
            json.writeStringField("Namespace", NAMESPACE);
            json.writeArrayFieldStart("Dimensions");
            json.writeStartArray();
            json.writeString(dimension);
            json.writeEndArray();
            json.writeEndArray();
            json.writeArrayFieldStart("Metrics");
            json.writeStartObject();
            json.writeStringField("Name", name);
            json.writeStringField("Unit", "Count");
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
            json.writeStringField(dimension, dimensionValue);
            json.writeNumberField(name, value);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println(line);
    }
}
