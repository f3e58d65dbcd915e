package dev.rtca.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtca.fixtures.Samples;
import dev.rtca.local.LocalDynamo;
import dev.rtca.local.LocalRuntime;
import dev.rtca.local.TestRuntime;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.connect.model.InvalidRequestException;
import software.amazon.awssdk.services.connect.model.ListRealtimeContactAnalysisSegmentsV2Response;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The NextToken key rotates as deployed: Secrets Manager's RotateSecret runs the template's rotation function through
 * its four steps (here against the local runtime's Secrets Manager), new function instances seal with the new key, and
 * a token sealed before the rotation keeps opening until the key that sealed it is retired by the next one.
 */
class TokenKeyRotationTest {

    @Test
    void aRotationKeepsPagingClientsWorkingUntilTheirKeyIsRetired() {
        ContactKey key = new ContactKey("rotation-" + UUID.randomUUID(), "contact-" + UUID.randomUUID());
        TestRuntime.shared().store().open(key, Channel.CHAT, Set.of(OutputType.Raw));
        TestRuntime.shared().store().append(key, Channel.CHAT, OutputType.Raw, "e1",
                IntStream.range(0, 5).mapToObj(i -> Samples.v2Transcript(i, "AGENT")).toList());

        try (LocalRuntime runtime = LocalRuntime.start(LocalRuntime.Options.defaults(0), LocalDynamo.shared());
             ConnectClient connect = TestRuntime.connect(runtime.endpoint(), "AKID", 1);
             SecretsManagerClient secrets = secrets(runtime)) {
            String before = page(connect, key, null).nextToken();

            rotate(secrets, runtime);
            ListRealtimeContactAnalysisSegmentsV2Response second = page(connect, key, before);
            assertEquals("t-1", second.segments().get(0).transcript().id(), "the previous key still opens its tokens");
            String after = second.nextToken();
            assertNotEquals(keyId(before), keyId(after), "new instances seal with the new key");

            rotate(secrets, runtime);
            InvalidRequestException retired = assertThrows(InvalidRequestException.class, () -> page(connect, key, before));
            assertEquals(400, retired.statusCode());
            assertEquals("t-2", page(connect, key, after).segments().get(0).transcript().id(),
                    "a token of the key that is now previous still opens");

            Map<String, List<String>> stages = secrets.describeSecret(r -> r.secretId(LocalRuntime.TOKEN_SECRET)).versionIdsToStages();
            assertTrue(stages.values().stream().anyMatch(s -> s.contains("AWSCURRENT"))
                    && stages.values().stream().anyMatch(s -> s.contains("AWSPREVIOUS")), stages.toString());
        }
    }

    @Test
    void everyRotationStepMayBeRetried() throws Exception {
        try (LocalRuntime runtime = LocalRuntime.start(LocalRuntime.Options.defaults(0), LocalDynamo.shared());
             SecretsManagerClient secrets = secrets(runtime)) {
            String before = secrets.getSecretValue(r -> r.secretId(LocalRuntime.TOKEN_SECRET)).secretString();
            String version = UUID.randomUUID().toString();
            // Secrets Manager labels the new version AWSPENDING before the first step; a value put by a first attempt
            // of createSecret must survive its retry.
            secrets.putSecretValue(r -> r.secretId(LocalRuntime.TOKEN_SECRET).clientRequestToken(version)
                    .secretString("pending-key-pending-key-pending-key-0").versionStages("AWSPENDING"));
            for (String step : List.of("createSecret", "createSecret", "setSecret", "testSecret", "testSecret", "finishSecret", "finishSecret")) {
                runtime.invoke("TokenKeyRotationFunction", ("{\"Step\":\"" + step + "\",\"SecretId\":\"" + LocalRuntime.TOKEN_SECRET
                        + "\",\"ClientRequestToken\":\"" + version + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            assertEquals("pending-key-pending-key-pending-key-0", secrets.getSecretValue(r -> r.secretId(LocalRuntime.TOKEN_SECRET)).secretString());
            assertEquals(before, secrets.getSecretValue(r -> r.secretId(LocalRuntime.TOKEN_SECRET).versionStage("AWSPREVIOUS")).secretString());

            // A version that is not pending rotation is refused, not made current.
            Exception refused = assertThrows(IllegalStateException.class, () -> runtime.invoke("TokenKeyRotationFunction",
                    ("{\"Step\":\"finishSecret\",\"SecretId\":\"" + LocalRuntime.TOKEN_SECRET
                            + "\",\"ClientRequestToken\":\"no-such-version\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertTrue(refused.getMessage().contains("not pending rotation"), refused.getMessage());
        }
    }

    private static SecretsManagerClient secrets(LocalRuntime runtime) {
        return SecretsManagerClient.builder().endpointOverride(runtime.secretsManagerEndpoint())
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
    }

    /** What Secrets Manager does on schedule; the functions' next instances read the secret anew. */
    private static void rotate(SecretsManagerClient secrets, LocalRuntime runtime) {
        String current = secrets.getSecretValue(r -> r.secretId(LocalRuntime.TOKEN_SECRET)).versionId();
        String rotated = secrets.rotateSecret(r -> r.secretId(LocalRuntime.TOKEN_SECRET)).versionId();
        assertNotEquals(current, rotated);
        assertEquals(rotated, secrets.getSecretValue(r -> r.secretId(LocalRuntime.TOKEN_SECRET)).versionId());
        assertEquals(64, secrets.getSecretValue(r -> r.secretId(LocalRuntime.TOKEN_SECRET)).secretString().length(),
                "the rotation made a new 64-character key");
        runtime.recycleFunctions();
    }

    private static ListRealtimeContactAnalysisSegmentsV2Response page(ConnectClient connect, ContactKey key, String token) {
        return connect.listRealtimeContactAnalysisSegmentsV2(r -> r.instanceId(key.instanceId()).contactId(key.contactId())
                .outputType("Raw").segmentTypesWithStrings("Transcript").maxResults(1).nextToken(token));
    }

    /** Bytes 1-4 of a format-2 token: the ID of the key that sealed it. */
    private static String keyId(String token) {
        byte[] bytes = Base64.getUrlDecoder().decode(token);
        assertEquals(2, bytes[0], "format 2");
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(bytes, 1, 5));
    }
}
