package dev.rtca.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The IAM policy grammar the API evaluates: each element and operator, and how statements combine. */
class PolicyTest {
    private static final String V2 = ListAuthorizer.V2_ACTION;
    private static final String OUT = ListAuthorizer.OUTPUT_TYPE_KEY;
    private static final String TYPES = ListAuthorizer.SEGMENT_TYPE_KEY;
    private static final String CONTACT = "arn:aws:connect:us-east-1:123456789012:instance/i-1/contact/c-1";

    private static AccessRequest request(String action, String resource, Map<String, List<String>> context) {
        return new AccessRequest(action, resource, context);
    }

    /** A V2 request for the Raw stream with Transcript and Event. */
    private static AccessRequest raw() {
        return request(V2, CONTACT, Map.of(OUT, List.of("Raw"), TYPES, List.of("Event", "Transcript")));
    }

    private static String allow(String extra) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\"," + extra + "}]}";
    }

    private static Decision decide(String document, AccessRequest request) {
        return Policy.parse(document).evaluate(request);
    }

    static Stream<Arguments> statements() {
        String any = "\"Action\":\"connect:*\",\"Resource\":\"*\"";
        return Stream.of(
                Arguments.of("exact action and resource", allow("\"Action\":\"" + V2 + "\",\"Resource\":\"" + CONTACT + "\""), Decision.ALLOW),
                Arguments.of("action matches case-insensitively", allow("\"Action\":\"CONNECT:listrealtimecontactanalysissegmentsv2\",\"Resource\":\"*\""), Decision.ALLOW),
                Arguments.of("action wildcard", allow("\"Action\":\"connect:ListRealtime*\",\"Resource\":\"*\""), Decision.ALLOW),
                Arguments.of("action ? wildcard", allow("\"Action\":\"connect:ListRealtimeContactAnalysisSegmentsV?\",\"Resource\":\"*\""), Decision.ALLOW),
                Arguments.of("other action", allow("\"Action\":\"connect:ListRealtimeContactAnalysisSegments\",\"Resource\":\"*\""), Decision.IMPLICIT_DENY),
                Arguments.of("action list", allow("\"Action\":[\"connect:Describe*\",\"" + V2 + "\"],\"Resource\":\"*\""), Decision.ALLOW),
                Arguments.of("NotAction excludes", allow("\"NotAction\":\"connect:ListRealtime*\",\"Resource\":\"*\""), Decision.IMPLICIT_DENY),
                Arguments.of("NotAction includes others", allow("\"NotAction\":\"connect:Describe*\",\"Resource\":\"*\""), Decision.ALLOW),
                Arguments.of("instance wildcard", allow("\"Action\":\"" + V2 + "\",\"Resource\":\"arn:aws:connect:us-east-1:123456789012:instance/i-1/*\""), Decision.ALLOW),
                Arguments.of("other instance", allow("\"Action\":\"" + V2 + "\",\"Resource\":\"arn:aws:connect:us-east-1:123456789012:instance/i-2/*\""), Decision.IMPLICIT_DENY),
                Arguments.of("resource is case-sensitive", allow("\"Action\":\"" + V2 + "\",\"Resource\":\"arn:aws:connect:us-east-1:123456789012:instance/I-1/*\""), Decision.IMPLICIT_DENY),
                Arguments.of("other account", allow("\"Action\":\"" + V2 + "\",\"Resource\":\"arn:aws:connect:us-east-1:999999999999:instance/*\""), Decision.IMPLICIT_DENY),
                Arguments.of("NotResource", allow("\"Action\":\"" + V2 + "\",\"NotResource\":\"arn:aws:connect:*:*:instance/i-2/*\""), Decision.ALLOW),
                Arguments.of("StringEquals Raw", allow(any + ",\"Condition\":{\"StringEquals\":{\"" + OUT + "\":\"Raw\"}}"), Decision.ALLOW),
                Arguments.of("StringEquals Redacted", allow(any + ",\"Condition\":{\"StringEquals\":{\"" + OUT + "\":\"Redacted\"}}"), Decision.IMPLICIT_DENY),
                Arguments.of("StringEquals is case-sensitive", allow(any + ",\"Condition\":{\"StringEquals\":{\"" + OUT + "\":\"raw\"}}"), Decision.IMPLICIT_DENY),
                Arguments.of("condition values are ORed", allow(any + ",\"Condition\":{\"StringEquals\":{\"" + OUT + "\":[\"Redacted\",\"Raw\"]}}"), Decision.ALLOW),
                Arguments.of("condition key is case-insensitive", allow(any + ",\"Condition\":{\"StringEquals\":{\"" + OUT.toUpperCase() + "\":\"Raw\"}}"), Decision.ALLOW),
                Arguments.of("StringEqualsIgnoreCase", allow(any + ",\"Condition\":{\"StringEqualsIgnoreCase\":{\"" + OUT + "\":\"RAW\"}}"), Decision.ALLOW),
                Arguments.of("StringNotEquals", allow(any + ",\"Condition\":{\"StringNotEquals\":{\"" + OUT + "\":\"Raw\"}}"), Decision.IMPLICIT_DENY),
                Arguments.of("StringNotEqualsIgnoreCase", allow(any + ",\"Condition\":{\"StringNotEqualsIgnoreCase\":{\"" + OUT + "\":\"RAW\"}}"), Decision.IMPLICIT_DENY),
                Arguments.of("StringLike", allow(any + ",\"Condition\":{\"StringLike\":{\"" + OUT + "\":\"R?w\"}}"), Decision.ALLOW),
                Arguments.of("StringNotLike", allow(any + ",\"Condition\":{\"StringNotLike\":{\"" + OUT + "\":\"Red*\"}}"), Decision.ALLOW),
                Arguments.of("conditions are ANDed", allow(any + ",\"Condition\":{\"StringEquals\":{\"" + OUT + "\":\"Raw\"},\"StringLike\":{\"" + OUT + "\":\"Red*\"}}"), Decision.IMPLICIT_DENY),
                Arguments.of("ForAllValues: every type listed", allow(any + ",\"Condition\":{\"ForAllValues:StringEquals\":{\"" + TYPES + "\":[\"Transcript\",\"Event\",\"Issues\"]}}"), Decision.ALLOW),
                Arguments.of("ForAllValues: a type not listed", allow(any + ",\"Condition\":{\"ForAllValues:StringEquals\":{\"" + TYPES + "\":[\"Transcript\"]}}"), Decision.IMPLICIT_DENY),
                Arguments.of("ForAnyValue: one type listed", allow(any + ",\"Condition\":{\"ForAnyValue:StringEquals\":{\"" + TYPES + "\":[\"Event\"]}}"), Decision.ALLOW),
                Arguments.of("ForAnyValue: none listed", allow(any + ",\"Condition\":{\"ForAnyValue:StringEquals\":{\"" + TYPES + "\":[\"Issues\"]}}"), Decision.IMPLICIT_DENY),
                Arguments.of("ForAnyValue with StringLike", allow(any + ",\"Condition\":{\"ForAnyValue:StringLike\":{\"" + TYPES + "\":\"Trans*\"}}"), Decision.ALLOW),
                Arguments.of("single-valued operator on a multivalued key: any value", allow(any + ",\"Condition\":{\"StringEquals\":{\"" + TYPES + "\":\"Event\"}}"), Decision.ALLOW),
                Arguments.of("explicit deny wins", "{\"Statement\":[{\"Effect\":\"Allow\"," + any + "},{\"Effect\":\"Deny\",\"Action\":\"" + V2 + "\",\"Resource\":\"*\","
                        + "\"Condition\":{\"StringEquals\":{\"" + OUT + "\":\"Raw\"}}}]}", Decision.EXPLICIT_DENY),
                Arguments.of("a deny that does not match leaves the allow", "{\"Statement\":[{\"Effect\":\"Allow\"," + any + "},{\"Effect\":\"Deny\",\"Action\":\"" + V2 + "\",\"Resource\":\"*\","
                        + "\"Condition\":{\"StringEquals\":{\"" + OUT + "\":\"Redacted\"}}}]}", Decision.ALLOW),
                Arguments.of("a single statement object", "{\"Statement\":{\"Effect\":\"Allow\"," + any + "}}", Decision.ALLOW),
                Arguments.of("no statement", "{\"Statement\":[]}", Decision.IMPLICIT_DENY));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("statements")
    void aStatementDecides(String name, String document, Decision expected) {
        assertEquals(expected, decide(document, raw()));
    }

    @Test
    void keysAbsentFromTheRequest() {
        // V1 requests carry no SegmentTypes key.
        AccessRequest v1 = request(ListAuthorizer.V1_ACTION, CONTACT, Map.of(OUT, List.of("Raw")));
        String any = "\"Action\":\"connect:*\",\"Resource\":\"*\"";
        assertEquals(Decision.ALLOW, decide(allow(any + ",\"Condition\":{\"ForAllValues:StringEquals\":{\"" + TYPES + "\":\"Event\"}}"), v1),
                "ForAllValues holds when the key is absent");
        assertEquals(Decision.IMPLICIT_DENY, decide(allow(any + ",\"Condition\":{\"ForAnyValue:StringEquals\":{\"" + TYPES + "\":\"Event\"}}"), v1));
        assertEquals(Decision.IMPLICIT_DENY, decide(allow(any + ",\"Condition\":{\"StringEquals\":{\"" + TYPES + "\":\"Event\"}}"), v1));
        assertEquals(Decision.ALLOW, decide(allow(any + ",\"Condition\":{\"StringNotEquals\":{\"" + TYPES + "\":\"Event\"}}"), v1),
                "a negated operator holds when the key is absent");
        assertEquals(Decision.ALLOW, decide(allow(any + ",\"Condition\":{\"StringEqualsIfExists\":{\"" + TYPES + "\":\"Event\"}}"), v1));
        assertEquals(Decision.IMPLICIT_DENY, decide(allow(any + ",\"Condition\":{\"StringEqualsIfExists\":{\"" + OUT + "\":\"Redacted\"}}"), v1),
                "IfExists still compares a present key");
        assertEquals(Decision.ALLOW, decide(allow(any + ",\"Condition\":{\"Null\":{\"" + TYPES + "\":\"true\"}}"), v1));
        assertEquals(Decision.IMPLICIT_DENY, decide(allow(any + ",\"Condition\":{\"Null\":{\"" + TYPES + "\":\"false\"}}"), v1));
        assertEquals(Decision.ALLOW, decide(allow(any + ",\"Condition\":{\"Null\":{\"" + TYPES + "\":\"false\"}}"), raw()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json", "[]", "{}", "{\"Statement\":[],\"Principal\":\"*\"}", "{\"Version\":\"2020-01-01\",\"Statement\":[]}",
        "{\"Statement\":[1]}", "{\"Statement\":[{\"Effect\":\"Maybe\",\"Action\":\"*\",\"Resource\":\"*\"}]}",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Resource\":\"*\"}]}",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"NotAction\":\"x\",\"Resource\":\"*\"}]}",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\"}]}",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[],\"Resource\":\"*\"}]}",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[{}],\"Resource\":\"*\"}]}",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":[]}]}",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":\"x\"}}]}",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"DateGreaterThan\":{\"k\":\"v\"}}}]}",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"ForAllValues:Null\":{\"k\":\"true\"}}}]}",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"NullIfExists\":{\"k\":\"true\"}}}]}",
        // a member given as null is there, and of the wrong type: not the same as a member left out
        "{\"Version\":null,\"Statement\":[]}", "{\"Statement\":null}",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":null,\"Resource\":\"*\"}]}",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"NotAction\":null,\"Resource\":\"*\"}]}",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":null}]}",
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":[\"*\",null]}]}",
        "{\"Statement\":[],\"Statement\":[]}", "{\"Statement\":[]} {}"})
    void aDocumentOutsideTheGrammarIsRejected(String document) {
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> Policy.parse(document));
        assertTrue(!e.getMessage().isBlank());
    }

    @Test
    void versionAndIdAreAccepted() {
        assertEquals(Decision.ALLOW, decide("{\"Version\":\"2008-10-17\",\"Id\":\"x\",\"Statement\":[{\"Sid\":\"s\",\"Effect\":\"Allow\","
                + "\"Action\":\"*\",\"Resource\":\"*\"}]}", raw()));
    }

    @Test
    void wildcards() {
        assertTrue(Wildcards.matches("a*c", "abbbc", false));
        assertTrue(Wildcards.matches("a*", "a", false));
        assertTrue(Wildcards.matches("*", "", false));
        assertTrue(Wildcards.matches("a**b", "ab", false));
        assertTrue(Wildcards.matches("a*b*c", "axxbyyc", false));
        assertTrue(!Wildcards.matches("a*b*c", "axxbyy", false));
        assertTrue(!Wildcards.matches("a?c", "ac", false));
        assertTrue(Wildcards.matches("A?C", "abc", true));
        assertTrue(!Wildcards.matches("A?C", "abc", false));
        assertTrue(!Wildcards.matches("abc", "abcd", false));
        assertTrue(!Wildcards.matches("abcd", "abc", false));
    }
}
