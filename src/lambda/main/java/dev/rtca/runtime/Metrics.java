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
 * log line, so it passes Lambda's log-level filter at INFO and below.
 */
public final class Metrics {
    public static final String NAMESPACE = "RtcaSegments";

    private Metrics() {
    }

    /** One count, with one dimension. */
    public static void count(String name, long value, String dimension, String dimensionValue) {
        StringWriter line = new StringWriter();
        try (JsonGenerator json = Json.FACTORY.createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField("level", "INFO");
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
