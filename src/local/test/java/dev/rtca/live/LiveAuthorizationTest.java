package dev.rtca.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.fixtures.Envelopes;
import dev.rtca.local.IamRuntime;
import dev.rtca.local.IamRuntime.Principal;
import dev.rtca.local.TestRuntime;
import dev.rtca.segments.ContactKey;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The live API under signature verification and policies (the local runtime with --iam): the handshake must be signed
 * as API Gateway's AWS_IAM requires (by headers, or presigned in the query as a browser does), and a subscription is
 * authorized by the same policies as the list operation: a denied one gets an Error frame, never data.
 */
class LiveAuthorizationTest {
    private static final IamRuntime IAM = IamRuntime.shared();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String INSTANCE = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";

    private static URI live() {
        return URI.create(IAM.endpoint().toString().replace("http:", "ws:") + "/live");
    }

    /** The handshake signed as execute-api by the SDK's signer: in its headers, or presigned in its query. */
    private static SdkHttpRequest signed(Principal who, URI live, boolean inQuery) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET)
                .uri(URI.create(live.toString().replace("ws:", "http:"))).build();
        return AwsV4HttpSigner.create().sign(r -> {
            r.identity(AwsCredentialsIdentity.create(who.accessKeyId(), who.secretAccessKey()))
                    .request(request)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1");
            if (inQuery) {
                r.putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(5));
            }
        }).request();
    }

    static Map<String, String> signedHeaders(Principal who, URI live) {
        Map<String, String> headers = new HashMap<>();
        signed(who, live, false).forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                headers.put(name, values.get(0));
            }
        });
        return headers;
    }

    /** As a browser's WebSocket must send it: it cannot set headers. */
    static URI presigned(Principal who, URI live) {
        return URI.create(signed(who, live, true).getUri().toString().replace("http:", "ws:"));
    }

    @Test
    void anUnsignedHandshakeIsRefused() {
        CompletionException refused = assertThrows(CompletionException.class, () -> LiveClient.connect(live(), Map.of()));
        WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, refused.getCause());
        assertEquals(403, handshake.getResponse().statusCode());
    }

    @Test
    void aSubscriptionObeysTheListOperationsPolicies() throws Exception {
        ContactKey contact = new ContactKey(INSTANCE, "live-" + java.util.UUID.randomUUID());
        LiveProtocolTest.write(TestRuntime.shared().runtime(), Envelopes.chat(contact, "STARTED", "RedactedAndRaw"));
        LiveProtocolTest.write(TestRuntime.shared().runtime(), Envelopes.chatSegments(contact, "Raw", LiveProtocolTest.transcripts("r", 0, 2)));
        LiveProtocolTest.write(TestRuntime.shared().runtime(), Envelopes.chatSegments(contact, "Redacted", LiveProtocolTest.transcripts("d", 0, 2)));

        // The supervisor dashboard may read Redacted, not Raw.
        try (LiveClient supervisor = LiveClient.connect(live(), signedHeaders(IamRuntime.SUPERVISOR, live()))) {
            supervisor.subscribe(contact.instanceId(), contact.contactId(), "Raw", List.of("Transcript"), null);
            JsonNode denied = supervisor.next(WAIT);
            assertEquals("Error", denied.path("Type").asText(), denied.toString());
            assertEquals("AccessDeniedException", denied.path("ErrorType").asText());
            assertTrue(denied.path("Message").asText().startsWith("User: " + IamRuntime.SUPERVISOR.arn() + " is not authorized"));

            supervisor.subscribe(contact.instanceId(), contact.contactId(), "Redacted", List.of("Transcript"), null);
            supervisor.awaitSegments(2, WAIT);
            assertTrue(supervisor.segments().stream().allMatch(s -> s.path("Transcript").path("Id").asText().startsWith("tr-d-")),
                    "only the Redacted stream: " + supervisor.segments());
        }
        // The QA analyst reads Raw, through a presigned handshake (as the viewer in a browser connects).
        try (LiveClient qa = LiveClient.connect(presigned(IamRuntime.QA_ANALYST, live()), Map.of())) {
            qa.subscribe(contact.instanceId(), contact.contactId(), "Raw", List.of("Transcript"), null);
            qa.awaitSegments(2, WAIT);
            assertTrue(qa.segments().stream().allMatch(s -> s.path("Transcript").path("Id").asText().startsWith("tr-r-")));
        }
    }
}
