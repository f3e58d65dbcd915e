package dev.rtca.segments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The NextToken format stores enums by ordinal (operation, output type, a bit per segment type) and, since format 2,
 * the ID of the key that sealed it. Tokens outlive deployments (a client may hold one for a contact's whole life), so
 * reordering or inserting an enum constant, or changing how a key's ID is derived, would make outstanding tokens
 * decode to another request or to none. These tokens were minted once and committed: they must keep opening to
 * exactly what they were sealed for.
 */
class TokenFormatTest {
    private static final byte[] KEY = "token-format-golden-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Instant MINTED = Instant.parse("2026-11-22T08:00:00Z");
    private static final TokenCodec CODEC = new TokenCodec(KEY, Duration.ofHours(24), Clock.fixed(MINTED, ZoneOffset.UTC));
    private static final ContactKey CONTACT = new ContactKey("instance-golden", "contact-golden");

    @Test
    void aV2OperationTokenOfFormat2StillOpensToTheSameRequest() {
        PageToken token = CODEC.open(CONTACT, "AtQ3LbgBAUgAAAAAAAAAKgAAAaICROgAx99Qr8wwf-kFUi0unUgcqFt6zzWAkBdS");
        assertEquals(new PageToken(Operation.V2, OutputType.Redacted,
                EnumSet.of(SegmentType.Event, SegmentType.ExtractedInformation), 42, MINTED), token);
    }

    @Test
    void aV1OperationTokenOfFormat2StillOpensToTheSameRequest() {
        PageToken token = CODEC.open(CONTACT, "AtQ3LbgAAH8AAAAAAAAABwAAAaICROgAaUDSAki-fchByh34a2oKs05Wk2TKDzuV");
        assertEquals(new PageToken(Operation.V1, OutputType.Raw, EnumSet.allOf(SegmentType.class), 7, MINTED), token);
    }

    @Test
    void format1TokensFromBeforeKeyIdsStillOpenWithTheCurrentKey() {
        assertEquals(new PageToken(Operation.V2, OutputType.Redacted,
                        EnumSet.of(SegmentType.Event, SegmentType.ExtractedInformation), 42, MINTED),
                CODEC.open(CONTACT, "AQEBSAAAAAAAAAAqAAABogJE6ADzMnjypn-gRXHlsaN-IDddRQpGJXBYscw"));
        assertEquals(new PageToken(Operation.V1, OutputType.Raw, EnumSet.allOf(SegmentType.class), 7, MINTED),
                CODEC.open(CONTACT, "AQAAfwAAAAAAAAAHAAABogJE6AB9EuxX0Jdae3_TLqKpCmvyQMrtPMoerKw"));
    }

    @Test
    void aKeysIdIsDerivedFromTheKeyAsBefore() {
        assertEquals(0xd4372db8, new TokenKey(KEY).id());
    }

    @Test
    void theEnumsTheFormatDependsOnKeepTheirOrder() {
        // New constants go at the end; never reorder or remove one (outstanding tokens would change meaning).
        assertEquals(List.of("V1", "V2"), names(Operation.values()));
        assertEquals(List.of("Raw", "Redacted"), names(OutputType.values()));
        assertEquals(List.of("Transcript", "Categories", "Issues", "Event", "Attachments", "PostContactSummary",
                "ExtractedInformation"), names(SegmentType.values()));
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }
}
