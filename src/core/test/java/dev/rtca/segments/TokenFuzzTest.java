package dev.rtca.segments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;

/**
 * Fuzz targets for the NextToken (bin/fuzz token, bin/fuzz token-contacts). In every build they run over the inputs
 * committed beside this class ({@code TokenFuzzTestInputs/}); bin/fuzz fuzzes them for real.
 */
class TokenFuzzTest {
    static final byte[] KEY = "token-fuzz-test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    static final ContactKey CONTACT = new ContactKey("instance-fuzz", "contact-fuzz");
    static final ContactKey OTHER = new ContactKey("instance-fuzz", "contact-other");
    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    static final TokenCodec CODEC = new TokenCodec(TokenKeys.of(new TokenKey(KEY),
            TokenKey.ofText("token-fuzz-previous-key-0123456789ab")), Duration.ofHours(24), Clock.fixed(NOW, ZoneOffset.UTC));

    /**
     * Any string a client sends as a NextToken: it opens to a token of this contact, or it is InvalidRequestException;
     * nothing else is thrown. What opens for this contact never opens for another.
     */
    @FuzzTest
    void anyStringOpensOrIsInvalid(byte[] input) {
        String token = new String(input, StandardCharsets.ISO_8859_1);
        PageToken opened;
        try {
            opened = CODEC.open(CONTACT, token);
        } catch (RequestRejected e) {
            assertEquals(RequestRejected.Reason.INVALID, e.reason());
            return;
        }
        RequestRejected foreign = assertThrows(RequestRejected.class, () -> CODEC.open(OTHER, token));
        assertEquals(RequestRejected.Reason.INVALID, foreign.reason());
    }

    /** A token sealed for one contact never opens for another, whatever the two contacts' IDs are. */
    @FuzzTest
    void aTokenNeverOpensForAnotherContact(FuzzedDataProvider data) {
        ContactKey sealedFor = new ContactKey(data.consumeString(300), data.consumeString(300));
        ContactKey openedFor = new ContactKey(data.consumeString(300), data.consumeString(300));
        Set<SegmentType> types = EnumSet.noneOf(SegmentType.class);
        int mask = data.consumeInt(0, 127);
        for (SegmentType type : SegmentType.values()) {
            if ((mask & (1 << type.ordinal())) != 0) {
                types.add(type);
            }
        }
        PageToken page = new PageToken(data.pickValue(Operation.values()), data.pickValue(OutputType.values()), types,
                data.consumeLong(0, Long.MAX_VALUE), NOW);
        String token = CODEC.seal(sealedFor, page);
        assertEquals(page, CODEC.open(sealedFor, token));
        if (!sealedFor.equals(openedFor)) {
            assertThrows(RequestRejected.class, () -> CODEC.open(openedFor, token));
        }
    }
}
