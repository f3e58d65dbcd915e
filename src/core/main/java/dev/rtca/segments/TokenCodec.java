package dev.rtca.segments;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a {@link PageToken} into an opaque NextToken: a versioned binary record, authenticated with
 * HMAC-SHA256 over the record <em>and</em> the contact it belongs to, then base64url. A random nonce makes
 * every token a new string, even when the position has not moved (botocore rejects a repeated token).
 * Tampered, truncated, foreign or expired tokens fail with {@code InvalidRequestException}.
 */
public final class TokenCodec {
    private static final byte VERSION = 1;
    private static final int BODY_BYTES = 1 + 1 + 1 + 1 + 8 + 8 + 8; // version, op, stream, types, next, issuedAt, nonce
    private static final int MAC_BYTES = 16;
    private static final byte[] CONTEXT = "rtca-next-token".getBytes(StandardCharsets.UTF_8);
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final int MIN_KEY_BYTES = 32;

    private final SecretKeySpec key;
    private final Duration lifetime;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public TokenCodec(byte[] key, Duration lifetime, Clock clock) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the token key must have at least " + MIN_KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public String seal(ContactKey contact, PageToken token) {
        ByteBuffer body = ByteBuffer.allocate(BODY_BYTES + MAC_BYTES);
        body.put(VERSION)
                .put((byte) token.operation().ordinal())
                .put((byte) token.stream().ordinal())
                .put((byte) mask(token.types()))
                .putLong(token.next())
                .putLong(token.issuedAt().toEpochMilli())
                .putLong(random.nextLong());
        body.put(mac(contact, body.array(), BODY_BYTES));
        return ENCODER.encodeToString(body.array());
    }

    /** A token for the given position, issued now. */
    public String seal(ContactKey contact, Operation operation, OutputType stream, Set<SegmentType> types, long next) {
        return seal(contact, new PageToken(operation, stream, types, next, clock.instant()));
    }

    public PageToken open(ContactKey contact, String token) {
        byte[] bytes;
        try {
            bytes = DECODER.decode(token);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        // The decoder ignores the unused low bits of the last character and accepts '=' padding, so several
        // strings decode to one token; accept only the one string seal() issues.
        if (bytes.length != BODY_BYTES + MAC_BYTES || bytes[0] != VERSION || !ENCODER.encodeToString(bytes).equals(token)) {
            throw invalid();
        }
        byte[] expected = mac(contact, bytes, BODY_BYTES);
        byte[] actual = Arrays.copyOfRange(bytes, BODY_BYTES, bytes.length);
        if (!MessageDigest.isEqual(expected, actual)) {
            throw invalid();
        }
        ByteBuffer body = ByteBuffer.wrap(bytes, 1, BODY_BYTES - 1);
        int op = body.get();
        int stream = body.get();
        int mask = body.get() & 0xff;
        long next = body.getLong();
        Instant issuedAt = Instant.ofEpochMilli(body.getLong());
        if (op < 0 || op >= Operation.values().length || stream < 0 || stream >= OutputType.values().length || next < 0) {
            throw invalid();
        }
        if (clock.instant().isAfter(issuedAt.plus(lifetime))) {
            throw RequestRejected.invalid("The NextToken has expired; start again without a NextToken.");
        }
        return new PageToken(Operation.values()[op], OutputType.values()[stream], types(mask), next, issuedAt);
    }

    private static RequestRejected invalid() {
        return RequestRejected.invalid("The NextToken is not valid for this request.");
    }

    private byte[] mac(ContactKey contact, byte[] body, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(CONTEXT);
            for (String part : new String[] {contact.instanceId(), contact.contactId()}) {
                byte[] utf8 = part.getBytes(StandardCharsets.UTF_8);
                mac.update(ByteBuffer.allocate(4).putInt(utf8.length).array());
                mac.update(utf8);
            }
            mac.update(body, 0, length);
            return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static int mask(Set<SegmentType> types) {
        int mask = 0;
        for (SegmentType type : types) {
            mask |= 1 << type.ordinal();
        }
        return mask;
    }

    private static Set<SegmentType> types(int mask) {
        Set<SegmentType> types = EnumSet.noneOf(SegmentType.class);
        for (SegmentType type : SegmentType.values()) {
            if ((mask & (1 << type.ordinal())) != 0) {
                types.add(type);
            }
        }
        return types;
    }
}
