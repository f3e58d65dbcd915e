package dev.rtca.segments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtca.fixtures.MutableClock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** NextTokens round-trip, are bound to their contact and key, expire, and refuse anything tampered or unknown. */
class TokenCodecTest {
    private static final byte[] KEY = "token-codec-test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Duration LIFETIME = Duration.ofHours(24);
    private static final Instant T0 = Instant.parse("2026-01-01T12:00:00.123Z");
    private static final ContactKey CONTACT = new ContactKey("instance-1", "contact-1");
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private final MutableClock clock = new MutableClock(T0);
    private final TokenCodec codec = new TokenCodec(KEY, LIFETIME, clock);

    private static void assertInvalid(Runnable open) {
        RequestRejected e = assertThrows(RequestRejected.class, open::run);
        assertEquals(RequestRejected.Reason.INVALID, e.reason());
        assertTrue(e.getMessage().contains("NextToken"), e.getMessage());
    }

    static Stream<Arguments> positions() {
        List<Arguments> out = new ArrayList<>();
        long[] nexts = {0, 1, 99, 1L << 33, 999_999_999_999L, Long.MAX_VALUE};
        List<Set<SegmentType>> typeSets = List.of(EnumSet.allOf(SegmentType.class), EnumSet.of(SegmentType.Transcript),
                EnumSet.of(SegmentType.ExtractedInformation), EnumSet.of(SegmentType.Event, SegmentType.PostContactSummary),
                EnumSet.noneOf(SegmentType.class));
        int i = 0;
        for (Operation op : Operation.values()) {
            for (OutputType stream : OutputType.values()) {
                for (Set<SegmentType> types : typeSets) {
                    out.add(Arguments.of(op, stream, types, nexts[i++ % nexts.length]));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("positions")
    void roundTripsEveryField(Operation op, OutputType stream, Set<SegmentType> types, long next) {
        String token = codec.seal(CONTACT, op, stream, types, next);

        PageToken opened = codec.open(CONTACT, token);

        assertEquals(op, opened.operation());
        assertEquals(stream, opened.stream());
        assertEquals(types, opened.types());
        assertEquals(next, opened.next());
        assertEquals(T0, opened.issuedAt(), "issued-at kept to the millisecond");
    }

    @Test
    void everyTokenIsANewStringForTheSamePosition() {
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            tokens.add(codec.seal(CONTACT, Operation.V2, OutputType.Raw, Set.of(SegmentType.Transcript), 5));
        }
        assertEquals(2000, tokens.size());
        tokens.forEach(t -> assertEquals(5, codec.open(CONTACT, t).next()));
    }

    @Test
    void tokensAreShortUrlSafeAndOpaque() {
        String token = codec.seal(new ContactKey("i".repeat(100), "c".repeat(256)), Operation.V1, OutputType.Redacted,
                EnumSet.allOf(SegmentType.class), 999_999_999_999L);
        assertTrue(token.length() < 200, "well under V2's 100000: " + token.length());
        assertTrue(token.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0), token);
        assertTrue(!token.contains("instance") && !token.contains("S#") && !token.contains("Redacted"), token);
    }

    @Test
    void changingAnySingleByteIsRejected() {
        String token = codec.seal(CONTACT, Operation.V1, OutputType.Raw, EnumSet.allOf(SegmentType.class), 42);
        byte[] bytes = Base64.getUrlDecoder().decode(token);
        for (int i = 0; i < bytes.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] changed = bytes.clone();
                changed[i] ^= (byte) (1 << bit);
                String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(changed);
                assertInvalid(() -> codec.open(CONTACT, tampered));
            }
        }
    }

    @Test
    void changingAnySingleCharacterIsRejected() {
        String token = codec.seal(CONTACT, Operation.V2, OutputType.Redacted, Set.of(SegmentType.Event), 7);
        int checked = 0;
        for (int i = 0; i < token.length(); i++) {
            for (char c : ALPHABET.toCharArray()) {
                if (c == token.charAt(i)) {
                    continue;
                }
                String tampered = token.substring(0, i) + c + token.substring(i + 1);
                assertInvalid(() -> codec.open(CONTACT, tampered));
                checked++;
            }
        }
        assertEquals(token.length() * 63, checked);
    }

    @Test
    void truncatedOrExtendedTokensAreRejected() {
        String token = codec.seal(CONTACT, Operation.V2, OutputType.Raw, Set.of(SegmentType.Transcript), 3);
        for (int length = 0; length < token.length(); length++) {
            String truncated = token.substring(0, length);
            assertInvalid(() -> codec.open(CONTACT, truncated));
        }
        for (String suffix : List.of("=", "==", "A", "AA", "AAAA", token)) {
            assertInvalid(() -> codec.open(CONTACT, token + suffix));
        }
        assertInvalid(() -> codec.open(CONTACT, " " + token));
        assertInvalid(() -> codec.open(CONTACT, token + "\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "null", "{}", "eyJvZmZzZXQiOjd9", "fdsfsadgdfsgdfgfdhfghfghfgjmbnmnm", "%%%", "a+b/c=="})
    void garbageIsRejected(String garbage) {
        assertInvalid(() -> codec.open(CONTACT, garbage));
    }

    @Test
    void aTokenIsBoundToItsContact() {
        String token = codec.seal(CONTACT, Operation.V1, OutputType.Raw, EnumSet.allOf(SegmentType.class), 1);
        for (ContactKey other : List.of(new ContactKey("instance-1", "contact-2"), new ContactKey("instance-2", "contact-1"),
                new ContactKey("contact-1", "instance-1"), new ContactKey("instance-1c", "ontact-1"),
                new ContactKey("instance-", "1contact-1"), new ContactKey("", "instance-1contact-1"))) {
            assertInvalid(() -> codec.open(other, token));
        }
        assertEquals(1, codec.open(new ContactKey("instance-1", "contact-1"), token).next());
    }

    @Test
    void aTokenFromAnotherKeyIsRejected() {
        byte[] otherKey = KEY.clone();
        otherKey[otherKey.length - 1] ^= 1;
        TokenCodec other = new TokenCodec(otherKey, LIFETIME, clock);
        String token = other.seal(CONTACT, Operation.V1, OutputType.Raw, EnumSet.allOf(SegmentType.class), 1);
        assertInvalid(() -> codec.open(CONTACT, token));
        // A codec with the same key (another Lambda instance) accepts it.
        assertEquals(1, new TokenCodec(otherKey.clone(), LIFETIME, clock).open(CONTACT, token).next());
    }

    @Test
    void expiryBoundary() {
        String token = codec.seal(CONTACT, Operation.V2, OutputType.Raw, Set.of(SegmentType.Issues), 10);

        clock.set(T0.plus(LIFETIME));
        assertEquals(10, codec.open(CONTACT, token).next(), "valid up to and including issued-at + lifetime");
        clock.set(T0.plus(LIFETIME).plusMillis(1));
        RequestRejected expired = assertThrows(RequestRejected.class, () -> codec.open(CONTACT, token));
        assertEquals(RequestRejected.Reason.INVALID, expired.reason());
        assertTrue(expired.getMessage().contains("expired"), expired.getMessage());
        clock.set(T0.plus(Duration.ofDays(365)));
        assertThrows(RequestRejected.class, () -> codec.open(CONTACT, token));
        // A token from a fixed clock in the past, opened by a codec on the real clock.
        String old = new TokenCodec(KEY, LIFETIME, Clock.fixed(Instant.now().minus(LIFETIME).minusSeconds(1), ZoneOffset.UTC))
                .seal(CONTACT, Operation.V1, OutputType.Raw, Set.of(), 0);
        assertThrows(RequestRejected.class, () -> new TokenCodec(KEY, LIFETIME, Clock.systemUTC()).open(CONTACT, old));
    }

    @Test
    void lifetimeComesFromConfiguration() {
        TokenCodec shortLived = new TokenCodec(KEY, Duration.ofMinutes(5), clock);
        String token = shortLived.seal(CONTACT, Operation.V1, OutputType.Raw, Set.of(), 0);
        clock.set(T0.plus(Duration.ofMinutes(5)));
        assertEquals(0, shortLived.open(CONTACT, token).next());
        clock.set(T0.plus(Duration.ofMinutes(5)).plusMillis(1));
        assertThrows(RequestRejected.class, () -> shortLived.open(CONTACT, token));
        // The long-lived codec (same key) still takes it: lifetime is not in the token.
        assertEquals(0, codec.open(CONTACT, token).next());
    }

    @Test
    void aNegativePositionNeverOpens() {
        String token = codec.seal(CONTACT, new PageToken(Operation.V1, OutputType.Raw, Set.of(), -1, T0));
        assertInvalid(() -> codec.open(CONTACT, token));
    }

    /**
     * A token sealed with this test's key by a release that knows more operations or output types than this one
     * (the body layout of {@link TokenCodec}, format 2: version, key ID, operation, stream, type mask, next,
     * issued-at, nonce; then the truncated HMAC over a context, the length-prefixed IDs and the body).
     */
    private static String mintedByANewerRelease(int operation, int stream, long next) {
        ByteBuffer token = ByteBuffer.allocate(32 + 16);
        token.put((byte) 2).putInt(new TokenKey(KEY).id()).put((byte) operation).put((byte) stream).put((byte) 1).putLong(next)
                .putLong(T0.toEpochMilli()).putLong(99);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            mac.update("rtca-next-token".getBytes(StandardCharsets.UTF_8));
            for (String part : List.of(CONTACT.instanceId(), CONTACT.contactId())) {
                byte[] utf8 = part.getBytes(StandardCharsets.UTF_8);
                mac.update(ByteBuffer.allocate(4).putInt(utf8.length).array());
                mac.update(utf8);
            }
            mac.update(token.array(), 0, 32);
            token.put(Arrays.copyOf(mac.doFinal(), 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.array());
    }

    @Test
    void aTokenWithAnOperationOrStreamThisReleaseDoesNotKnowIsInvalidNotACrash() {
        // The helper seals exactly as the codec does: known ordinals open.
        assertEquals(new PageToken(Operation.V2, OutputType.Redacted, Set.of(SegmentType.Transcript), 5, T0),
                codec.open(CONTACT, mintedByANewerRelease(1, 1, 5)));
        // A rollback leaves a newer release's tokens with clients: they are refused, never a crash (a 500).
        assertInvalid(() -> codec.open(CONTACT, mintedByANewerRelease(Operation.values().length, 0, 5)));
        assertInvalid(() -> codec.open(CONTACT, mintedByANewerRelease(0, OutputType.values().length, 5)));
        assertInvalid(() -> codec.open(CONTACT, mintedByANewerRelease(-1, 0, 5)));
        assertInvalid(() -> codec.open(CONTACT, mintedByANewerRelease(0, -1, 5)));
    }

    @Test
    void shortKeysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TokenCodec(new byte[31], LIFETIME, clock));
        new TokenCodec(new byte[32], LIFETIME, clock);
    }

    @Test
    void theKeyIsCopied() {
        byte[] key = KEY.clone();
        TokenCodec mine = new TokenCodec(key, LIFETIME, clock);
        String token = mine.seal(CONTACT, Operation.V1, OutputType.Raw, Set.of(), 0);
        key[0] ^= 1;
        assertEquals(0, mine.open(CONTACT, token).next());
        assertInvalid(() -> new TokenCodec(key, LIFETIME, clock).open(CONTACT, token));
    }

    @Test
    void aRotationNeverBreaksAPagingClientAndRetiringTheOldKeyEndsItsTokens() {
        TokenKey first = new TokenKey("first-key-first-key-first-key-0123".getBytes(StandardCharsets.UTF_8));
        TokenKey second = new TokenKey("second-key-second-key-second-key-01".getBytes(StandardCharsets.UTF_8));
        TokenKey third = new TokenKey("third-key-third-key-third-key-0123".getBytes(StandardCharsets.UTF_8));
        String sealedBefore = new TokenCodec(TokenKeys.of(first), LIFETIME, clock).seal(CONTACT, Operation.V2, OutputType.Raw,
                Set.of(SegmentType.Transcript), 3);

        TokenCodec rotated = new TokenCodec(TokenKeys.of(second, first), LIFETIME, clock);
        assertEquals(3, rotated.open(CONTACT, sealedBefore).next(), "the previous key still opens its tokens");
        String sealedAfter = rotated.seal(CONTACT, Operation.V2, OutputType.Raw, Set.of(SegmentType.Transcript), 4);
        assertInvalid(() -> new TokenCodec(TokenKeys.of(first), LIFETIME, clock).open(CONTACT, sealedAfter));

        TokenCodec retired = new TokenCodec(TokenKeys.of(third, second), LIFETIME, clock);
        assertInvalid(() -> retired.open(CONTACT, sealedBefore));
        assertEquals(4, retired.open(CONTACT, sealedAfter).next());
    }

    @Test
    void aTokenIsOpenedOnlyWithTheKeyItNames() {
        TokenKey current = new TokenKey("current-key-current-key-current-01".getBytes(StandardCharsets.UTF_8));
        TokenKey previous = new TokenKey("previous-key-previous-key-previous".getBytes(StandardCharsets.UTF_8));
        List<Integer> asked = new java.util.ArrayList<>();
        TokenKeys keys = new TokenKeys() {
            @Override
            public TokenKey current() {
                return current;
            }

            @Override
            public java.util.Optional<TokenKey> withId(int id) {
                asked.add(id);
                return TokenKeys.of(current, previous).withId(id);
            }
        };
        TokenCodec codec = new TokenCodec(keys, LIFETIME, clock);
        String token = new TokenCodec(TokenKeys.of(previous), LIFETIME, clock).seal(CONTACT, Operation.V1, OutputType.Raw, Set.of(), 9);
        assertEquals(9, codec.open(CONTACT, token).next());
        assertEquals(List.of(previous.id()), asked);
        // A token naming a key nobody has: the keys are asked (they may look again), and it is invalid.
        byte[] bytes = Base64.getUrlDecoder().decode(token);
        ByteBuffer.wrap(bytes).putInt(1, previous.id() ^ 1);
        assertInvalid(() -> codec.open(CONTACT, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)));
        assertEquals(List.of(previous.id(), previous.id() ^ 1), asked);
    }

    @Test
    void aKeysIdDependsOnTheKeyAndItsTextNeverShows() {
        TokenKey key = TokenKey.ofText("some-secret-text-some-secret-text-0");
        assertEquals(key.id(), TokenKey.ofText("some-secret-text-some-secret-text-0").id());
        assertNotEquals(key.id(), TokenKey.ofText("some-secret-text-some-secret-text-1").id());
        assertFalse(key.toString().contains("secret"));
        assertThrows(IllegalArgumentException.class, () -> TokenKey.ofText("x".repeat(31)));
    }
}
