package dev.rtca.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Fuzz target for the local runtime's SigV4 verification (bin/fuzz sigv4): whatever a client sends (method, path,
 * query, headers, Authorization, body), the verifier answers Verified or a gateway refusal, never an exception; a
 * request the SDK's signer signed verifies, and the same request with any other body is refused. In every build it
 * runs over the inputs committed beside this class; bin/fuzz fuzzes it for real.
 */
class SigV4FuzzTest {
    private static final SigV4.Credential ALICE = new SigV4.Credential("AKIDFUZZ", "fuzz-secret-key", "arn:aws:iam::123456789012:user/f");
    private static final SigV4 VERIFIER = new SigV4(List.of(ALICE), "us-east-1");
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @FuzzTest
    void anyRequestIsVerifiedOrRefused(FuzzedDataProvider data) {
        String method = data.pickValue(new String[] {"POST", "GET", "PUT", "post", ""});
        String path = "/" + data.consumeString(200);
        String query = data.consumeBoolean() ? data.consumeString(100) : null;
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int count = data.consumeInt(0, 6);
        for (int i = 0; i < count; i++) {
            String name = data.pickValue(new String[] {"Authorization", "X-Amz-Date", "Host", "Content-Type", "X-Amz-Security-Token",
                    data.consumeString(20)});
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(data.consumeString(300));
        }
        byte[] body = data.consumeBytes(500);
        boolean sign = data.consumeBoolean();
        SigV4.Request request = new SigV4.Request(method, path, query, headers, body);
        if (sign) {
            request = signed(request, data.consumeRemainingAsBytes());
            if (request == null) {
                return; // the SDK refuses to sign it (not a URI it accepts): nothing to verify
            }
        }
        SigV4.Result result = VERIFIER.verify(request, NOW);
        assertNotNull(result);
        if (result instanceof SigV4.Refused refused) {
            assertNotNull(refused.type());
            assertNotNull(refused.message());
        }
    }

    private static boolean dotOrEmptySegments(String path) {
        return java.util.Arrays.stream(path.substring(1).split("/", -1)).anyMatch(s -> s.isEmpty() || s.equals(".") || s.equals(".."))
                && !path.equals("/");
    }

    /**
     * The request signed by the AWS SDK's signer must verify; with {@code otherBody} in place of its body it must not
     * (unless the bodies are equal). Null when the SDK cannot represent the request.
     */
    private static SigV4.Request signed(SigV4.Request request, byte[] otherBody) {
        SdkHttpRequest sdk;
        try {
            URI uri = URI.create("http://127.0.0.1:3000" + request.rawPath() + (request.rawQuery() == null ? "" : "?" + request.rawQuery()));
            SdkHttpRequest.Builder builder = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri);
            request.headers().forEach((name, values) -> {
                // Only names HTTP allows (RFC 9110 tokens): the HTTP layer refuses others before any signature check.
                if (!name.isBlank() && name.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 127 || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)
                        && !name.equalsIgnoreCase("Authorization") && !name.equalsIgnoreCase("Host")
                        && !name.toLowerCase().startsWith("x-amz-")) {
                    builder.putHeader(name, values.stream().map(v -> v.replaceAll("[^\\x20-\\x7e]", "")).toList());
                }
            });
            sdk = builder.build();
        } catch (RuntimeException unrepresentable) {
            return null;
        }
        var signature = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(ALICE.accessKeyId(), ALICE.secretAccessKey()))
                .request(sdk)
                .payload(ContentStreamProvider.fromByteArray(request.body()))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SigV4.SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC)));
        Map<String, List<String>> sent = new LinkedHashMap<>();
        signature.request().forEachHeader((name, values) -> sent.put(name, new ArrayList<>(values)));
        SigV4.Request signedRequest = new SigV4.Request("POST", signature.request().encodedPath(),
                signature.request().encodedQueryParameters().orElse(null), sent, request.body());
        if (dotOrEmptySegments(signedRequest.rawPath())) {
            // The SDK normalizes such paths with java.net.URI (which keeps "/.." and "//"); SigV4 as AWS documents it,
            // and the verifier, remove them as RFC 3986 and "redundant components" say. No route of the API has them.
            return signedRequest;
        }
        SigV4.Verified verified = assertInstanceOf(SigV4.Verified.class, VERIFIER.verify(signedRequest, NOW),
                () -> "a request the SDK signed: " + signedRequest);
        assertEquals(ALICE, verified.credential());
        if (!java.util.Arrays.equals(otherBody, request.body())) {
            SigV4.Request tampered = new SigV4.Request("POST", signedRequest.rawPath(), signedRequest.rawQuery(), sent, otherBody);
            assertInstanceOf(SigV4.Refused.class, VERIFIER.verify(tampered, NOW), "another body");
        }
        return signedRequest;
    }
}
