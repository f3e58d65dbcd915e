package dev.rtca.model;

import static dev.rtca.model.SafeMessages.assertNamesNoJavaCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtca.segments.ContactKey;
import dev.rtca.segments.Operation;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.RequestRejected;
import dev.rtca.segments.SegmentLister.Query;
import dev.rtca.segments.SegmentType;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Both list requests against their service models: every member's rules, the body's JSON policy and the defaults. */
class ListRequestsTest {
    private static final String EMOJI = "\uD83D\uDE00"; // one code point, two UTF-16 chars
    private static final String IDS = "\"InstanceId\":\"instance-1\",\"ContactId\":\"contact-1\"";
    private static final String V2_REQUIRED = "\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"]";
    private static final ContactKey KEY = new ContactKey("instance-1", "contact-1");
    private static final String NOT_JSON = "The request body is refused: ";
    private static final String ITEMS_RULE = "SegmentTypes items must be one of [Transcript, Categories, Issues, Event, "
            + "Attachments, PostContactSummary, ExtractedInformation].";
    private static final String MAX_RESULTS_RULE = "MaxResults must be an integer from 1 to 100.";

    /** A V1 body with both IDs and the given members. */
    private static String v1Body(String members) {
        return "{" + IDS + (members.isEmpty() ? "" : "," + members) + "}";
    }

    /** A V2 body with OutputType Raw, SegmentTypes [Transcript] and the given members (later duplicates are not allowed). */
    private static String v2Body(String members) {
        return "{" + V2_REQUIRED + (members.isEmpty() ? "" : "," + members) + "}";
    }

    private static Query v2(String body) {
        return ListRequests.v2("instance-1", "contact-1", body);
    }

    /** The message of the INVALID rejection the call must end in. */
    private static String rejected(Executable call) {
        RequestRejected e = assertThrows(RequestRejected.class, call);
        assertEquals(RequestRejected.Reason.INVALID, e.reason(), e.getMessage());
        return e.getMessage();
    }

    private static void assertRejected(String member, String expected, Executable call) {
        String message = rejected(call);
        assertTrue(message.startsWith(member + " "), () -> "names " + member + ": " + message);
        assertEquals(expected, message);
    }

    // ---- V1: every member is in the body ------------------------------------------------------------------

    static Stream<Arguments> v1Violations() {
        return Stream.of(
                Arguments.of("{\"ContactId\":\"c\"}", "InstanceId", "InstanceId is required."),
                Arguments.of("{\"InstanceId\":\"i\"}", "ContactId", "ContactId is required."),
                Arguments.of("{\"InstanceId\":null,\"ContactId\":\"c\"}", "InstanceId", "InstanceId is required."),
                Arguments.of("{\"InstanceId\":\"i\",\"ContactId\":null}", "ContactId", "ContactId is required."),
                // member names are case-sensitive: instanceId is an unknown member, ignored
                Arguments.of("{\"instanceId\":\"i\",\"ContactId\":\"c\"}", "InstanceId", "InstanceId is required."),
                Arguments.of("{\"InstanceId\":42,\"ContactId\":\"c\"}", "InstanceId", "InstanceId must be a string."),
                Arguments.of("{\"InstanceId\":true,\"ContactId\":\"c\"}", "InstanceId", "InstanceId must be a string."),
                Arguments.of("{\"InstanceId\":[\"i\"],\"ContactId\":\"c\"}", "InstanceId", "InstanceId must be a string."),
                Arguments.of("{\"InstanceId\":\"i\",\"ContactId\":{\"Id\":\"c\"}}", "ContactId", "ContactId must be a string."),
                Arguments.of("{\"InstanceId\":\"\",\"ContactId\":\"c\"}", "InstanceId", "InstanceId length must be 1..256, was 0."),
                Arguments.of("{\"InstanceId\":\"" + "i".repeat(257) + "\",\"ContactId\":\"c\"}", "InstanceId",
                        "InstanceId length must be 1..256, was 257."),
                Arguments.of("{\"InstanceId\":\"i\",\"ContactId\":\"" + EMOJI.repeat(257) + "\"}", "ContactId",
                        "ContactId length must be 1..256, was 257."),
                Arguments.of("{\"InstanceId\":\" \\t \",\"ContactId\":\"c\"}", "InstanceId",
                        "InstanceId must contain a non-whitespace character."),
                Arguments.of("{\"InstanceId\":\"i\",\"ContactId\":\"\\u00a0\"}", "ContactId",
                        "ContactId must contain a non-whitespace character."),
                Arguments.of(v1Body("\"NextToken\":7"), "NextToken", "NextToken must be a string."),
                Arguments.of(v1Body("\"NextToken\":\"\""), "NextToken", "NextToken length must be 1..131070, was 0."),
                Arguments.of(v1Body("\"NextToken\":\"  \""), "NextToken", "NextToken must contain a non-whitespace character."),
                Arguments.of(v1Body("\"NextToken\":\"" + "t".repeat(131_071) + "\""), "NextToken",
                        "NextToken length must be 1..131070, was 131071."));
    }

    @ParameterizedTest
    @MethodSource
    void v1Violations(String body, String member, String message) {
        assertRejected(member, message, () -> ListRequests.v1(body));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "-1", "-0", "1.5", "10.0", "1e1", "\"10\"", "true", "[10]", "{}",
            "2147483648", "4294967297", "-2147483649"})
    void maxResultsOutsideOneToOneHundredOrNotAnIntegerIsRejected(String maxResults) {
        assertRejected("MaxResults", MAX_RESULTS_RULE, () -> ListRequests.v1(v1Body("\"MaxResults\":" + maxResults)));
        assertRejected("MaxResults", MAX_RESULTS_RULE, () -> v2(v2Body("\"MaxResults\":" + maxResults)));
    }

    @Test
    void v1WithOnlyTheIdsReadsEveryTypeAFullPageFromTheStart() {
        assertEquals(new Query(Operation.V1, KEY, null, EnumSet.allOf(SegmentType.class), 100, null),
                ListRequests.v1(v1Body("")));
        assertEquals(100, ListRequests.DEFAULT_MAX_RESULTS);
    }

    @Test
    void v1TakesEveryMember() {
        Query query = ListRequests.v1("{\"NextToken\":\"token\",\"MaxResults\":7,\"ContactId\":\"c\",\"InstanceId\":\"i\"}");
        assertEquals(new Query(Operation.V1, new ContactKey("i", "c"), null, EnumSet.allOf(SegmentType.class), 7, "token"), query);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"MaxResults\":1                        | 1",
            "\"MaxResults\":100                      | 100",
            "\"MaxResults\":null                     | 100",
            "\"MaxResults\":null,\"NextToken\":null  | 100"})
    void maxResultsLimitsAreInclusiveAndNullIsAbsent(String members, int expected) {
        assertEquals(expected, ListRequests.v1(v1Body(members)).maxResults());
        assertEquals(expected, v2(v2Body(members)).maxResults());
        assertNull(ListRequests.v1(v1Body(members)).nextToken());
    }

    @Test
    void v1ValuesAtTheirLimitsAreAccepted() {
        String instance = "i".repeat(256);
        String contact = EMOJI.repeat(256);
        String token = "t".repeat(131_070);
        Query query = ListRequests.v1("{\"InstanceId\":\"" + instance + "\",\"ContactId\":\"" + contact
                + "\",\"NextToken\":\"" + token + "\"}");
        assertEquals(new ContactKey(instance, contact), query.contact());
        assertEquals(token, query.nextToken());
    }

    @Test
    void unknownMembersAreIgnoredWhateverTheyHold() {
        String noise = "\"Extra\":{\"a\":[1,{\"b\":null}],\"c\":\"d\"},\"List\":[[],[{}]],\"Flag\":false,\"Null\":null";
        assertEquals(ListRequests.v1(v1Body("")), ListRequests.v1(v1Body(noise)));
        // V2's members are not V1's: V1 ignores them, even when they would be invalid in V2.
        assertEquals(ListRequests.v1(v1Body("")), ListRequests.v1(v1Body("\"OutputType\":5,\"SegmentTypes\":\"none\"")));
        assertEquals(v2(v2Body("")), v2(v2Body(noise)));
    }

    // ---- V2: InstanceId and ContactId are path labels -----------------------------------------------------

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
            "NULL,       contact-1,  InstanceId,  InstanceId is required.",
            "'',         contact-1,  InstanceId,  'InstanceId length must be 1..100, was 0.'",
            "instance-1, NULL,       ContactId,   ContactId is required.",
            "instance-1, '',         ContactId,   'ContactId length must be 1..256, was 0.'"})
    void v2PathLabelsAreRequiredAndHaveALength(String instance, String contact, String member, String message) {
        assertRejected(member, message, () -> ListRequests.v2(instance, contact, v2Body("")));
    }

    @Test
    void v2PathLabelsHaveTheirOwnMaximums() {
        assertRejected("InstanceId", "InstanceId length must be 1..100, was 101.",
                () -> ListRequests.v2("i".repeat(101), "c", v2Body("")));
        assertRejected("ContactId", "ContactId length must be 1..256, was 257.",
                () -> ListRequests.v2("i", EMOJI.repeat(257), v2Body("")));
        Query atLimits = ListRequests.v2(EMOJI.repeat(100), "c".repeat(256), v2Body(""));
        assertEquals(new ContactKey(EMOJI.repeat(100), "c".repeat(256)), atLimits.contact());
        // The V2 model has no \S pattern on the labels.
        assertEquals(new ContactKey(" ", " "), ListRequests.v2(" ", " ", v2Body("")).contact());
    }

    @Test
    void v2BodyIdsDoNotOverrideThePathLabels() {
        assertEquals(KEY, v2(v2Body("\"InstanceId\":\"other\",\"ContactId\":5")).contact());
    }

    @Test
    void v2TakesEveryMember() {
        Query query = v2("{\"SegmentTypes\":[\"Event\",\"Transcript\"],\"OutputType\":\"Redacted\",\"MaxResults\":3,"
                + "\"NextToken\":\"token\"}");
        assertEquals(new Query(Operation.V2, KEY, OutputType.Redacted, EnumSet.of(SegmentType.Event, SegmentType.Transcript),
                3, "token"), query);
    }

    @Test
    void v2WithOnlyTheRequiredMembersReadsAFullPageFromTheStart() {
        assertEquals(new Query(Operation.V2, KEY, OutputType.Raw, Set.of(SegmentType.Transcript), 100, null), v2(v2Body("")));
    }

    static Stream<Arguments> v2Violations() {
        String types = "\"SegmentTypes\":[\"Transcript\"]";
        return Stream.of(
                Arguments.of("{" + types + "}", "OutputType", "OutputType is required."),
                Arguments.of("{\"OutputType\":null," + types + "}", "OutputType", "OutputType is required."),
                Arguments.of("{\"OutputType\":1," + types + "}", "OutputType", "OutputType must be a string."),
                Arguments.of("{\"OutputType\":[\"Raw\"]," + types + "}", "OutputType", "OutputType must be a string."),
                Arguments.of("{\"OutputType\":\"raw\"," + types + "}", "OutputType", "OutputType must be one of [Raw, Redacted]."),
                Arguments.of("{\"OutputType\":\"RedactedAndRaw\"," + types + "}", "OutputType",
                        "OutputType must be one of [Raw, Redacted]."),
                Arguments.of("{\"OutputType\":\"\"," + types + "}", "OutputType", "OutputType must be one of [Raw, Redacted]."),
                Arguments.of("{\"OutputType\":\"Raw \"," + types + "}", "OutputType", "OutputType must be one of [Raw, Redacted]."),
                Arguments.of("{\"OutputType\":\"Raw\"}", "SegmentTypes", "SegmentTypes is required."),
                Arguments.of("{\"OutputType\":\"Raw\",\"SegmentTypes\":null}", "SegmentTypes", "SegmentTypes is required."),
                Arguments.of("{\"OutputType\":\"Raw\",\"SegmentTypes\":\"Transcript\"}", "SegmentTypes",
                        "SegmentTypes must be a list of segment types."),
                Arguments.of("{\"OutputType\":\"Raw\",\"SegmentTypes\":{\"Transcript\":true}}", "SegmentTypes",
                        "SegmentTypes must be a list of segment types."),
                Arguments.of("{\"OutputType\":\"Raw\",\"SegmentTypes\":[]}", "SegmentTypes",
                        "SegmentTypes must name at least one segment type."),
                Arguments.of("{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\",\"Categories\",\"Issues\",\"Event\","
                        + "\"Attachments\",\"PostContactSummary\",\"ExtractedInformation\",\"Transcript\"]}", "SegmentTypes",
                        "SegmentTypes must have at most 7 items."),
                Arguments.of("{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Sentiment\"]}", "SegmentTypes", ITEMS_RULE),
                Arguments.of("{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\",\"transcript\"]}", "SegmentTypes", ITEMS_RULE),
                Arguments.of("{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Utterance\"]}", "SegmentTypes", ITEMS_RULE),
                Arguments.of("{\"OutputType\":\"Raw\",\"SegmentTypes\":[1]}", "SegmentTypes", ITEMS_RULE),
                Arguments.of("{\"OutputType\":\"Raw\",\"SegmentTypes\":[null]}", "SegmentTypes", ITEMS_RULE),
                Arguments.of("{\"OutputType\":\"Raw\",\"SegmentTypes\":[[\"Transcript\"]]}", "SegmentTypes", ITEMS_RULE),
                Arguments.of("{\"OutputType\":\"Raw\",\"SegmentTypes\":[{\"Transcript\":1}]}", "SegmentTypes", ITEMS_RULE),
                Arguments.of(v2Body("\"NextToken\":5"), "NextToken", "NextToken must be a string."),
                Arguments.of(v2Body("\"NextToken\":\"\""), "NextToken", "NextToken length must be 1..100000, was 0."),
                Arguments.of(v2Body("\"NextToken\":\"" + "t".repeat(100_001) + "\""), "NextToken",
                        "NextToken length must be 1..100000, was 100001."));
    }

    @ParameterizedTest
    @MethodSource
    void v2Violations(String body, String member, String message) {
        assertRejected(member, message, () -> v2(body));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "\n\t"})
    void anEmptyBodyHasNoMembers(String body) {
        assertRejected("InstanceId", "InstanceId is required.", () -> ListRequests.v1(body));
        assertRejected("OutputType", "OutputType is required.", () -> v2(body));
    }

    @Test
    void segmentTypesMayNameEveryTypeAndDuplicatesCollapse() {
        String all = "\"Transcript\",\"Categories\",\"Issues\",\"Event\",\"Attachments\",\"PostContactSummary\",\"ExtractedInformation\"";
        assertEquals(EnumSet.allOf(SegmentType.class), v2("{\"OutputType\":\"Raw\",\"SegmentTypes\":[" + all + "]}").types());
        assertEquals(EnumSet.of(SegmentType.Event, SegmentType.Issues),
                v2("{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Event\",\"Issues\",\"Event\"]}").types());
        assertEquals(7, ListRequests.MAX_SEGMENT_TYPES);
    }

    @Test
    void v2NextTokenHasNoWhitespaceRuleAndAcceptsItsMaximum() {
        assertEquals(" ", v2(v2Body("\"NextToken\":\" \"")).nextToken());
        String longest = "t".repeat(100_000);
        assertEquals(longest, v2(v2Body("\"NextToken\":\"" + longest + "\"")).nextToken());
    }

    // ---- the body's JSON ----------------------------------------------------------------------------------

    /** Both operations, so that the shared body reader is checked for each. */
    static List<Function<String, Query>> operations() {
        return List.of(ListRequests::v1, ListRequestsTest::v2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{}]", "\"{}\"", "1", "null", "true"})
    void aBodyThatIsNotAnObjectIsRejected(String body) {
        for (Function<String, Query> operation : operations()) {
            assertEquals("The request body must be a JSON object.", rejected(() -> operation.apply(body)));
        }
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                // a duplicate is named, modelled or not
                Arguments.of("{\"InstanceId\":\"a\",\"InstanceId\":\"b\",\"OutputType\":\"Raw\"}", "'InstanceId'"),
                Arguments.of("{\"Extra\":{\"a\":1,\"a\":2}}", "'a'"),
                Arguments.of("{\"Extra\":1,\"Extra\":1}", "'Extra'"),
                Arguments.of("{}{}", "content after the end of the JSON value"),
                Arguments.of("{} 1", "content after the end of the JSON value"),
                // broken syntax: the parser's own words
                Arguments.of("{} x", ""),
                Arguments.of("{\"InstanceId\":}", ""),
                Arguments.of("{\"NextToken\":\"abc", ""),
                // a limit is named, with the member where it was exceeded, modelled or not
                Arguments.of("{\"Extra\":" + "[".repeat(64) + "]".repeat(64) + "}",
                        "a limit was exceeded: nesting deeper than 64 levels at /Extra/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0..."),
                Arguments.of("{\"NextToken\":\"" + "t".repeat(Json.MAX_STRING_LENGTH + 1) + "\"}",
                        "a limit was exceeded: a string longer than 1048576 characters at /NextToken."),
                Arguments.of("{\"Extra\":" + "1".repeat(Json.MAX_NUMBER_LENGTH + 1) + "}",
                        "a limit was exceeded: a number longer than 100 characters at /Extra."),
                Arguments.of("{\"MaxResults\":" + "9".repeat(5_000) + "}",
                        "a limit was exceeded: a number longer than 100 characters at /MaxResults."),
                Arguments.of("{\"" + "n".repeat(Json.MAX_NAME_LENGTH + 1) + "\":1}",
                        "a limit was exceeded: a member name longer than 1024 characters."));
    }

    @ParameterizedTest
    @MethodSource
    void malformedBodies(String body, String detail) {
        for (Function<String, Query> operation : operations()) {
            String message = rejected(() -> operation.apply(body));
            assertTrue(message.startsWith(NOT_JSON) && message.length() > NOT_JSON.length(), message);
            assertTrue(message.contains(detail), message);
            assertTrue(message.endsWith(".") && !message.endsWith("...."), "one sentence: " + message);
            assertNamesNoJavaCode(message);
        }
    }

    /** A body's bytes are UTF-8 or refused where they break: never read as U+FFFD, '?' or an overlong form's character. */
    @ParameterizedTest
    @CsvSource({"ff fe, 26", "c0 af, 26", "ed a0 80, 26", "e0 80 af, 26", "f8 88 80 80 80, 26", "52 61 77 e2 82, 29"})
    void aBodyThatIsNotUtf8IsRefusedWhereItBreaks(String hex, int at) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes("{\"OutputType\":\"Raw\",\"X\":\"".getBytes(StandardCharsets.UTF_8));
        for (String b : hex.split(" ")) {
            body.write(Integer.parseInt(b, 16));
        }
        body.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
        String expected = NOT_JSON + "not valid UTF-8 at byte " + at + ".";
        assertEquals(expected, rejected(() -> ListRequests.v1(body.toByteArray())));
        assertEquals(expected, rejected(() -> ListRequests.v2("i", "c", body.toByteArray())));
    }

    /** A lone surrogate is JSON (an escape writes it) but no string member of the models: named, never stored as '?'. */
    @ParameterizedTest
    @ValueSource(strings = {"\\udc00", "\\ud800x", "ab\\ud83d", "\\ude00\\ud83d"})
    void aLoneSurrogateInAStringMemberIsRefusedByName(String escaped) {
        String message = rejected(() -> ListRequests.v1("{\"InstanceId\":\"i\",\"ContactId\":\"" + escaped + "\"}"));
        assertTrue(message.startsWith("ContactId must be well-formed Unicode, has a lone surrogate (U+D"), message);
        assertTrue(rejected(() -> v2(v2Body("\"NextToken\":\"" + escaped + "\"")))
                .startsWith("NextToken must be well-formed Unicode"));
        // A pair written as two escapes is one character.
        assertEquals(EMOJI, ListRequests.v1("{\"InstanceId\":\"i\",\"ContactId\":\"\\ud83d\\ude00\"}").contact().contactId());
    }

    /** What a percent-escape that is not UTF-8 decodes to in a path label: refused, so two such IDs never read one contact. */
    @Test
    void aPathLabelHoldingTheReplacementCharacterIsRefusedByName() {
        assertEquals("ContactId must be percent-encoded UTF-8: its path segment decodes to U+FFFD (a replacement character)"
                + " at character 3.", rejected(() -> ListRequests.v2("i", "ab\uFFFD", v2Body(""))));
        assertTrue(rejected(() -> ListRequests.v2("\uFFFD", "c", v2Body(""))).startsWith("InstanceId must be percent-encoded UTF-8"));
        assertTrue(rejected(() -> ListRequests.v2("i", "\uD800", v2Body(""))).startsWith("ContactId must be well-formed Unicode"));
    }

    @Test
    void nestingUpToTheLimitIsAccepted() {
        // The body object is level 1: 63 arrays inside it reach the limit of 64.
        String deep = "\"Extra\":" + "[".repeat(63) + "]".repeat(63);
        assertEquals(ListRequests.v1(v1Body("")), ListRequests.v1(v1Body(deep)));
        assertEquals(v2(v2Body("")), v2(v2Body(deep)));
    }

    @Test
    void aParserDetailSaysWhereTheBodyBreaksWithoutEchoingIt() {
        String token = "a".repeat(5_000);
        String detail = detail(rejected(() -> ListRequests.v1("{\"InstanceId\":" + token + "}")));
        assertTrue(detail.matches("not well-formed JSON at line 1, column \\d+\\."), detail);
        String duplicate = detail(rejected(() -> ListRequests.v1("{\"ContactId\":\"a\",\n\"ContactId\":\"b\"}")));
        assertEquals("duplicate member 'ContactId' at line 2, column 12.", duplicate);
    }

    private static String detail(String message) {
        assertTrue(message.startsWith(NOT_JSON), message);
        return message.substring(NOT_JSON.length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"InstanceId\":\"i\"", "{\"MaxResults\":NaN}", "{/* comment */}"})
    void noMalformedBodyMessageNamesJavaCode(String body) {
        for (Function<String, Query> operation : operations()) {
            String message = rejected(() -> operation.apply(body));
            assertTrue(message.startsWith(NOT_JSON), message);
            assertNamesNoJavaCode(message);
        }
    }

    @Test
    void anOverlongStringIsRejectedEvenInAnUnknownMember() {
        String body = v1Body("\"Extra\":\"" + "x".repeat(Json.MAX_STRING_LENGTH + 1) + "\"");
        assertThrows(MalformedJsonException.class, () -> Json.tree(body.getBytes(StandardCharsets.UTF_8)));
        assertTrue(rejected(() -> ListRequests.v1(body)).startsWith(NOT_JSON));
    }
}
