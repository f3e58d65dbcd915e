package dev.rtca.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** The verifier against requests the AWS SDK's own SigV4 signer signed: paths, queries and headers of every shape. */
class SigV4Test {
    private static final SigV4.Credential ALICE = new SigV4.Credential("AKIDALICE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "arn:aws:iam::123456789012:user/alice");
    private static final SigV4 VERIFIER = new SigV4(List.of(ALICE), "us-east-1");
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private static SigV4.Request signed(String method, String pathAndQuery, Map<String, List<String>> headers, String body,
                                        String service, String secret) {
        URI uri = URI.create("http://127.0.0.1:3000" + pathAndQuery);
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        headers.forEach(request::putHeader);
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(ALICE.accessKeyId(), secret))
                .request(request.build())
                .payload(body == null ? null : ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC)));
        Map<String, List<String>> sent = new LinkedHashMap<>();
        signed.request().forEachHeader((name, values) -> sent.put(name, new ArrayList<>(values)));
        return new SigV4.Request(method, uri.getRawPath(), uri.getRawQuery(), sent,
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/contact/list-real-time-analysis-segments-v2/i-1/c-1",
            "/contact/list-real-time-analysis-segments-v2/i%201/c%3A%C3%BC%2B%25%2F",
            "/realtime-contact-analysis/analysis-segments?b=2&a=1&a=0",
            "/x?q=a%20b&empty=&plus=%2B&star=*",
            "/x?=unnamed&a=1",
            "/",
            "/a/b/../c/./d"})
    void requestsTheSdkSignedVerify(String pathAndQuery) {
        SigV4.Request request = signed("POST", pathAndQuery, Map.of("Content-Type", List.of("application/json"),
                "X-Custom", List.of("  spaced   value  ", "second")), "{\"MaxResults\":1}", "execute-api", ALICE.secretAccessKey());
        SigV4.Verified verified = assertInstanceOf(SigV4.Verified.class, VERIFIER.verify(request, NOW));
        assertEquals(ALICE, verified.credential());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            service  | execute-api | "Credential should be scoped to correct service: 'execute-api'. "
            secret   | execute-api | The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.
            body     | execute-api | The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.
            path     | execute-api | The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.
            header   | execute-api | The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.
            noauth   | execute-api | Missing Authentication Token
            nodate   | execute-api | Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256
            basic    | execute-api | Authorization header requires the AWS4-HMAC-SHA256 algorithm. Authorization=Basic
            """)
    void alteredRequestsAreRefused(String change, String service, String message) {
        SigV4.Request good = signed("POST", "/p/q", Map.of("X-Custom", List.of("v")), "{}",
                change.equals("service") ? "connect" : service,
                change.equals("secret") ? "another" : ALICE.secretAccessKey());
        Map<String, List<String>> headers = new LinkedHashMap<>(good.headers());
        SigV4.Request request = switch (change) {
            case "body" -> new SigV4.Request("POST", "/p/q", null, headers, "{\"x\":1}".getBytes(StandardCharsets.UTF_8));
            case "path" -> new SigV4.Request("POST", "/p/r", null, headers, good.body());
            case "header" -> {
                headers.put("X-Custom", List.of("w"));
                yield new SigV4.Request("POST", "/p/q", null, headers, good.body());
            }
            case "noauth" -> {
                headers.remove("Authorization");
                yield new SigV4.Request("POST", "/p/q", null, headers, good.body());
            }
            case "nodate" -> {
                headers.remove("X-Amz-Date");
                yield new SigV4.Request("POST", "/p/q", null, headers, good.body());
            }
            case "basic" -> {
                headers.put("Authorization", List.of("Basic YWxpY2U6c2VjcmV0"));
                yield new SigV4.Request("POST", "/p/q", null, headers, good.body());
            }
            default -> good;
        };
        SigV4.Refused refused = assertInstanceOf(SigV4.Refused.class, VERIFIER.verify(request, NOW));
        assertEquals(message, refused.message());
        assertEquals(change.equals("noauth") ? "MISSING_AUTHENTICATION_TOKEN" : "INVALID_SIGNATURE", refused.type());
    }

    @ParameterizedTest
    @CsvSource({"-901, Signature expired", "901, Signature not yet current", "-899, ", "899, "})
    void theClockSkewAllowedIsFifteenMinutes(long seconds, String refusal) {
        SigV4.Request request = signed("POST", "/p", Map.of(), "{}", "execute-api", ALICE.secretAccessKey());
        SigV4.Result result = VERIFIER.verify(request, NOW.minusSeconds(seconds));
        if (refusal == null) {
            assertInstanceOf(SigV4.Verified.class, result);
        } else {
            assertEquals(refusal, assertInstanceOf(SigV4.Refused.class, result).message().split(":")[0]);
        }
    }

    @org.junit.jupiter.api.Test
    void aPresignedRequestVerifiesUntilItExpires() {
        URI uri = URI.create("http://127.0.0.1:3000/live");
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(ALICE.accessKeyId(), ALICE.secretAccessKey()))
                .request(SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(uri).build())
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC))
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AUTH_LOCATION,
                        software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.EXPIRATION_DURATION,
                        java.time.Duration.ofSeconds(60)));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        signed.request().forEachHeader((name, values) -> headers.put(name, new ArrayList<>(values)));
        SigV4.Request request = new SigV4.Request("GET", "/live", signed.request().getUri().getRawQuery(), headers, new byte[0]);
        assertInstanceOf(SigV4.Verified.class, VERIFIER.verify(request, NOW.plusSeconds(59)));
        SigV4.Refused expired = assertInstanceOf(SigV4.Refused.class, VERIFIER.verify(request, NOW.plusSeconds(61)));
        assertEquals("Signature expired", expired.message().split(":")[0]);
        String tampered = request.rawQuery().replace("X-Amz-Expires=60", "X-Amz-Expires=600");
        assertInstanceOf(SigV4.Refused.class, VERIFIER.verify(new SigV4.Request("GET", "/live", tampered, headers, new byte[0]),
                NOW.plusSeconds(61)), "a longer life than signed");
    }
}
