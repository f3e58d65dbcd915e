package dev.rtca.model;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.regex.Pattern;

/** Checks that a message meant for a caller says what is wrong without naming the Java code behind it. */
final class SafeMessages {
    /**
     * A package-qualified name, a backquoted identifier (Jackson's style for classes and features), or a
     * parser feature or exception type.
     */
    private static final Pattern JAVA_NAME = Pattern.compile(
            "\\b(com|java|javax|jdk|dev)\\.[a-z]|`|\\w*Feature\\b|\\w+(Exception|Constraints)\\b");

    private SafeMessages() {
    }

    static void assertNamesNoJavaCode(String message) {
        assertFalse(JAVA_NAME.matcher(message).find(), () -> "a caller's message names Java code: " + message);
    }
}
