package dev.rtca.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.fixtures.Samples;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The shape combinators on their own: each enforces its rule, names the failing path, and yields canonical JSON. */
class ShapeTest {

    /** The canonical form, as compact JSON text. */
    private static String canonical(Shape shape, String json) {
        return shape.canonical(Samples.tree(json), "v").toString();
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                accept("string in range", () -> Shape.string(1, 3), "\"abc\"", "\"abc\""),
                accept("string without a pattern may be blank", () -> Shape.string(1, 3), "\" \"", "\" \""),
                accept("string with no upper bound", () -> Shape.string(0, 0), "\"" + "s".repeat(20_000) + "\"",
                        "\"" + "s".repeat(20_000) + "\""),
                accept("non-blank", () -> Shape.nonBlank(1, 0), "\" x \"", "\" x \""),
                accept("integer at its minimum", () -> Shape.integer(0), "0", "0"),
                accept("integer at the 32-bit maximum", () -> Shape.integer(5), "2147483647", "2147483647"),
                accept("enum", () -> Shape.enumOf("A", "B"), "\"B\"", "\"B\""),
                accept("timestamp with an offset", () -> Shape.timestamp(), "\"2024-03-14T20:39:26.7+01:00\"",
                        "\"2024-03-14T19:39:26.700Z\""),
                accept("list up to its maximum", () -> Shape.listOf(Shape.string(1, 3), 2), "[\"a\",\"b\"]", "[\"a\",\"b\"]"),
                accept("list without a maximum", () -> Shape.listOf(Shape.integer(0), 0), "[" + "1,".repeat(500) + "1]",
                        "[" + "1,".repeat(500) + "1]"),
                accept("map up to its maximum", () -> Shape.mapOf(Shape.string(1, 3), Shape.integer(0), 2), "{\"a\":1,\"b\":2}",
                        "{\"a\":1,\"b\":2}"),
                accept("struct: model order, unknown and null members dropped", () -> struct().optional("C", Shape.integer(0)),
                        "{\"X\":true,\"C\":null,\"B\":1,\"A\":\"x\"}", "{\"A\":\"x\",\"B\":1}"),
                accept("struct without its optional members", ShapeTest::struct, "{\"A\":\"x\"}", "{\"A\":\"x\"}"),
                accept("union: the one member set, canonicalised", ShapeTest::union, "{\"A\":null,\"T\":\"2024-03-14T19:39:26Z\"}",
                        "{\"T\":\"2024-03-14T19:39:26.000Z\"}"));
    }

    /** A required string A (1..3) and an optional integer B (at least 0). */
    private static Shape.Struct struct() {
        return Shape.struct().required("A", Shape.string(1, 3)).optional("B", Shape.integer(0));
    }

    /** A row whose shape the test itself builds, so that building it is part of what the test checks. */
    private static Arguments accept(String name, Supplier<Shape> shape, String json, String expected) {
        return Arguments.of(name, shape, json, expected);
    }

    private static Arguments reject(Supplier<Shape> shape, String json, String message) {
        return Arguments.of(shape, json, message);
    }

    private static Shape union() {
        return Shape.union(Map.of("A", Shape.integer(0), "T", Shape.timestamp()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void accepted(String name, Supplier<Shape> shape, String json, String expected) {
        assertEquals(expected, canonical(shape.get(), json));
    }

    static Stream<Arguments> violations() {
        return Stream.of(
                reject(() -> Shape.string(1, 3), "\"\"", "v length must be 1..3, was 0"),
                reject(() -> Shape.string(1, 3), "\"abcd\"", "v length must be 1..3, was 4"),
                reject(() -> Shape.string(1, 3), "3", "v must be a string"),
                reject(() -> Shape.nonBlank(1, 0), "\" \\t\"", "v must contain a non-whitespace character"),
                reject(() -> Shape.nonBlank(1, 0), "\"\"", "v length must be 1.., was 0"),
                reject(() -> Shape.integer(0), "-1", "v must be at least 0"),
                reject(() -> Shape.integer(5), "4", "v must be at least 5"),
                reject(() -> Shape.integer(0), "1.0", "v must be a 32-bit integer"),
                reject(() -> Shape.integer(0), "2147483648", "v must be a 32-bit integer"),
                reject(() -> Shape.integer(0), "\"1\"", "v must be a 32-bit integer"),
                reject(() -> Shape.enumOf("A", "B"), "\"C\"", "v must be one of [A, B]"),
                reject(() -> Shape.enumOf("A", "B"), "\"a\"", "v must be one of [A, B]"),
                reject(() -> Shape.enumOf("A", "B"), "1", "v must be one of [A, B]"),
                reject(() -> Shape.timestamp(), "\"2024-03-14\"", "v must be an ISO-8601 timestamp such as 2024-03-14T19:39:26.715Z"),
                reject(() -> Shape.timestamp(), "false", "v must be an ISO-8601 timestamp"),
                reject(() -> Shape.listOf(Shape.string(1, 3), 2), "[\"a\",\"b\",\"c\"]", "v must have at most 2 items, had 3"),
                reject(() -> Shape.listOf(Shape.string(1, 3), 2), "[\"a\",null]", "v[1] must not be null"),
                reject(() -> Shape.listOf(Shape.string(1, 3), 2), "[\"a\",\"\"]", "v[1] length must be 1..3, was 0"),
                reject(() -> Shape.listOf(Shape.string(1, 3), 2), "{\"a\":\"b\"}", "v must be a list"),
                reject(() -> Shape.mapOf(Shape.string(1, 3), Shape.integer(0), 2), "{\"a\":1,\"b\":2,\"c\":3}",
                        "v must have at most 2 entries, had 3"),
                reject(() -> Shape.mapOf(Shape.string(1, 3), Shape.integer(0), 2), "{\"abcd\":1}", "v key 'abcd' length must be 1..3, was 4"),
                reject(() -> Shape.mapOf(Shape.string(1, 3), Shape.integer(0), 2), "{\"a\":null}", "v.a must not be null"),
                reject(() -> Shape.mapOf(Shape.string(1, 3), Shape.integer(0), 2), "{\"a\":-1}", "v.a must be at least 0"),
                reject(() -> Shape.mapOf(Shape.string(1, 3), Shape.integer(0), 2), "[]", "v must be a map"),
                reject(ShapeTest::struct, "{\"B\":1}", "v.A is required"),
                reject(ShapeTest::struct, "{\"A\":null}", "v.A is required"),
                reject(ShapeTest::struct, "{\"A\":\"x\",\"B\":-2}", "v.B must be at least 0"),
                reject(ShapeTest::struct, "[]", "v must be an object"),
                reject(ShapeTest::union, "{}", "v must have exactly one member set, had 0"),
                reject(ShapeTest::union, "{\"A\":1,\"T\":\"2024-03-14T19:39:26Z\"}", "v must have exactly one member set, had 2"),
                reject(ShapeTest::union, "{\"A\":-1}", "v.A must be at least 0"),
                reject(ShapeTest::union, "{\"B\":1}", "v has unknown member 'B'; expected one of "),
                reject(ShapeTest::union, "\"A\"", "v must be an object with exactly one of "));
    }

    @ParameterizedTest
    @MethodSource
    void violations(Supplier<Shape> shape, String json, String message) {
        ModelViolation e = assertThrows(ModelViolation.class, () -> canonical(shape.get(), json));
        assertTrue(e.getMessage().startsWith(message), () -> "expected '" + message + "' in: " + e.getMessage());
    }

    @Test
    void aUnionViolationListsTheKnownMembers() {
        ModelViolation e = assertThrows(ModelViolation.class, () -> canonical(union(), "{\"B\":1}"));
        assertTrue(e.getMessage().endsWith("[A, T]") || e.getMessage().endsWith("[T, A]"), e.getMessage());
    }
}
