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

/**
 * Seals a {@link PageToken} into an opaque NextToken: a versioned binary record naming the key that sealed it,
 * authenticated with HMAC-SHA256 over the record <em>and</em> the contact it belongs to, then base64url. A random nonce
 * makes every token a new string, even when the position has not moved (botocore rejects a repeated token).
 * Tampered, truncated, foreign or expired tokens, and tokens of a retired key, fail with {@code InvalidRequestException}.
 *
 * <p>Format 2 (sealed today): version 2, key ID (4 bytes), operation, stream, types, next (8), issuedAt (8), nonce (8),
 * MAC (16). Format 1 (before key rotation existed) has no key ID and is opened with the current key, so tokens held
 * across the upgrade keep working until they expire.
 */
public final class TokenCodec {
    private static final byte VERSION_1 = 1;
    private static final byte VERSION_2 = 2;
    private static final int FIELDS_BYTES = 1 + 1 + 1 + 8 + 8 + 8; // op, stream, types, next, issuedAt, nonce
    private static final int KEY_ID_BYTES = 4;
    private static final int MAC_BYTES = 16;
    private static final byte[] CONTEXT = "rtca-next-token".getBytes(StandardCharsets.UTF_8);
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final TokenKeys keys;
    private final Duration lifetime;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public TokenCodec(TokenKeys keys, Duration lifetime, Clock clock) {
        this.keys = keys;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** One fixed key. */
    public TokenCodec(byte[] key, Duration lifetime, Clock clock) {
        this(TokenKeys.of(new TokenKey(key)), lifetime, clock);
    }

    public String seal(ContactKey contact, PageToken token) {
        TokenKey key = keys.current();
        int bodyBytes = 1 + KEY_ID_BYTES + FIELDS_BYTES;
        ByteBuffer body = ByteBuffer.allocate(bodyBytes + MAC_BYTES);
        body.put(VERSION_2)
                .putInt(key.id())
                .put((byte) token.operation().ordinal())
                .put((byte) token.stream().ordinal())
                .put((byte) mask(token.types()))
                .putLong(token.next())
                .putLong(token.issuedAt().toEpochMilli())
                .putLong(random.nextLong());
        body.put(mac(key, contact, body.array(), bodyBytes));
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
        if (bytes.length == 0 || !ENCODER.encodeToString(bytes).equals(token)) {
            throw invalid();
        }
        int header = bytes[0] == VERSION_2 ? 1 + KEY_ID_BYTES : 1;
        int bodyBytes = header + FIELDS_BYTES;
        if ((bytes[0] != VERSION_1 && bytes[0] != VERSION_2) || bytes.length != bodyBytes + MAC_BYTES) {
            throw invalid();
        }
        TokenKey key = bytes[0] == VERSION_2
                ? keys.withId(ByteBuffer.wrap(bytes, 1, KEY_ID_BYTES).getInt()).orElseThrow(TokenCodec::invalid)
                : keys.current();
        byte[] expected = mac(key, contact, bytes, bodyBytes);
        byte[] actual = Arrays.copyOfRange(bytes, bodyBytes, bytes.length);
        if (!MessageDigest.isEqual(expected, actual)) {
            throw invalid();
        }
        ByteBuffer body = ByteBuffer.wrap(bytes, header, FIELDS_BYTES);
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

    private static byte[] mac(TokenKey key, ContactKey contact, byte[] body, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key.spec());
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
