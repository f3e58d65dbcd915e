package dev.rtca.segments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The paging rules over an in-memory store. */
class SegmentListerTest {
    private static final Set<SegmentType> ALL = EnumSet.allOf(SegmentType.class);
    private static final ContactKey KEY = new ContactKey("instance", "contact");

    /** An in-memory ContactStore that records its reads; {@code afterRead} runs between a read and its return. */
    static final class FakeStore implements ContactStore {
        record Read(ContactKey key, OutputType stream, long from, int max, Set<SegmentType> types) {
        }

        final Map<ContactKey, Contact> contacts = new HashMap<>();
        final Map<ContactKey, Map<OutputType, List<Segment>>> streams = new HashMap<>();
        final List<Read> reads = new ArrayList<>();
        Runnable afterRead = () -> { };

        void put(ContactKey key, Channel channel, ContactStatus status, OutputType... outputs) {
            contacts.put(key, new Contact(key, channel, status, Set.of(outputs)));
        }

        void status(ContactKey key, ContactStatus status) {
            Contact c = contacts.get(key);
            contacts.put(key, new Contact(key, c.channel(), status, c.outputTypes()));
        }

        void add(ContactKey key, OutputType stream, Segment... segments) {
            streams.computeIfAbsent(key, k -> new HashMap<>()).computeIfAbsent(stream, s -> new ArrayList<>()).addAll(List.of(segments));
        }

        @Override
        public Optional<Contact> find(ContactKey key) {
            return Optional.ofNullable(contacts.get(key));
        }

        @Override
        public SegmentRange read(ContactKey key, OutputType stream, long from, int max, Set<SegmentType> types) {
            reads.add(new Read(key, stream, from, max, Set.copyOf(types)));
            List<Segment> all = streams.getOrDefault(key, Map.of()).getOrDefault(stream, List.of());
            List<StoredSegment> out = new ArrayList<>();
            long next = from;
            for (long i = from; i < all.size() && out.size() < max; i++) {
                Segment s = all.get((int) i);
                if (types.contains(s.type())) {
                    out.add(new StoredSegment(i, s));
                }
                next = i + 1;
            }
            SegmentRange range = new SegmentRange(out, next, next >= all.size());
            afterRead.run();
            return range;
        }

        @Override
        public void open(ContactKey key, Channel channel, Set<OutputType> outputTypes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close(ContactKey key, Channel channel, ContactStatus terminal) {
            throw new UnsupportedOperationException();
        }

        @Override
        public AppendResult append(ContactKey key, Channel channel, OutputType stream, String eventKey, List<Segment> segments) {
            throw new UnsupportedOperationException();
        }
    }

    private final FakeStore store = new FakeStore();
    private final TokenCodec codec = new TokenCodec("segment-lister-test-key-0123456789abc".getBytes(StandardCharsets.UTF_8),
            Duration.ofHours(24), Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    private final SegmentLister lister = new SegmentLister(store, codec);

    private static Segment transcript(int n) {
        return new Segment(SegmentType.Transcript, "{\"Transcript\":{\"Id\":\"t-" + n + "\"}}");
    }

    private static Segment event(int n) {
        return new Segment(SegmentType.Event, "{\"Event\":{\"Id\":\"e-" + n + "\"}}");
    }

    private static SegmentLister.Query v2(OutputType output, Set<SegmentType> types, int max, String token) {
        return new SegmentLister.Query(Operation.V2, KEY, output, types, max, token);
    }

    private static SegmentLister.Query v1(int max, String token) {
        return new SegmentLister.Query(Operation.V1, KEY, null, ALL, max, token);
    }

    private static List<String> ids(SegmentLister.Page page) {
        return page.segments().stream().map(s -> s.segment().json().replaceAll(".*\"Id\":\"([^\"]+)\".*", "$1")).toList();
    }

    private static void assertError(RequestRejected.Reason expected, Runnable call) {
        RequestRejected e = assertThrows(RequestRejected.class, call::run);
        assertEquals(expected, e.reason(), e.getMessage());
    }

    // ------------------------------------------------------------------ NextToken presence

    @Test
    void inProgressWithNoSegmentsStillGetsATokenAndAFreshOneEachTime() {
        store.put(KEY, Channel.CHAT, ContactStatus.IN_PROGRESS, OutputType.Raw);
        SegmentLister.Page first = lister.list(v2(OutputType.Raw, ALL, 100, null));
        assertEquals(List.of(), first.segments());
        assertNotNull(first.nextToken());
        assertEquals(Channel.CHAT, first.channel());
        assertEquals(ContactStatus.IN_PROGRESS, first.status());

        SegmentLister.Page second = lister.list(v2(OutputType.Raw, ALL, 100, first.nextToken()));
        assertNotNull(second.nextToken());
        assertNotEquals(first.nextToken(), second.nextToken(), "botocore stops on a repeated token");
        assertEquals(0, store.reads.get(1).from());
    }

    @ParameterizedTest
    @EnumSource(value = ContactStatus.class, names = {"COMPLETED", "FAILED"})
    void terminalAndExhaustedHasNoToken(ContactStatus status) {
        store.put(KEY, Channel.CHAT, status, OutputType.Raw);
        store.add(KEY, OutputType.Raw, transcript(0), transcript(1));
        SegmentLister.Page page = lister.list(v2(OutputType.Raw, ALL, 2, null));
        assertEquals(List.of("t-0", "t-1"), ids(page));
        assertNull(page.nextToken());
        assertEquals(status, page.status());

        store.put(KEY, Channel.CHAT, status, OutputType.Raw);
        store.streams.clear();
        SegmentLister.Page empty = lister.list(v2(OutputType.Raw, ALL, 100, null));
        assertEquals(List.of(), empty.segments());
        assertNull(empty.nextToken());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 7, 100})
    void completedButNotExhaustedKeepsATokenUntilDrained(int max) {
        store.put(KEY, Channel.CHAT, ContactStatus.COMPLETED, OutputType.Raw);
        for (int i = 0; i < 7; i++) {
            store.add(KEY, OutputType.Raw, transcript(i));
        }
        List<String> seen = new ArrayList<>();
        Set<String> tokens = new HashSet<>();
        String token = null;
        int pages = 0;
        do {
            SegmentLister.Page page = lister.list(v2(OutputType.Raw, ALL, max, token));
            assertTrue(page.segments().size() <= max);
            seen.addAll(ids(page));
            token = page.nextToken();
            if (token != null) {
                assertTrue(tokens.add(token));
            }
            pages++;
        } while (token != null && pages < 20);
        assertNull(token);
        assertEquals(List.of("t-0", "t-1", "t-2", "t-3", "t-4", "t-5", "t-6"), seen);
        assertEquals((int) Math.ceil(7.0 / max), pages);
    }

    @Test
    void eachPageResumesWhereTheLastEnded() {
        store.put(KEY, Channel.CHAT, ContactStatus.IN_PROGRESS, OutputType.Raw);
        store.add(KEY, OutputType.Raw, transcript(0), event(1), transcript(2), event(3), transcript(4));
        SegmentLister.Page first = lister.list(v2(OutputType.Raw, Set.of(SegmentType.Transcript), 2, null));
        assertEquals(List.of("t-0", "t-2"), ids(first));
        SegmentLister.Page second = lister.list(v2(OutputType.Raw, Set.of(SegmentType.Transcript), 2, first.nextToken()));
        assertEquals(List.of("t-4"), ids(second));
        assertEquals(3, store.reads.get(1).from());
        assertEquals(Set.of(SegmentType.Transcript), store.reads.get(1).types());
        assertEquals(2, store.reads.get(1).max());
        // Polling an IN_PROGRESS contact: new segments appear after the last position.
        store.add(KEY, OutputType.Raw, transcript(5));
        SegmentLister.Page third = lister.list(v2(OutputType.Raw, Set.of(SegmentType.Transcript), 2, second.nextToken()));
        assertEquals(List.of("t-5"), ids(third));
        assertNotNull(third.nextToken());
    }

    @Test
    void theStatusIsReadBeforeTheSegments() {
        // A writer appends the last segment and completes the contact while the page is being read: the page
        // saw IN_PROGRESS, so it must hand out a token, or the client would miss the late segment.
        store.put(KEY, Channel.CHAT, ContactStatus.IN_PROGRESS, OutputType.Raw);
        store.add(KEY, OutputType.Raw, transcript(0));
        store.afterRead = () -> {
            store.afterRead = () -> { };
            store.add(KEY, OutputType.Raw, transcript(1));
            store.status(KEY, ContactStatus.COMPLETED);
        };
        SegmentLister.Page first = lister.list(v2(OutputType.Raw, ALL, 100, null));
        assertEquals(List.of("t-0"), ids(first));
        assertEquals(ContactStatus.IN_PROGRESS, first.status());
        assertNotNull(first.nextToken());

        SegmentLister.Page last = lister.list(v2(OutputType.Raw, ALL, 100, first.nextToken()));
        assertEquals(List.of("t-1"), ids(last));
        assertEquals(ContactStatus.COMPLETED, last.status());
        assertNull(last.nextToken());
    }

    // ------------------------------------------------------------------ token binding

    @Test
    void aTokenIsBoundToTheOperation() {
        store.put(KEY, Channel.CHAT, ContactStatus.IN_PROGRESS, OutputType.Raw);
        String v1Token = codec.seal(KEY, Operation.V1, OutputType.Raw, ALL, 0);
        assertError(RequestRejected.Reason.INVALID, () -> lister.list(v2(OutputType.Raw, ALL, 10, v1Token)));

        store.put(KEY, Channel.VOICE, ContactStatus.IN_PROGRESS, OutputType.Raw);
        String v2Token = codec.seal(KEY, Operation.V2, OutputType.Raw, ALL, 0);
        assertError(RequestRejected.Reason.INVALID, () -> lister.list(v1(10, v2Token)));
        // The V1 token is accepted by V1.
        assertNotNull(lister.list(v1(10, codec.seal(KEY, Operation.V1, OutputType.Raw, ALL, 0))).nextToken());
    }

    @Test
    void aTokenIsBoundToTheOutputType() {
        store.put(KEY, Channel.CHAT, ContactStatus.IN_PROGRESS, OutputType.Raw, OutputType.Redacted);
        String raw = lister.list(v2(OutputType.Raw, ALL, 10, null)).nextToken();
        assertError(RequestRejected.Reason.INVALID, () -> lister.list(v2(OutputType.Redacted, ALL, 10, raw)));
        assertNotNull(lister.list(v2(OutputType.Raw, ALL, 10, raw)).nextToken());
    }

    @Test
    void aTokenIsBoundToTheSegmentTypes() {
        store.put(KEY, Channel.CHAT, ContactStatus.IN_PROGRESS, OutputType.Raw);
        Set<SegmentType> some = EnumSet.of(SegmentType.Transcript, SegmentType.Event);
        String token = lister.list(v2(OutputType.Raw, some, 10, null)).nextToken();
        assertError(RequestRejected.Reason.INVALID, () -> lister.list(v2(OutputType.Raw, Set.of(SegmentType.Transcript), 10, token)));
        assertError(RequestRejected.Reason.INVALID, () -> lister.list(v2(OutputType.Raw, ALL, 10, token)));
        // Same set in another order is the same request.
        assertNotNull(lister.list(v2(OutputType.Raw, Set.of(SegmentType.Event, SegmentType.Transcript), 10, token)).nextToken());
        // MaxResults may change between pages.
        assertNotNull(lister.list(v2(OutputType.Raw, some, 1, token)).nextToken());
    }

    @Test
    void aTokenIsBoundToTheContact() {
        ContactKey other = new ContactKey("instance", "other");
        store.put(KEY, Channel.CHAT, ContactStatus.IN_PROGRESS, OutputType.Raw);
        store.put(other, Channel.CHAT, ContactStatus.IN_PROGRESS, OutputType.Raw);
        String token = lister.list(v2(OutputType.Raw, ALL, 10, null)).nextToken();
        assertError(RequestRejected.Reason.INVALID, () -> lister.list(
                new SegmentLister.Query(Operation.V2, other, OutputType.Raw, ALL, 10, token)));
    }

    // ------------------------------------------------------------------ stream choice

    @Test
    void v1ReadsRedactedWhenTheContactHasIt() {
        store.put(KEY, Channel.VOICE, ContactStatus.COMPLETED, OutputType.Raw, OutputType.Redacted);
        store.add(KEY, OutputType.Raw, transcript(1));
        store.add(KEY, OutputType.Redacted, transcript(2));
        SegmentLister.Page page = lister.list(v1(100, null));
        assertEquals(List.of("t-2"), ids(page));
        assertEquals(OutputType.Redacted, store.reads.get(0).stream());
    }

    @Test
    void v1ReadsRawOtherwise() {
        store.put(KEY, Channel.VOICE, ContactStatus.COMPLETED, OutputType.Raw);
        store.add(KEY, OutputType.Raw, transcript(1));
        store.add(KEY, OutputType.Redacted, transcript(2));
        assertEquals(List.of("t-1"), ids(lister.list(v1(100, null))));
        assertEquals(OutputType.Raw, store.reads.get(0).stream());
    }

    @Test
    void v1KeepsItsStreamForTheWholePagination() {
        store.put(KEY, Channel.VOICE, ContactStatus.IN_PROGRESS, OutputType.Raw);
        store.add(KEY, OutputType.Raw, transcript(1), transcript(2));
        SegmentLister.Page first = lister.list(v1(1, null));
        // A Redacted stream appears mid-contact: the client keeps reading the stream it started on.
        store.put(KEY, Channel.VOICE, ContactStatus.IN_PROGRESS, OutputType.Raw, OutputType.Redacted);
        store.add(KEY, OutputType.Redacted, transcript(9));
        SegmentLister.Page second = lister.list(v1(1, first.nextToken()));
        assertEquals(List.of("t-2"), ids(second));
        assertEquals(OutputType.Raw, store.reads.get(1).stream());
        // A new pagination starts on Redacted.
        assertEquals(List.of("t-9"), ids(lister.list(v1(1, null))));
    }

    @Test
    void v2ReadsTheRequestedStream() {
        store.put(KEY, Channel.CHAT, ContactStatus.COMPLETED, OutputType.Raw, OutputType.Redacted);
        store.add(KEY, OutputType.Raw, transcript(1));
        store.add(KEY, OutputType.Redacted, transcript(2));
        assertEquals(List.of("t-1"), ids(lister.list(v2(OutputType.Raw, ALL, 10, null))));
        assertEquals(List.of("t-2"), ids(lister.list(v2(OutputType.Redacted, ALL, 10, null))));
    }

    @Test
    void outputTypeNotAvailableIsOutputTypeNotFound() {
        store.put(KEY, Channel.CHAT, ContactStatus.IN_PROGRESS, OutputType.Redacted);
        assertError(RequestRejected.Reason.OUTPUT_TYPE_NOT_FOUND, () -> lister.list(v2(OutputType.Raw, ALL, 10, null)));
        store.put(KEY, Channel.CHAT, ContactStatus.IN_PROGRESS);
        assertError(RequestRejected.Reason.OUTPUT_TYPE_NOT_FOUND, () -> lister.list(v2(OutputType.Redacted, ALL, 10, null)));
        assertTrue(store.reads.isEmpty(), "no segment read for a missing stream");
    }

    // ------------------------------------------------------------------ contact checks

    @Test
    void channelMismatchIsInvalidRequest() {
        store.put(KEY, Channel.VOICE, ContactStatus.IN_PROGRESS, OutputType.Raw);
        assertError(RequestRejected.Reason.INVALID, () -> lister.list(v2(OutputType.Raw, ALL, 10, null)));
        store.put(KEY, Channel.CHAT, ContactStatus.IN_PROGRESS, OutputType.Raw);
        assertError(RequestRejected.Reason.INVALID, () -> lister.list(v1(10, null)));
        assertTrue(store.reads.isEmpty());
    }

    @Test
    void unknownContactIsResourceNotFound() {
        assertError(RequestRejected.Reason.CONTACT_NOT_FOUND, () -> lister.list(v2(OutputType.Raw, ALL, 10, null)));
        assertError(RequestRejected.Reason.CONTACT_NOT_FOUND, () -> lister.list(v1(10, null)));
    }

    @Test
    void maxResultsIsPassedToTheStore() {
        store.put(KEY, Channel.VOICE, ContactStatus.IN_PROGRESS, OutputType.Raw);
        lister.list(v1(37, null));
        assertEquals(37, store.reads.get(0).max());
        assertEquals(ALL, store.reads.get(0).types());
        assertEquals(0, store.reads.get(0).from());
    }
}
