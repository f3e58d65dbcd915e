package dev.rtca.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtca.fixtures.MutableClock;
import dev.rtca.segments.TokenKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** When the list functions read the key secret, and what they do with what they read. */
class SecretTokenKeysTest {
    private static final String K1 = "key-one-key-one-key-one-key-one-01";
    private static final String K2 = "key-two-key-two-key-two-key-two-02";
    private static final String K3 = "key-three-key-three-key-three-0003";

    /** Secrets Manager's staging labels, and every read the keys make. */
    private static final class FakeSecrets implements SecretsManagerClient {
        final Map<String, String> stages = new HashMap<>();
        final List<String> reads = new java.util.concurrent.CopyOnWriteArrayList<>();
        boolean down;

        @Override
        public GetSecretValueResponse getSecretValue(GetSecretValueRequest request) {
            reads.add(request.versionStage());
            if (down) {
                throw SdkClientException.create("connection refused");
            }
            String value = stages.get(request.versionStage());
            if (value == null) {
                throw ResourceNotFoundException.builder().message("no such version").build();
            }
            return GetSecretValueResponse.builder().secretString(value).build();
        }

        void rotate(String next) {
            stages.put("AWSPREVIOUS", stages.get("AWSCURRENT"));
            stages.put("AWSCURRENT", next);
        }

        @Override
        public String serviceName() {
            return "secretsmanager";
        }

        @Override
        public void close() {
        }
    }

    private final FakeSecrets secrets = new FakeSecrets();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    private final SecretTokenKeys keys = SecretTokenKeys.register(() -> secrets, "token-secret", clock);

    {
        secrets.stages.put("AWSCURRENT", K1);
    }

    private static int id(String key) {
        return TokenKey.ofText(key).id();
    }

    @Test
    void theCurrentKeyIsReadOnceThenAgainWhenItIsFiveMinutesOld() {
        assertEquals(id(K1), keys.current().id());
        assertEquals(id(K1), keys.current().id());
        assertEquals(List.of("AWSCURRENT"), secrets.reads);

        secrets.rotate(K2);
        clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        assertEquals(id(K1), keys.current().id(), "within five minutes the instance keeps sealing with the key it read");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(id(K2), keys.current().id());
        assertEquals(List.of("AWSCURRENT", "AWSCURRENT"), secrets.reads);
    }

    @Test
    void aTokenOfThePreviousKeyMakesTheInstanceReadBothVersions() {
        keys.current();
        secrets.rotate(K2);
        assertEquals(id(K1), keys.withId(id(K1)).orElseThrow().id(), "the key it holds: no read");
        assertEquals(List.of("AWSCURRENT"), secrets.reads);

        assertEquals(id(K2), keys.withId(id(K2)).orElseThrow().id(), "a key it does not hold: read again");
        assertEquals(List.of("AWSCURRENT", "AWSCURRENT", "AWSPREVIOUS"), secrets.reads);
        assertEquals(id(K2), keys.current().id(), "and seal with the new current key");
        assertEquals(id(K1), keys.withId(id(K1)).orElseThrow().id(), "while the previous one still opens");
    }

    @Test
    void unknownKeyIdsMakeAtMostOneLookEveryThirtySeconds() {
        keys.current();
        assertTrue(keys.withId(12345).isEmpty());
        assertTrue(keys.withId(12345).isEmpty());
        assertTrue(keys.withId(67890).isEmpty());
        assertEquals(List.of("AWSCURRENT", "AWSCURRENT", "AWSPREVIOUS"), secrets.reads, "one look for three forged tokens");
        clock.advance(Duration.ofSeconds(29));
        assertTrue(keys.withId(12345).isEmpty());
        assertEquals(3, secrets.reads.size(), "no look for 29 s");
        clock.advance(Duration.ofSeconds(1));
        assertTrue(keys.withId(12345).isEmpty());
        assertEquals(5, secrets.reads.size());
    }

    @Test
    void aRetiredKeyOpensNothingOnceTheInstanceLooks() {
        keys.current();
        secrets.rotate(K2);
        secrets.rotate(K3);
        clock.advance(Duration.ofMinutes(5));
        assertTrue(keys.withId(id(K1)).isEmpty());
        assertEquals(id(K3), keys.current().id());
        assertEquals(id(K2), keys.withId(id(K2)).orElseThrow().id());
    }

    @Test
    void theSnapshotHoldsNoKeyAndARestoreReadsTheSecretAgain() {
        keys.beforeCheckpoint(null);
        assertEquals(List.of("AWSCURRENT"), secrets.reads, "read before the checkpoint (the client's classes load) ...");
        keys.current();
        assertEquals(List.of("AWSCURRENT", "AWSCURRENT"), secrets.reads, "... and dropped");
        secrets.rotate(K2);
        keys.afterRestore(null);
        assertEquals(id(K2), keys.current().id(), "the first use after a restore reads the current version");
    }

    @Test
    void aSecretThatCannotBeReadFailsTheRequestNotTheInstance() {
        secrets.down = true;
        TokenKeyUnavailableException e = assertThrows(TokenKeyUnavailableException.class, keys::current);
        assertTrue(e.getMessage().contains("token-secret"), e.getMessage());
        keys.beforeCheckpoint(null); // a snapshot without Secrets Manager still happens
        secrets.down = false;
        assertEquals(id(K1), keys.current().id());

        secrets.stages.put("AWSCURRENT", "too short");
        clock.advance(Duration.ofMinutes(5));
        assertTrue(assertThrows(TokenKeyUnavailableException.class, keys::current).getMessage().contains("not a token key"));
    }

    @Test
    void aPrefetchReadsTheKeyBeforeAnyRequestNeedsIt() throws Exception {
        keys.prefetch();
        for (int waited = 0; secrets.reads.isEmpty() && waited < 200; waited++) {
            Thread.sleep(10);
        }
        assertEquals(List.of("AWSCURRENT"), secrets.reads, "read without a request asking");
        assertEquals(id(K1), keys.current().id());
        assertEquals(List.of("AWSCURRENT"), secrets.reads, "and not read again");
    }

    @Test
    void aFailedPrefetchLeavesTheErrorToTheRequestThatNeedsTheKey() throws Exception {
        secrets.down = true;
        keys.prefetch();
        for (int waited = 0; secrets.reads.isEmpty() && waited < 200; waited++) {
            Thread.sleep(10);
        }
        assertThrows(TokenKeyUnavailableException.class, keys::current);
        secrets.down = false;
        assertEquals(id(K1), keys.current().id());
    }
}
