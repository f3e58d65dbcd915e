package dev.rtca.segments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Structured (one JSON object per line) logging to stdout, which Lambda ships to CloudWatch Logs. */
public final class Log {
    private static final ObjectMapper JSON = new ObjectMapper();

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

    /** A CloudWatch Embedded Metric Format record: the metric is extracted from the log line, no API call. */
    public static void metric(String name, long value, String dimension, String dimensionValue) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("_aws", Map.of("Timestamp", Instant.now().toEpochMilli(), "CloudWatchMetrics", List.of(Map.of(
                "Namespace", "RtcaSegments",
                "Dimensions", List.of(List.of(dimension)),
                "Metrics", List.of(Map.of("Name", name, "Unit", "Count"))))));
        record.put(dimension, dimensionValue);
        record.put(name, value);
        print(record);
    }

    private static void write(String level, String message, Throwable error, Object... keyValues) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("level", level);
        record.put("message", message);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            record.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
        }
        if (error != null) {
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            record.put("error", trace.toString());
        }
        print(record);
    }

    private static void print(Map<String, Object> record) {
        try {
            System.out.println(JSON.writeValueAsString(record));
        } catch (JsonProcessingException e) {
            System.out.println(record);
        }
    }
}
