package dev.rtca.rotation;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import dev.rtca.runtime.Config;
import dev.rtca.runtime.Events;
import dev.rtca.runtime.Log;
import dev.rtca.runtime.Wiring;
import dev.rtca.segments.TokenKey;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Secrets Manager's rotation function for the NextToken key secret. Secrets Manager calls it four times per rotation
 * ({@code Step}: createSecret, setSecret, testSecret, finishSecret) with the new version's ID
 * ({@code ClientRequestToken}); each step may be retried, so each is idempotent.
 *
 * <ul>
 *   <li>createSecret: a new random key (48 bytes, base64url: 64 characters) as the {@code AWSPENDING} version;
 *   <li>setSecret: nothing (no other system holds the key);
 *   <li>testSecret: the pending value is a key the list functions accept;
 *   <li>finishSecret: {@code AWSCURRENT} moves to the new version; Secrets Manager labels the old one
 *       {@code AWSPREVIOUS}, with which the list functions keep opening the tokens they sealed before.
 * </ul>
 */
public final class TokenKeyRotationHandler implements RequestStreamHandler {
    private static final String CURRENT = "AWSCURRENT";
    private static final String PENDING = "AWSPENDING";

    private final SecretsManagerClient secrets;
    private final SecureRandom random = new SecureRandom();

    /** Lambda's constructor: configured from the function's environment. */
    public TokenKeyRotationHandler() {
        this(Config.fromEnvironment(System.getenv()));
    }

    /** The local runtime's constructor (it configures every function itself). */
    public TokenKeyRotationHandler(Config config) {
        this(Wiring.secretsManager(config));
    }

    public TokenKeyRotationHandler(SecretsManagerClient secrets) {
        this.secrets = secrets;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        handle(Events.read(input, SecretsManagerRotationEvent.class), context);
    }

    /** Runs one step of a rotation; a retried step changes nothing more. */
    public void handle(SecretsManagerRotationEvent event, Context context) {
        String step = Objects.requireNonNullElse(event.getStep(), "");
        String secret = Objects.requireNonNullElse(event.getSecretId(), "");
        String version = Objects.requireNonNullElse(event.getClientRequestToken(), "");
        if (step.isEmpty() || secret.isEmpty() || version.isEmpty()) {
            throw new IllegalArgumentException("a rotation event has Step, SecretId and ClientRequestToken");
        }
        Map<String, List<String>> versions = secrets.describeSecret(r -> r.secretId(secret)).versionIdsToStages();
        List<String> stages = versions.getOrDefault(version, List.of());
        if (stages.contains(CURRENT)) {
            Log.info("rotation: version is already current", "secret", secret, "version", version, "step", step);
            return;
        }
        if (!stages.contains(PENDING)) {
            throw new IllegalStateException("version " + version + " of " + secret + " is not pending rotation");
        }
        switch (step) {
            case "createSecret" -> create(secret, version);
            case "setSecret" -> { } // the key lives only in the secret
            case "testSecret" -> TokenKey.ofText(secrets.getSecretValue(r -> r.secretId(secret).versionId(version)
                    .versionStage(PENDING)).secretString());
            case "finishSecret" -> finish(secret, version, versions);
            default -> throw new IllegalArgumentException("unknown rotation step " + step);
        }
        Log.info("rotation step done", "secret", secret, "version", version, "step", step);
    }

    private void create(String secret, String version) {
        try {
            secrets.getSecretValue(r -> r.secretId(secret).versionId(version).versionStage(PENDING));
            return; // a retried step: the pending value exists
        } catch (ResourceNotFoundException e) {
            // not yet created
        }
        byte[] key = new byte[48];
        random.nextBytes(key);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
        secrets.putSecretValue(r -> r.secretId(secret).clientRequestToken(version).secretString(text).versionStages(PENDING));
    }

    private void finish(String secret, String version, Map<String, List<String>> versions) {
        String current = versions.entrySet().stream().filter(e -> e.getValue().contains(CURRENT)).map(Map.Entry::getKey)
                .findFirst().orElse(null);
        secrets.updateSecretVersionStage(r -> r.secretId(secret).versionStage(CURRENT).moveToVersionId(version)
                .removeFromVersionId(current));
    }
}
