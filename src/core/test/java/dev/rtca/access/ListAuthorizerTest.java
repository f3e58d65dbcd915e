package dev.rtca.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtca.segments.ContactKey;
import dev.rtca.segments.Operation;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.Permission;
import dev.rtca.segments.RequestRejected;
import dev.rtca.segments.SegmentType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Who may read what: callers, the deployment's default, stored policies and how long they are trusted, and the
 * request context the two operations present to IAM.
 */
class ListAuthorizerTest {
    private static final Deployment DEPLOYMENT = new Deployment("aws", "us-east-1", "123456789012");
    private static final ContactKey CONTACT = new ContactKey("i-1", "c-1");
    private static final Set<SegmentType> TRANSCRIPT = EnumSet.of(SegmentType.Transcript);

    private final Map<String, String> documents = new HashMap<>();
    private final List<String> reads = new ArrayList<>();
    private final List<String> invalid = new ArrayList<>();
    private Instant now = Instant.parse("2026-11-22T10:00:00Z");
    private final Policies policies = new Policies(key -> {
        reads.add(key);
        return Optional.ofNullable(documents.get(key));
    }, DEPLOYMENT, new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }, (key, reason) -> invalid.add(key + ": " + reason));
    private final ListAuthorizer authorizer = new ListAuthorizer(policies, DEPLOYMENT);

    private Permission v2(String userArn) {
        return authorizer.permission(Caller.of(userArn), Operation.V2, CONTACT, TRANSCRIPT);
    }

    @Test
    void callers() {
        assertEquals(new Caller("arn:aws:sts::123456789012:assumed-role/QA/alice", "arn:aws:iam::123456789012:role/QA", "123456789012"),
                Caller.of("arn:aws:sts::123456789012:assumed-role/QA/alice"));
        assertEquals(new Caller("arn:aws-cn:sts::123456789012:assumed-role/QA/s", "arn:aws-cn:iam::123456789012:role/QA", "123456789012"),
                Caller.of("arn:aws-cn:sts::123456789012:assumed-role/QA/s"));
        assertEquals(new Caller("arn:aws:iam::123456789012:user/bob", "arn:aws:iam::123456789012:user/bob", "123456789012"),
                Caller.of("arn:aws:iam::123456789012:user/bob"));
        assertEquals(new Caller("anonymous", "anonymous", ""), Caller.of(null));
        assertEquals(new Caller("anonymous", "anonymous", ""), Caller.of(" "));
        assertEquals("", Caller.of("arn:aws:sts::123456789012:federated-user/x").account(), "no account it names the IAM way");
    }

    @Test
    void theDefaultLetsTheDeploymentsAccountReadRedactedAndNobodyRaw() {
        assertTrue(v2("arn:aws:iam::123456789012:user/bob").allows(OutputType.Redacted));
        assertFalse(v2("arn:aws:iam::123456789012:user/bob").allows(OutputType.Raw));
        assertTrue(authorizer.permission(Caller.of("arn:aws:iam::123456789012:user/bob"), Operation.V1, CONTACT, TRANSCRIPT)
                .allows(OutputType.Redacted), "V1 too");
        assertFalse(v2("arn:aws:iam::999999999999:user/eve").allows(OutputType.Redacted), "other accounts get nothing by default");
        assertFalse(v2(null).allows(OutputType.Redacted), "nor do anonymous callers");
    }

    @Test
    void aStoredDefaultReplacesTheBuiltInOne() {
        documents.put(PolicyStore.DEFAULT, "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"}]}");
        assertTrue(v2("arn:aws:iam::123456789012:user/bob").allows(OutputType.Raw));
        assertFalse(v2("arn:aws:iam::999999999999:user/eve").allows(OutputType.Raw), "still only for the deployment's account");
    }

    @Test
    void aPrincipalsOwnPolicyReplacesTheDefaultAndAnAssumedRoleIsItsRole() {
        documents.put("arn:aws:iam::123456789012:role/QA", "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"" + ListAuthorizer.OUTPUT_TYPE_KEY + "\":\"Raw\"}}}]}");
        Permission qa = v2("arn:aws:sts::123456789012:assumed-role/QA/alice");
        assertTrue(qa.allows(OutputType.Raw));
        assertFalse(qa.allows(OutputType.Redacted), "the default no longer applies to a principal with its own policy");
    }

    @Test
    void v2PresentsItsSegmentTypesV1None() {
        String onlyTranscripts = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\","
                + "\"Condition\":{\"ForAnyValue:StringEquals\":{\"" + ListAuthorizer.SEGMENT_TYPE_KEY + "\":\"Transcript\"}}}]}";
        documents.put("arn:aws:iam::123456789012:user/bob", onlyTranscripts);
        Caller bob = Caller.of("arn:aws:iam::123456789012:user/bob");
        assertTrue(authorizer.permission(bob, Operation.V2, CONTACT, TRANSCRIPT).allows(OutputType.Raw));
        assertFalse(authorizer.permission(bob, Operation.V2, CONTACT, EnumSet.of(SegmentType.Event)).allows(OutputType.Raw));
        assertFalse(authorizer.permission(bob, Operation.V1, CONTACT, EnumSet.allOf(SegmentType.class)).allows(OutputType.Raw),
                "V1 has no SegmentTypes: ForAnyValue on an absent key does not hold");
    }

    @Test
    void theResourceIsTheContactsArnAndTheRefusalNamesCallerActionAndResource() {
        documents.put("arn:aws:iam::123456789012:user/bob", "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\""
                + ListAuthorizer.V1_ACTION + "\",\"Resource\":\"arn:aws:connect:us-east-1:123456789012:instance/i-1/contact/c-1\"}]}");
        Caller bob = Caller.of("arn:aws:iam::123456789012:user/bob");
        assertTrue(authorizer.permission(bob, Operation.V1, CONTACT, TRANSCRIPT).allows(OutputType.Raw));
        assertFalse(authorizer.permission(bob, Operation.V1, new ContactKey("i-1", "c-2"), TRANSCRIPT).allows(OutputType.Raw));
        RequestRejected refusal = authorizer.permission(bob, Operation.V2, CONTACT, TRANSCRIPT).refusal();
        assertEquals(RequestRejected.Reason.ACCESS_DENIED, refusal.reason());
        assertEquals("User: arn:aws:iam::123456789012:user/bob is not authorized to perform: "
                + "connect:ListRealtimeContactAnalysisSegmentsV2 on resource: arn:aws:connect:us-east-1:123456789012:instance/i-1/contact/c-1",
                refusal.getMessage());
    }

    @Test
    void storedPoliciesAreTrustedForABoundedTimeThenReadAgain() {
        String bob = "arn:aws:iam::123456789012:user/bob";
        assertTrue(v2(bob).allows(OutputType.Redacted));
        assertTrue(v2(bob).allows(OutputType.Redacted));
        assertEquals(List.of(bob, PolicyStore.DEFAULT), reads, "one read of each, then the cache");
        documents.put(bob, "{\"Statement\":[]}");
        now = now.plusSeconds(59);
        assertTrue(v2(bob).allows(OutputType.Redacted), "for 59 s the cached answer stands");
        now = now.plusSeconds(1);
        assertFalse(v2(bob).allows(OutputType.Redacted), "at 60 s the stored change applies");
        assertEquals(Duration.ofSeconds(60), Policies.STALENESS);
    }

    @Test
    void anInvalidStoredPolicyAllowsNothingAndIsReported() {
        documents.put("arn:aws:iam::123456789012:user/bob", "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\"}]}");
        assertFalse(v2("arn:aws:iam::123456789012:user/bob").allows(OutputType.Redacted), "not even the default");
        assertEquals(1, invalid.size());
        assertTrue(invalid.get(0).startsWith("arn:aws:iam::123456789012:user/bob: "), invalid.get(0));
    }

    @Test
    void theCacheIsBounded() {
        for (int i = 0; i <= Policies.MAX_ENTRIES; i++) {
            v2("arn:aws:iam::123456789012:user/u" + i).allows(OutputType.Redacted);
        }
        reads.clear();
        v2("arn:aws:iam::123456789012:user/u0").allows(OutputType.Redacted);
        assertEquals(List.of("arn:aws:iam::123456789012:user/u0"), reads, "the least recently used entry was evicted");
    }

    @Test
    void deploymentArns() {
        assertEquals("arn:aws-us-gov:connect:us-gov-west-1:111122223333:instance/i/contact/c",
                new Deployment("aws-us-gov", "us-gov-west-1", "111122223333").contactArn(new ContactKey("i", "c")));
    }
}
