package dev.rtca.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The policies in force, read from a {@link PolicyStore} and kept for a bounded time: a change to a stored document
 * takes effect within {@link #STALENESS} on every function instance, without a deploy. A document that does not parse
 * allows nothing (and is reported once per read).
 *
 * <p>A principal without a document of its own gets the deployment's default: the stored {@code default} document
 * when there is one, else the built-in one, under which principals of the deployment's account may read the Redacted
 * stream of any contact and nobody may read Raw. Principals of other accounts get nothing by default.
 */
public final class Policies {
    /** How long a read document (or its absence) is trusted before it is read again. */
    public static final Duration STALENESS = Duration.ofSeconds(60);
    static final int MAX_ENTRIES = 1_000;

    private record Cached(Optional<Policy> policy, Instant readAt) {
    }

    private final PolicyStore store;
    private final Deployment deployment;
    private final Clock clock;
    private final BiConsumer<String, String> onInvalid;
    private final Map<String, Cached> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    /** @param onInvalid told (key, reason) when a stored document is not a policy this grammar reads */
    public Policies(PolicyStore store, Deployment deployment, Clock clock, BiConsumer<String, String> onInvalid) {
        this.store = store;
        this.deployment = deployment;
        this.clock = clock;
        this.onInvalid = onInvalid;
    }

    /** What the caller's policies say about the request. */
    public Decision evaluate(Caller caller, AccessRequest request) {
        Optional<Policy> own = read(caller.principal());
        if (own.isPresent()) {
            return own.get().evaluate(request);
        }
        if (!caller.account().equals(deployment.account())) {
            return Decision.IMPLICIT_DENY;
        }
        return read(PolicyStore.DEFAULT).orElseGet(deployment::defaultPolicy).evaluate(request);
    }

    private synchronized Optional<Policy> read(String key) {
        Instant now = clock.instant();
        Cached entry = cache.get(key);
        if (entry == null || !now.isBefore(entry.readAt().plus(STALENESS))) {
            entry = new Cached(store.document(key).map(document -> parse(key, document)), now);
            cache.put(key, entry);
        }
        return entry.policy();
    }

    private Policy parse(String key, String document) {
        try {
            return Policy.parse(document);
        } catch (InvalidPolicyException e) {
            onInvalid.accept(key, e.getMessage());
            return Policy.parse("{\"Statement\":[]}");
        }
    }
}
