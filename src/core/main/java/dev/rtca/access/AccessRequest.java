package dev.rtca.access;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One request as IAM sees it: the action, the resource ARN, and the condition context (keys compared
 * case-insensitively, each with its values; a multivalued key has several).
 */
public record AccessRequest(String action, String resource, Map<String, List<String>> context) {
    public AccessRequest {
        context = context.entrySet().stream().collect(Collectors.toUnmodifiableMap(
                e -> e.getKey().toLowerCase(Locale.ROOT), e -> List.copyOf(e.getValue())));
    }
}
