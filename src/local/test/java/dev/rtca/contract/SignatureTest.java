package dev.rtca.contract;

import static dev.rtca.local.IamRuntime.DEVELOPER;
import static dev.rtca.local.IamRuntime.QA_ANALYST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtca.fixtures.Samples;
import dev.rtca.local.IamRuntime;
import dev.rtca.local.IamRuntime.Principal;
import dev.rtca.local.TestRuntime;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthSchemeOption;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.connect.model.AccessDeniedException;
import software.amazon.awssdk.services.connect.model.ListRealtimeContactAnalysisSegmentsV2Response;
import software.amazon.awssdk.services.connect.model.RealtimeContactAnalysisSegment;
import software.amazon.awssdk.services.connectcontactlens.ConnectContactLensClient;

/**
 * The local runtime started with {@code --iam} checks signatures as API Gateway's AWS_IAM does: the official SDKs pass
 * when they sign as execute-api (the README's recipe); signed as connect, with a wrong secret, at a stale time, over
 * another body or not at all, they get API Gateway's 403s as AccessDeniedException.
 */
class SignatureTest {
    private static final IamRuntime IAM = IamRuntime.shared();
    private static final String INSTANCE = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";

    @Test
    void signedAsExecuteApiTheSdksReadTheDemoContacts() {
        // Page by page, with verification on, the same segments as the runtime without it serves.
        try (ConnectContactLensClient lens = IAM.contactLens(QA_ANALYST); ConnectClient connect = IAM.connect(QA_ANALYST)) {
            List<Object> voice = voice(lens);
            List<Object> chat = chat(connect);
            assertTrue(voice.size() > 1 && chat.size() > 1, voice.size() + " voice and " + chat.size() + " chat segments");
            assertEquals(voice(TestRuntime.shared().contactLens()), voice);
            assertEquals(chat(TestRuntime.shared().connect()), chat);
        }
    }

    private static List<Object> voice(ConnectContactLensClient lens) {
        return lens.listRealtimeContactAnalysisSegmentsPaginator(r -> r.instanceId(INSTANCE)
                .contactId("a1b2c3d4-5678-90ab-cdef-EXAMPLE22222").maxResults(1)).stream().flatMap(p -> p.segments().stream()).map(Object.class::cast).toList();
    }

    /** The demo chat contact is in progress: its NextToken never ends, so read until a page comes back empty. */
    private static List<Object> chat(ConnectClient connect) {
        List<Object> segments = new ArrayList<>();
        String token = null;
        for (int pages = 0; pages < 100; pages++) {
            String from = token;
            ListRealtimeContactAnalysisSegmentsV2Response page = connect.listRealtimeContactAnalysisSegmentsV2(r -> r
                    .instanceId(INSTANCE).contactId("a1b2c3d4-5678-90ab-cdef-EXAMPLE44444").maxResults(1).outputType("Redacted")
                    .segmentTypesWithStrings("Transcript", "Event").nextToken(from));
            if (page.segments().isEmpty()) {
                break;
            }
            segments.addAll(page.segments());
            token = page.nextToken();
        }
        return segments;
    }

    @Test
    void pathsWithEscapedCharactersVerify() {
        // The SDK encodes the path once and signs it encoded twice; API Gateway (and the runtime) check the same.
        ContactKey key = new ContactKey(INSTANCE, "odd id:ü+%/@" + UUID.randomUUID());
        TestRuntime.shared().store().open(key, Channel.CHAT, Set.of(OutputType.Redacted));
        TestRuntime.shared().store().append(key, Channel.CHAT, OutputType.Redacted, "e1", List.of(Samples.v2Transcript(1, "AGENT")));
        try (ConnectClient connect = IAM.connect(DEVELOPER)) {
            List<RealtimeContactAnalysisSegment> segments = connect.listRealtimeContactAnalysisSegmentsV2(r -> r.instanceId(INSTANCE)
                    .contactId(key.contactId()).outputType("Redacted").segmentTypesWithStrings("Transcript")).segments();
            assertEquals("t-1", segments.get(0).transcript().id());
        }
    }

    @Test
    void signedAsConnectIsRefusedAsApiGatewayDoes() {
        try (ConnectClient connect = IAM.connectSignedAsConnect(QA_ANALYST)) {
            assertRefused("Credential should be scoped to correct service: 'execute-api'. ", () -> list(connect));
        }
    }

    @Test
    void aWrongSecretIsRefused() {
        try (ConnectClient connect = IAM.connect(QA_ANALYST.withSecret("not-the-secret"))) {
            assertRefused("The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
                    () -> list(connect));
        }
    }

    @Test
    void anUnknownAccessKeyIsRefused() {
        try (ConnectClient connect = IAM.connect(new Principal("AKIDSTRANGER", "secret", "arn:aws:iam::123456789012:user/x"))) {
            assertRefused("The security token included in the request is invalid.", () -> list(connect));
        }
    }

    @Test
    void aSignatureOlderOrNewerThanFifteenMinutesIsRefused() {
        for (Duration skew : List.of(Duration.ofMinutes(-16), Duration.ofMinutes(16))) {
            try (ConnectClient connect = executeApiClient(QA_ANALYST, Region.US_EAST_1.id(), Clock.offset(Clock.systemUTC(), skew))) {
                AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> list(connect));
                assertTrue(e.awsErrorDetails().errorMessage().startsWith(skew.isNegative() ? "Signature expired: " : "Signature not yet current: "),
                        e.awsErrorDetails().errorMessage());
            }
        }
        // Within the window, a skewed clock is fine.
        try (ConnectClient connect = executeApiClient(QA_ANALYST, Region.US_EAST_1.id(), Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-14)))) {
            list(connect);
        }
    }

    @Test
    void anotherRegionsScopeIsRefused() {
        try (ConnectClient connect = executeApiClient(QA_ANALYST, "eu-west-1", Clock.systemUTC())) {
            assertRefused("Credential should be scoped to a valid region, not 'eu-west-1'. ", () -> list(connect));
        }
    }

    @Test
    void aBodyOtherThanTheSignedOneIsRefused() throws Exception {
        String path = "/contact/list-real-time-analysis-segments-v2/" + INSTANCE + "/a1b2c3d4-5678-90ab-cdef-EXAMPLE44444";
        String signed = "{\"OutputType\":\"Redacted\",\"SegmentTypes\":[\"Transcript\"]}";
        String tampered = "{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"]}";
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(IAM.endpoint().resolve(path))
                .putHeader("Content-Type", "application/json").build();
        SignedRequest signature = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(QA_ANALYST.accessKeyId(), QA_ANALYST.secretAccessKey()))
                .request(request)
                .payload(ContentStreamProvider.fromUtf8String(signed))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));

        assertEquals(200, send(signature, signed).statusCode(), "the signed body passes");
        HttpResponse<String> refused = send(signature, tampered);
        assertEquals(403, refused.statusCode());
        assertEquals("AccessDeniedException", refused.headers().firstValue("X-Amzn-ErrorType").orElse(null));
        assertTrue(refused.body().contains("The request signature we calculated does not match"), refused.body());
    }

    @Test
    void anUnsignedRequestIsAMissingAuthenticationToken() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(IAM.endpoint().resolve(
                        "/contact/list-real-time-analysis-segments-v2/" + INSTANCE + "/a1b2c3d4-5678-90ab-cdef-EXAMPLE44444"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"OutputType\":\"Redacted\",\"SegmentTypes\":[\"Transcript\"]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, response.statusCode());
        assertEquals("AccessDeniedException", response.headers().firstValue("X-Amzn-ErrorType").orElse(null));
        assertEquals("{\"__type\":\"AccessDeniedException\",\"Message\":\"Missing Authentication Token\"}", response.body());
    }

    private static HttpResponse<String> send(SignedRequest signature, String body) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(signature.request().getUri())
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        signature.request().forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) { // java.net.http sets it, to the value the signer used
                values.forEach(v -> builder.header(name, v));
            }
        });
        return HttpClient.newHttpClient().send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void list(ConnectClient connect) {
        connect.listRealtimeContactAnalysisSegmentsV2(r -> r.instanceId(INSTANCE).contactId("a1b2c3d4-5678-90ab-cdef-EXAMPLE44444")
                .outputType("Redacted").segmentTypesWithStrings("Transcript"));
    }

    private static void assertRefused(String message, org.junit.jupiter.api.function.Executable call) {
        AccessDeniedException e = assertThrows(AccessDeniedException.class, call);
        assertEquals(403, e.statusCode());
        assertEquals(message, e.awsErrorDetails().errorMessage());
    }

    private static ConnectClient executeApiClient(Principal who, String region, Clock clock) {
        AuthSchemeOption option = AuthSchemeOption.builder()
                .schemeId(AwsV4AuthScheme.SCHEME_ID)
                .putSignerProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                .putSignerProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putSignerProperty(HttpSigner.SIGNING_CLOCK, clock)
                .build();
        return ConnectClient.builder()
                .endpointOverride(IAM.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(who.accessKeyId(), who.secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .authSchemeProvider(params -> List.of(option))
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }
}
