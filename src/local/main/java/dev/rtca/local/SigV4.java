package dev.rtca.local;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 on a request as API Gateway's {@code AWS_IAM} authorization does for a REST API:
 * the credential must be scoped to service {@code execute-api} and the API's region, the request time must be within
 * 15 minutes of now, and the signature over the canonical request (method, path, query, signed headers, body hash)
 * must match, compared in constant time. The signature comes in the Authorization header, or presigned in the query
 * ({@code X-Amz-Algorithm}, {@code X-Amz-Credential}, ..., valid for its {@code X-Amz-Expires}), as a browser must send
 * a WebSocket handshake. A refusal carries API Gateway's gateway response type and its message.
 */
public final class SigV4 {
    public static final String SERVICE = "execute-api";
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final Duration SKEW = Duration.ofMinutes(15);
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final HexFormat HEX = HexFormat.of();

    /**
     * A caller's credentials, as the {@code --iam} file lists them.
     *
     * @param arn the identity API Gateway reports for this caller ({@code requestContext.identity.userArn})
     */
    public record Credential(String accessKeyId, String secretAccessKey, String arn) {
    }

    /** The outcome: the caller, or the gateway response API Gateway would send. */
    public sealed interface Result {
    }

    public record Verified(Credential credential) implements Result {
    }

    /** @param type the gateway response type ({@code MISSING_AUTHENTICATION_TOKEN}, {@code INVALID_SIGNATURE}, ...) */
    public record Refused(String type, String message) implements Result {
    }

    /** The parts of a request the signature covers; header names in any case, values in arrival order. */
    public record Request(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
    }

    private final Map<String, Credential> credentials;
    private final String region;
    private final String service;

    public SigV4(List<Credential> credentials, String region) {
        this(credentials, region, SERVICE);
    }

    /** A verifier for another service's scope (the tests check requests signed for {@code dynamodb} with it). */
    public SigV4(List<Credential> credentials, String region, String service) {
        this.credentials = credentials.stream().collect(Collectors.toUnmodifiableMap(Credential::accessKeyId, c -> c));
        this.region = region;
        this.service = service;
    }

    public Result verify(Request request, Instant now) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(request.headers());
        String authorization = first(headers, "Authorization");
        Map<String, String> query = authorization == null ? queryParameters(request.rawQuery()) : Map.of();
        if (authorization == null && !query.containsKey("X-Amz-Algorithm")) {
            return new Refused("MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token");
        }
        Map<String, String> parameters;
        String amzDate;
        String rawQuery = request.rawQuery();
        Long expires = null;
        if (authorization == null) {
            // Presigned (a WebSocket handshake from a browser, which cannot set headers): the signature is in the query.
            if (!ALGORITHM.equals(query.get("X-Amz-Algorithm"))) {
                return new Refused("INVALID_SIGNATURE", "X-Amz-Algorithm only supports " + ALGORITHM);
            }
            parameters = new TreeMap<>();
            for (String[] name : new String[][] {{"Credential", "X-Amz-Credential"}, {"SignedHeaders", "X-Amz-SignedHeaders"},
                    {"Signature", "X-Amz-Signature"}}) {
                if (query.containsKey(name[1])) {
                    parameters.put(name[0], query.get(name[1]));
                }
            }
            amzDate = query.get("X-Amz-Date");
            try {
                expires = query.containsKey("X-Amz-Expires") ? Long.parseLong(query.get("X-Amz-Expires")) : null;
            } catch (NumberFormatException e) {
                return new Refused("INVALID_SIGNATURE", "X-Amz-Expires should be a number");
            }
            rawQuery = withoutSignature(request.rawQuery());
        } else {
            if (!authorization.startsWith(ALGORITHM + " ")) {
                return new Refused("INVALID_SIGNATURE", "Authorization header requires the " + ALGORITHM + " algorithm. Authorization="
                        + firstWord(authorization));
            }
            parameters = parameters(authorization.substring(ALGORITHM.length() + 1));
            amzDate = first(headers, "X-Amz-Date");
        }
        List<String> missing = new ArrayList<>();
        for (String required : List.of("Credential", "Signature", "SignedHeaders")) {
            if (!parameters.containsKey(required)) {
                missing.add("Authorization header requires '" + required + "' parameter.");
            }
        }
        if (amzDate == null) {
            missing.add("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        if (!missing.isEmpty()) {
            return new Refused("INVALID_SIGNATURE", String.join(" ", missing) + " Authorization=" + ALGORITHM);
        }
        String[] scope = parameters.get("Credential").split("/", -1);
        if (scope.length != 5) {
            return new Refused("INVALID_SIGNATURE", "Credential should be scoped to a valid region, not ''. ");
        }
        if (!scope[3].equals(service)) {
            return new Refused("INVALID_SIGNATURE", "Credential should be scoped to correct service: '" + service + "'. ");
        }
        if (!scope[2].equals(region)) {
            return new Refused("INVALID_SIGNATURE", "Credential should be scoped to a valid region, not '" + scope[2] + "'. ");
        }
        if (!scope[4].equals("aws4_request")) {
            return new Refused("INVALID_SIGNATURE", "Credential should be scoped with a valid terminator: 'aws4_request', not '"
                    + scope[4] + "'. ");
        }
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return new Refused("INVALID_SIGNATURE", "Date must be in ISO-8601 'basic format'. Got '" + amzDate + "'. See http://en.wikipedia.org/wiki/ISO_8601");
        }
        if (!amzDate.startsWith(scope[1])) {
            return new Refused("INVALID_SIGNATURE", "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                    + scope[1] + "' != '" + amzDate.substring(0, 8) + "', from '" + amzDate + "'.");
        }
        if (authorization != null && signedAt.isBefore(now.minus(SKEW))) { // a presigned request expires by its own X-Amz-Expires
            return new Refused("INVALID_SIGNATURE", "Signature expired: " + amzDate + " is now earlier than "
                    + AMZ_DATE.format(now.minus(SKEW).atOffset(ZoneOffset.UTC)) + " (" + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC)) + " - 15 min.)");
        }
        if (signedAt.isAfter(now.plus(SKEW))) {
            return new Refused("INVALID_SIGNATURE", "Signature not yet current: " + amzDate + " is still later than "
                    + AMZ_DATE.format(now.plus(SKEW).atOffset(ZoneOffset.UTC)) + " (" + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC)) + " + 15 min.)");
        }
        if (expires != null && now.isAfter(signedAt.plusSeconds(expires))) {
            return new Refused("INVALID_SIGNATURE", "Signature expired: " + amzDate + " is now earlier than "
                    + AMZ_DATE.format(now.minusSeconds(expires).atOffset(ZoneOffset.UTC)) + " (" + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC))
                    + " - " + expires + " sec.)");
        }
        Credential credential = credentials.get(scope[0]);
        if (credential == null) {
            return new Refused("INVALID_SIGNATURE", "The security token included in the request is invalid.");
        }
        List<String> signedHeaders = Arrays.asList(parameters.get("SignedHeaders").split(";"));
        if (!signedHeaders.contains("host")) {
            return mismatch();
        }
        byte[] key = hmac(("AWS4" + credential.secretAccessKey()).getBytes(StandardCharsets.UTF_8), scope[1]);
        key = hmac(hmac(hmac(key, scope[2]), scope[3]), scope[4]);
        byte[] actual = parameters.get("Signature").getBytes(StandardCharsets.US_ASCII);
        String prefix = request.method() + "\n"
                + canonicalPath(request.rawPath()) + "\n"
                + canonicalQuery(rawQuery) + "\n"
                + canonicalHeaders(headers, signedHeaders) + "\n"
                + parameters.get("SignedHeaders") + "\n";
        // A presigned request may sign the payload as UNSIGNED-PAYLOAD (a handshake has none).
        List<String> payloadHashes = authorization != null
                ? List.of(HEX.formatHex(sha256(request.body())))
                : List.of(HEX.formatHex(sha256(request.body())), "UNSIGNED-PAYLOAD");
        boolean matched = false;
        for (String payloadHash : payloadHashes) {
            String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + String.join("/", scope[1], scope[2], scope[3], scope[4]) + "\n"
                    + HEX.formatHex(sha256((prefix + payloadHash).getBytes(StandardCharsets.UTF_8)));
            byte[] expected = HEX.formatHex(hmac(key, stringToSign)).getBytes(StandardCharsets.US_ASCII);
            matched |= MessageDigest.isEqual(expected, actual);
        }
        return matched ? new Verified(credential) : mismatch();
    }

    /** The query's parameters, decoded (the first of each name). */
    private static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> out = new TreeMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                String[] kv = pair.split("=", 2);
                out.putIfAbsent(LocalRuntime.percentDecode(kv[0]), kv.length > 1 ? LocalRuntime.percentDecode(kv[1]) : "");
            }
        }
        return out;
    }

    /** The query a presigned request signed: all of it but the signature. */
    private static String withoutSignature(String rawQuery) {
        return Arrays.stream(rawQuery.split("&")).filter(p -> !p.startsWith("X-Amz-Signature="))
                .collect(Collectors.joining("&"));
    }

    private static Refused mismatch() {
        return new Refused("INVALID_SIGNATURE", "The request signature we calculated does not match the signature you provided. "
                + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }

    /** {@code Credential=..., SignedHeaders=..., Signature=...} (commas and spaces between). */
    private static Map<String, String> parameters(String text) {
        Map<String, String> out = new TreeMap<>();
        for (String part : text.split(",")) {
            String trimmed = part.trim();
            int equals = trimmed.indexOf('=');
            if (equals > 0) {
                out.putIfAbsent(trimmed.substring(0, equals), trimmed.substring(equals + 1));
            }
        }
        return out;
    }

    /** Each segment of the normalised path URI-encoded again (non-S3 services sign the encoded path encoded once more). */
    static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        List<String> segments = new ArrayList<>();
        String[] parts = rawPath.split("/", -1);
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            if (part.equals(".") || (part.isEmpty() && i < parts.length - 1)) {
                continue;
            }
            if (part.equals("..")) {
                if (!segments.isEmpty()) {
                    segments.remove(segments.size() - 1);
                }
                continue;
            }
            segments.add(encode(part));
        }
        return "/" + String.join("/", segments);
    }

    /**
     * Query parameters sorted by name then value, each encoded once (they arrive encoded: decode, then encode). As the
     * AWS SDK for Java signs, a parameter without a name is left out.
     */
    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].isEmpty()) {
                continue; // a parameter without a name is not signed (as the AWS SDKs sign)
            }
            pairs.add(new String[] {encode(LocalRuntime.percentDecode(kv[0])), encode(kv.length > 1 ? LocalRuntime.percentDecode(kv[1]) : "")});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        return pairs.stream().map(p -> p[0] + "=" + p[1]).collect(Collectors.joining("&"));
    }

    private static String canonicalHeaders(Map<String, List<String>> headers, List<String> signed) {
        StringBuilder out = new StringBuilder();
        for (String name : signed) {
            List<String> values = headers.getOrDefault(name, List.of());
            out.append(name.toLowerCase(Locale.ROOT)).append(':')
                    .append(values.stream().map(v -> v.trim().replaceAll(" +", " ")).collect(Collectors.joining(",")))
                    .append('\n');
        }
        return out.toString();
    }

    /** RFC 3986 encoding as SigV4 does it: unreserved characters kept, every other byte %XX in upper case. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(HEX.withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String firstWord(String text) {
        int space = text.indexOf(' ');
        return space < 0 ? text : text.substring(0, space);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
