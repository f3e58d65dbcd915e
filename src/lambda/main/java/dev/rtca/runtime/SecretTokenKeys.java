package dev.rtca.runtime;

import dev.rtca.segments.TokenKey;
import dev.rtca.segments.TokenKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The NextToken keys in a Secrets Manager secret: the {@code AWSCURRENT} version seals, {@code AWSCURRENT} and
 * {@code AWSPREVIOUS} open. The current key is read on first use and again once it is {@link #MAX_AGE} old, so a
 * rotation reaches every function instance within that time; the previous key is read only when a token names a key
 * this instance does not hold, at most once per {@link #MIN_LOOK_INTERVAL} (any caller can send a token naming any
 * key).
 *
 * <p>A cold start does not wait for the secret: {@link #prefetch()} reads it on a virtual thread (client included)
 * while the function's first request does its own reads; the first seal waits only for what is still missing.
 *
 * <p>With SnapStart, the snapshot holds no key: before the checkpoint the current key is read once (loading the
 * client's classes) and then dropped, and after a restore it is prefetched again, so a restore never seals with a key
 * older than the secret's current version.
 */
public final class SecretTokenKeys implements TokenKeys, Resource {
    static final Duration MAX_AGE = Duration.ofMinutes(5);
    static final Duration MIN_LOOK_INTERVAL = Duration.ofSeconds(30);

    private record Keys(TokenKey current, Optional<TokenKey> previous, Instant readAt) {
    }

    private final Supplier<SecretsManagerClient> clients;
    private SecretsManagerClient client;
    private final String secretId;
    private final Clock clock;
    private Keys keys;
    private Instant lookedAt = Instant.MIN;

    private SecretTokenKeys(Supplier<SecretsManagerClient> clients, String secretId, Clock clock) {
        this.clients = clients;
        this.secretId = secretId;
        this.clock = clock;
    }

    /**
     * The keys of {@code secretId}, read through a client built on first use, dropped around a SnapStart checkpoint.
     */
    public static SecretTokenKeys register(Supplier<SecretsManagerClient> clients, String secretId, Clock clock) {
        SecretTokenKeys keys = new SecretTokenKeys(clients, secretId, clock);
        Core.getGlobalContext().register(keys); // held weakly: the codec holds the keys
        return keys;
    }

    /** Reads the current key on a virtual thread; a failure is left for the request that needs the key to report. */
    public void prefetch() {
        Thread.ofVirtual().name("token-key-prefetch").start(() -> {
            try {
                current();
            } catch (RuntimeException e) {
                Log.warn("token key prefetch failed: " + e.getMessage());
            }
        });
    }

    @Override
    public synchronized TokenKey current() {
        Instant now = clock.instant();
        if (keys == null || !now.isBefore(keys.readAt().plus(MAX_AGE))) {
            keys = new Keys(read("AWSCURRENT").orElseThrow(() -> new TokenKeyUnavailableException(
                    "the secret " + secretId + " has no AWSCURRENT version")), Optional.empty(), now);
        }
        return keys.current();
    }

    @Override
    public synchronized Optional<TokenKey> withId(int id) {
        Optional<TokenKey> held = held(id);
        Instant now = clock.instant();
        if (held.isPresent() || now.isBefore(lookedAt.plus(MIN_LOOK_INTERVAL))) {
            return held;
        }
        lookedAt = now;
        TokenKey current = read("AWSCURRENT").orElseThrow(() -> new TokenKeyUnavailableException(
                "the secret " + secretId + " has no AWSCURRENT version"));
        keys = new Keys(current, read("AWSPREVIOUS"), now);
        return held(id);
    }

    /** Drops the keys read so far. */
    synchronized void forget() {
        keys = null;
        lookedAt = Instant.MIN;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        try {
            current(); // the client's read path, loaded before the snapshot
        } catch (TokenKeyUnavailableException e) {
            Log.warn("token key not read before the snapshot: " + e.getMessage());
        }
        forget();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        forget();
        prefetch();
    }

    private Optional<TokenKey> held(int id) {
        TokenKey current = current();
        if (current.id() == id) {
            return Optional.of(current);
        }
        return keys.previous().filter(previous -> previous.id() == id);
    }

    private Optional<TokenKey> read(String stage) {
        if (client == null) {
            client = clients.get();
        }
        try {
            String text = client.getSecretValue(r -> r.secretId(secretId).versionStage(stage)).secretString();
            if (text == null) {
                throw new TokenKeyUnavailableException("the " + stage + " version of " + secretId + " has no SecretString");
            }
            return Optional.of(TokenKey.ofText(text));
        } catch (ResourceNotFoundException e) {
            return Optional.empty(); // no such version (a secret never rotated has no AWSPREVIOUS)
        } catch (SdkException e) {
            throw new TokenKeyUnavailableException("cannot read the " + stage + " version of " + secretId + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new TokenKeyUnavailableException("the " + stage + " version of " + secretId + " is not a token key: "
                    + e.getMessage(), e);
        }
    }
}
