package dev.rtca.segments;

import java.time.Duration;
import java.util.Optional;

/**
 * Configuration from the environment (as template.yaml sets it). A JVM system property of the same name
 * wins, so the local runtime can configure the unmodified handlers inside one process.
 */
public final class Settings {
    private Settings() {
    }

    public static Optional<String> get(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public static String require(String name) {
        return get(name).orElseThrow(() -> new IllegalStateException("environment variable " + name + " is not set"));
    }

    /** How long contacts, segments and markers are kept (TTL), and how long a NextToken stays valid. */
    public static Duration retention() {
        long hours = get("RETENTION_HOURS").map(Long::parseLong).orElse(24L);
        if (hours < 1) {
            throw new IllegalStateException("RETENTION_HOURS must be at least 1");
        }
        return Duration.ofHours(hours);
    }
}
