package dev.rtca.segments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtca.fixtures.Access;
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

    /**
     * An in-memory ContactStore that records its reads and can do what DynamoDB does to a read: hide a segment from the
     * next reads (an append committing while they run) or delete it for good (TTL). {@code betweenReads} runs after
     * the contact is read and before its segments are.
     */
    static final class FakeStore implements ContactStore {
        record Read(OutputType stream, long from, int limit) {
        }

        final Map<ContactKey, Contact> contacts = new HashMap<>();
        final Map<ContactKey, Map<OutputType, List<Segment>>> streams = new HashMap<>();
        final Map<Long, Integer> hiddenFor = new HashMap<>();
        final Set<Long> expired = new HashSet<>();
        final List<Read> reads = new ArrayList<>();
        Runnable betweenReads = () -> { };

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

        /** The next {@code reads} reads of KEY's streams do not see {@code sequence}. */
        void hide(long sequence, int reads) {
            hiddenFor.put(sequence, reads);
        }

        private List<Segment> all(ContactKey key, OutputType stream) {
            return streams.getOrDefault(key, Map.of()).getOrDefault(stream, List.of());
        }

        @Override
        public Optional<Contact> find(ContactKey key) {
            return Optional.ofNullable(contacts.get(key));
        }

        @Override
        public StreamRead read(ContactKey key, OutputType stream, long from, int limit) {
            Optional<Contact> contact = find(key);
            long end = all(key, stream).size();
            betweenReads.run();
            return new StreamRead(contact, end, more(key, stream, from, limit));
        }

        @Override
        public Slice more(ContactKey key, OutputType stream, long from, int limit) {
            reads.add(new Read(stream, from, limit));
            List<Segment> all = all(key, stream);
            List<StoredSegment> out = new ArrayList<>();
            long i = from;
            for (; i < all.size() && out.size() < limit; i++) {
                if (expired.contains(i) || hiddenFor.getOrDefault(i, 0) > 0) {
                    continue;
                }
                out.add(new StoredSegment(i, all.get((int) i)));
            }
            hiddenFor.replaceAll((sequence, left) -> Math.max(0, left - 1));
            return new Slice(out, i < all.size());
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
        public List<AppendResult> append(ContactKey key, Channel channel, List<Append> appends) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int keep(ContactKey key, Channel channel, OutputType stream, List<Utterance> utterances) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Utterance> utterances(ContactKey key, OpenTranscript transcript) {
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
        SegmentLister.Page first = lister.list(v2(OutputType.Raw, ALL, 100, null), Access.all());
        assertEquals(List.of(), first.segments());
        assertNotNull(first.nextToken());
        assertEquals(Channel.CHAT, first.channel());
        assertEquals(ContactStatus.IN_PROGRESS, first.status());

        SegmentLister.Page second = lister.list(v2(OutputType.Raw, ALL, 100, first.nextToken()), Access.all());
        assertNotNull(second.nextToken());
        assertNotEquals(first.nextToken(), second.nextToken(), "botocore stops on a repeated token");
        assertEquals(0, store.reads.get(1).from());
    }

    @ParameterizedTest
    @EnumSource(value = ContactStatus.class, names = {"COMPLETED", "FAILED"})
    void terminalAndExhaustedHasNoToken(ContactStatus status) {
        store.put(KEY, Channel.CHAT, status, OutputType.Raw);
        store.add(KEY, OutputType.Raw, transcript(0), transcript(1));
        SegmentLister.Page page = lister.list(v2(OutputType.Raw, ALL, 2, null), Access.all());
        assertEquals(List.of("t-0", "t-1"), ids(page));
        assertNull(page.nextToken());
        assertEquals(status, page.status());

        store.put(KEY, Channel.CHAT, status, OutputType.Raw);
        store.streams.clear();
        SegmentLister.Page empty = lister.list(v2(OutputType.Raw, ALL, 100, null), Access.all());
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
            SegmentLister.Page page = lister.list(v2(OutputType.Raw, ALL, max, token), Access.all());
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
        SegmentLister.Page first = lister.list(v2(OutputType.Raw, Set.of(SegmentType.Transcript), 2, null), Access.all());
        assertEquals(List.of("t-0", "t-2"), ids(first));
        SegmentLister.Page second = lister.list(v2(OutputType.Raw, Set.of(SegmentType.Transcript), 2, first.nextToken()), Access.all());
        assertEquals(List.of("t-4"), ids(second));
        assertEquals(new FakeStore.Read(OutputType.Raw, 3, 500), store.reads.get(1),
                "the store reads every type from where the page ended; the lister filters");
        // Polling an IN_PROGRESS contact: new segments appear after the last position.
        store.add(KEY, OutputType.Raw, transcript(5));
        SegmentLister.Page third = lister.list(v2(OutputType.Raw, Set.of(SegmentType.Transcript), 2, second.nextToken()), Access.all());
        assertEquals(List.of("t-5"), ids(third));
        assertNotNull(third.nextToken());
    }

    @Test
    void aStatusReadBeforeTheLastAppendKeepsATokenForIt() {
        // A writer appends the last segment and completes the contact between the page's two reads: the page
        // saw IN_PROGRESS, so it must hand out a token, or the client would miss the last segment.
        store.put(KEY, Channel.CHAT, ContactStatus.IN_PROGRESS, OutputType.Raw);
        store.add(KEY, OutputType.Raw, transcript(0));
        store.betweenReads = () -> {
            store.betweenReads = () -> { };
            store.add(KEY, OutputType.Raw, transcript(1));
            store.status(KEY, ContactStatus.COMPLETED);
        };
        SegmentLister.Page first = lister.list(v2(OutputType.Raw, ALL, 100, null), Access.all());
        assertEquals(List.of("t-0", "t-1"), ids(first), "an IN_PROGRESS page takes what is visible and dense");
        assertEquals(ContactStatus.IN_PROGRESS, first.status());
        assertNotNull(first.nextToken());

        SegmentLister.Page last = lister.list(v2(OutputType.Raw, ALL, 100, first.nextToken()), Access.all());
        assertEquals(List.of(), ids(last));
        assertEquals(ContactStatus.COMPLETED, last.status());
        assertNull(last.nextToken());
    }

    // ------------------------------------------------------------------ token binding

    @Test
    void aTokenIsBoundToTheOperation() {
        store.put(KEY, Channel.CHAT, ContactStatus.IN_PROGRESS, OutputType.Raw);
        String v1Token = codec.seal(KEY, Operation.V1, OutputType.Raw, ALL, 0);
        assertError(RequestRejected.Reason.INVALID, () -> lister.list(v2(OutputType.Raw, ALL, 10, v1Token), Access.all()));

        store.put(KEY, Channel.VOICE, ContactStatus.IN_PROGRESS, OutputType.Raw);
        String v2Token = codec.seal(KEY, Operation.V2, OutputType.Raw, ALL, 0);
        assertError(RequestRejected.Reason.INVALID, () -> lister.list(v1(10, v2Token), Access.all()));
        // The V1 token is accepted by V1.
        assertNotNull(lister.list(v1(10, codec.seal(KEY, Operation.V1, OutputType.Raw, ALL, 0)), Access.all()).nextToken());
    }

    @Test
    void aTokenIsBoundToTheOutputType() {
        store.put(KEY, Channel.CHAT, ContactStatus.IN_PROGRESS, OutputType.Raw, OutputType.Redacted);
        String raw = lister.list(v2(OutputType.Raw, ALL, 10, null), Access.all()).nextToken();
        assertError(RequestRejected.Reason.INVALID, () -> lister.list(v2(OutputType.Redacted, ALL, 10, raw), Access.all()));
        assertNotNull(lister.list(v2(OutputType.Raw, ALL, 10, raw), Access.all()).nextToken());
    }

    @Test
    void aTokenIsBoundToTheSegmentTypes() {
        store.put(KEY, Channel.CHAT, ContactStatus.IN_PROGRESS, OutputType.Raw);
        Set<SegmentType> some = EnumSet.of(SegmentType.Transcript, SegmentType.Event);
        String token = lister.list(v2(OutputType.Raw, some, 10, null), Access.all()).nextToken();
        assertError(RequestRejected.Reason.INVALID, () -> lister.list(v2(OutputType.Raw, Set.of(SegmentType.Transcript), 10, token), Access.all()));
        assertError(RequestRejected.Reason.INVALID, () -> lister.list(v2(OutputType.Raw, ALL, 10, token), Access.all()));
        // Same set in another order is the same request.
        assertNotNull(lister.list(v2(OutputType.Raw, Set.of(SegmentType.Event, SegmentType.Transcript), 10, token), Access.all()).nextToken());
        // MaxResults may change between pages.
        assertNotNull(lister.list(v2(OutputType.Raw, some, 1, token), Access.all()).nextToken());
    }

    @Test
    void aTokenIsBoundToTheContact() {
        ContactKey other = new ContactKey("instance", "other");
        store.put(KEY, Channel.CHAT, ContactStatus.IN_PROGRESS, OutputType.Raw);
        store.put(other, Channel.CHAT, ContactStatus.IN_PROGRESS, OutputType.Raw);
        String token = lister.list(v2(OutputType.Raw, ALL, 10, null), Access.all()).nextToken();
        assertError(RequestRejected.Reason.INVALID, () -> lister.list(
                new SegmentLister.Query(Operation.V2, other, OutputType.Raw, ALL, 10, token), Access.all()));
    }

    // ------------------------------------------------------------------ stream choice

    @Test
    void v1ReadsRedactedWhenTheContactHasIt() {
        store.put(KEY, Channel.VOICE, ContactStatus.COMPLETED, OutputType.Raw, OutputType.Redacted);
        store.add(KEY, OutputType.Raw, transcript(1));
        store.add(KEY, OutputType.Redacted, transcript(2));
        SegmentLister.Page page = lister.list(v1(100, null), Access.all());
        assertEquals(List.of("t-2"), ids(page));
        // The first page guesses Raw (read with the contact in one go), then reads the stream the contact has.
        assertEquals(List.of(OutputType.Raw, OutputType.Redacted), store.reads.stream().map(FakeStore.Read::stream).toList());
    }

    @Test
    void v1ReadsRawOtherwise() {
        store.put(KEY, Channel.VOICE, ContactStatus.COMPLETED, OutputType.Raw);
        store.add(KEY, OutputType.Raw, transcript(1));
        store.add(KEY, OutputType.Redacted, transcript(2));
        assertEquals(List.of("t-1"), ids(lister.list(v1(100, null), Access.all())));
        assertEquals(List.of(OutputType.Raw), store.reads.stream().map(FakeStore.Read::stream).toList(), "the guess was right: one read");
    }

    @Test
    void v1KeepsItsStreamForTheWholePagination() {
        store.put(KEY, Channel.VOICE, ContactStatus.IN_PROGRESS, OutputType.Raw);
        store.add(KEY, OutputType.Raw, transcript(1), transcript(2));
        SegmentLister.Page first = lister.list(v1(1, null), Access.all());
        // A Redacted stream appears mid-contact: the client keeps reading the stream it started on.
        store.put(KEY, Channel.VOICE, ContactStatus.IN_PROGRESS, OutputType.Raw, OutputType.Redacted);
        store.add(KEY, OutputType.Redacted, transcript(9));
        SegmentLister.Page second = lister.list(v1(1, first.nextToken()), Access.all());
        assertEquals(List.of("t-2"), ids(second));
        assertEquals(OutputType.Raw, store.reads.get(store.reads.size() - 1).stream());
        // A new pagination starts on Redacted.
        assertEquals(List.of("t-9"), ids(lister.list(v1(1, null), Access.all())));
    }

    @Test
    void v2ReadsTheRequestedStream() {
        store.put(KEY, Channel.CHAT, ContactStatus.COMPLETED, OutputType.Raw, OutputType.Redacted);
        store.add(KEY, OutputType.Raw, transcript(1));
        store.add(KEY, OutputType.Redacted, transcript(2));
        assertEquals(List.of("t-1"), ids(lister.list(v2(OutputType.Raw, ALL, 10, null), Access.all())));
        assertEquals(List.of("t-2"), ids(lister.list(v2(OutputType.Redacted, ALL, 10, null), Access.all())));
    }

    @Test
    void outputTypeNotAvailableIsOutputTypeNotFound() {
        store.put(KEY, Channel.CHAT, ContactStatus.IN_PROGRESS, OutputType.Redacted);
        assertError(RequestRejected.Reason.OUTPUT_TYPE_NOT_FOUND, () -> lister.list(v2(OutputType.Raw, ALL, 10, null), Access.all()));
        store.put(KEY, Channel.CHAT, ContactStatus.IN_PROGRESS);
        assertError(RequestRejected.Reason.OUTPUT_TYPE_NOT_FOUND, () -> lister.list(v2(OutputType.Redacted, ALL, 10, null), Access.all()));
        assertEquals(2, store.reads.size(), "read with the contact in one go, then discarded");
    }

    // ------------------------------------------------------------------ contact checks

    @Test
    void channelMismatchIsInvalidRequest() {
        store.put(KEY, Channel.VOICE, ContactStatus.IN_PROGRESS, OutputType.Raw);
        assertError(RequestRejected.Reason.INVALID, () -> lister.list(v2(OutputType.Raw, ALL, 10, null), Access.all()));
        store.put(KEY, Channel.CHAT, ContactStatus.IN_PROGRESS, OutputType.Raw);
        assertError(RequestRejected.Reason.INVALID, () -> lister.list(v1(10, null), Access.all()));
        assertEquals(2, store.reads.size(), "one read each, no continuation");
    }

    @Test
    void unknownContactIsResourceNotFound() {
        assertError(RequestRejected.Reason.CONTACT_NOT_FOUND, () -> lister.list(v2(OutputType.Raw, ALL, 10, null), Access.all()));
        assertError(RequestRejected.Reason.CONTACT_NOT_FOUND, () -> lister.list(v1(10, null), Access.all()));
    }

    @Test
    void anUnfilteredPageReadsMaxResultsItemsAFilteredOneReadsMore() {
        store.put(KEY, Channel.VOICE, ContactStatus.IN_PROGRESS, OutputType.Raw);
        lister.list(v1(37, null), Access.all());
        assertEquals(new FakeStore.Read(OutputType.Raw, 0, 37), store.reads.get(0));
        store.put(KEY, Channel.CHAT, ContactStatus.IN_PROGRESS, OutputType.Raw);
        lister.list(v2(OutputType.Raw, Set.of(SegmentType.Event), 37, null), Access.all());
        assertEquals(new FakeStore.Read(OutputType.Raw, 0, 500), store.reads.get(1), "500 items a read when SegmentTypes filters");
    }

    // ------------------------------------------------------------------ reads that miss segments

    private void fiveSegments(ContactStatus status) {
        store.put(KEY, Channel.CHAT, status, OutputType.Raw);
        store.add(KEY, OutputType.Raw, transcript(0), transcript(1), transcript(2), transcript(3), transcript(4));
    }

    @Test
    void aHoleIsReadAgainSoTheSegmentAnAppendWasCommittingIsServed() {
        fiveSegments(ContactStatus.IN_PROGRESS);
        store.hide(2, 1);
        SegmentLister.Page page = lister.list(v2(OutputType.Raw, ALL, 100, null), Access.all());
        assertEquals(List.of("t-0", "t-1", "t-2", "t-3", "t-4"), ids(page));
        assertEquals(List.of(0L, 2L), store.reads.stream().map(FakeStore.Read::from).toList(), "read again from the hole");
    }

    @Test
    void aHoleMetOnThePagesLastReadIsNeverCrossed() {
        store.put(KEY, Channel.CHAT, ContactStatus.COMPLETED, OutputType.Raw);
        int skipped = 500 * 3;
        for (int i = 0; i < skipped; i++) {
            store.add(KEY, OutputType.Raw, transcript(i));
        }
        store.add(KEY, OutputType.Raw, event(skipped), event(skipped + 1), event(skipped + 2));
        store.hide(skipped + 1, 4); // an append still committing when the 4th read ran
        SegmentLister.Page first = lister.list(v2(OutputType.Raw, Set.of(SegmentType.Event), 10, null), Access.all());
        assertEquals(List.of("e-" + skipped), ids(first), "the page stops at the hole, with its budget spent");
        assertEquals(4, store.reads.size());
        assertNotNull(first.nextToken(), "a COMPLETED contact is not drained while a segment below its counter is unseen");
        SegmentLister.Page rest = lister.list(v2(OutputType.Raw, Set.of(SegmentType.Event), 10, first.nextToken()), Access.all());
        assertEquals(List.of("e-" + (skipped + 1), "e-" + (skipped + 2)), ids(rest));
        assertNull(rest.nextToken());
    }

    @Test
    void segmentsTtlDeletedAreSteppedOverOnceAReadProvesThemGone() {
        fiveSegments(ContactStatus.COMPLETED);
        store.expired.addAll(Set.of(1L, 2L));
        SegmentLister.Page page = lister.list(v2(OutputType.Raw, ALL, 100, null), Access.all());
        assertEquals(List.of("t-0", "t-3", "t-4"), ids(page));
        assertNull(page.nextToken(), "drained: no endless paging over deleted segments");
        assertEquals(2, store.reads.size(), "one read again proves the hole is gone");
    }

    @Test
    void aCompletedContactsMissedTailIsReadAgainBeforeItEnds() {
        fiveSegments(ContactStatus.COMPLETED);
        store.hide(4, 1);
        SegmentLister.Page page = lister.list(v2(OutputType.Raw, ALL, 100, null), Access.all());
        assertEquals(List.of("t-0", "t-1", "t-2", "t-3", "t-4"), ids(page));
        assertNull(page.nextToken());
    }

    @Test
    void aCompletedContactsDeletedTailEndsThePaginationAfterOneMoreRead() {
        fiveSegments(ContactStatus.COMPLETED);
        store.expired.addAll(Set.of(3L, 4L));
        SegmentLister.Page page = lister.list(v2(OutputType.Raw, ALL, 100, null), Access.all());
        assertEquals(List.of("t-0", "t-1", "t-2"), ids(page));
        assertNull(page.nextToken());
        assertEquals(2, store.reads.size());
    }

    @Test
    void anInProgressContactsTailIsLeftForTheNextPoll() {
        fiveSegments(ContactStatus.IN_PROGRESS);
        store.hide(4, 1);
        SegmentLister.Page page = lister.list(v2(OutputType.Raw, ALL, 100, null), Access.all());
        assertEquals(List.of("t-0", "t-1", "t-2", "t-3"), ids(page));
        assertEquals(1, store.reads.size(), "no second read: the client polls an IN_PROGRESS contact anyway");
        assertEquals(List.of("t-4"), ids(lister.list(v2(OutputType.Raw, ALL, 100, page.nextToken()), Access.all())));
    }

    @Test
    void aTerminalPageEndsAtTheCounterReadWithTheContact() {
        fiveSegments(ContactStatus.COMPLETED);
        // Segments appended after the contact was read (late ones) belong to no page of this pagination.
        store.betweenReads = () -> store.add(KEY, OutputType.Raw, transcript(5));
        SegmentLister.Page page = lister.list(v2(OutputType.Raw, ALL, 100, null), Access.all());
        assertEquals(List.of("t-0", "t-1", "t-2", "t-3", "t-4"), ids(page));
        assertNull(page.nextToken());
        store.betweenReads = () -> { };
        assertEquals(6, lister.list(v2(OutputType.Raw, ALL, 100, null), Access.all()).segments().size(), "a new pagination sees them");
    }

    @Test
    void aFilteredPageStopsAtItsReadBudgetWithATokenAtTheLastItemExamined() {
        store.put(KEY, Channel.CHAT, ContactStatus.COMPLETED, OutputType.Raw);
        int total = 500 * 5;
        for (int i = 0; i < total; i++) {
            store.add(KEY, OutputType.Raw, i == total - 1 ? event(i) : transcript(i));
        }
        SegmentLister.Page first = lister.list(v2(OutputType.Raw, Set.of(SegmentType.Event), 10, null), Access.all());
        assertEquals(List.of(), first.segments());
        assertEquals(4, store.reads.size(), "at most 4 reads of 500 items, then a NextToken");
        SegmentLister.Page second = lister.list(v2(OutputType.Raw, Set.of(SegmentType.Event), 10, first.nextToken()), Access.all());
        assertEquals(List.of("e-" + (total - 1)), ids(second));
        assertEquals(2_000, store.reads.get(4).from(), "resumed right after the last item examined");
        assertNull(second.nextToken());
    }

    // ------------------------------------------------------------------ authorization

    /** A caller allowed exactly these streams; it counts how often it is asked. */
    private static final class Allowed implements Permission {
        final Set<OutputType> streams;
        int asked;

        Allowed(OutputType... streams) {
            this.streams = Set.of(streams);
        }

        @Override
        public boolean allows(OutputType stream) {
            asked++;
            return streams.contains(stream);
        }

        @Override
        public RequestRejected refusal() {
            return new RequestRejected(RequestRejected.Reason.ACCESS_DENIED, "denied");
        }
    }

    private void assertDenied(Runnable call) {
        assertError(RequestRejected.Reason.ACCESS_DENIED, call);
    }

    @Test
    void v2IsRefusedBeforeAnythingIsRead() {
        store.put(KEY, Channel.CHAT, ContactStatus.IN_PROGRESS, OutputType.Raw);
        assertDenied(() -> lister.list(v2(OutputType.Raw, ALL, 10, null), new Allowed(OutputType.Redacted)));
        assertTrue(store.reads.isEmpty(), "a denied caller learns nothing about the contact");
        assertNotNull(lister.list(v2(OutputType.Raw, ALL, 10, null), new Allowed(OutputType.Raw)).nextToken());
    }

    @Test
    void aDeniedCallerGetsTheSameAnswerForExistingAndMissingContacts() {
        store.put(KEY, Channel.CHAT, ContactStatus.IN_PROGRESS, OutputType.Raw);
        ContactKey missing = new ContactKey("instance", "missing");
        assertDenied(() -> lister.list(v2(OutputType.Raw, ALL, 10, null), new Allowed()));
        assertDenied(() -> lister.list(new SegmentLister.Query(Operation.V2, missing, OutputType.Raw, ALL, 10, null), new Allowed()));
        store.put(KEY, Channel.VOICE, ContactStatus.IN_PROGRESS, OutputType.Raw);
        assertDenied(() -> lister.list(v1(10, null), new Allowed()));
        assertDenied(() -> lister.list(new SegmentLister.Query(Operation.V1, missing, null, ALL, 10, null), new Allowed()));
        assertTrue(store.reads.isEmpty());
    }

    @Test
    void v1IsAuthorizedForTheStreamItWouldRead() {
        store.put(KEY, Channel.VOICE, ContactStatus.COMPLETED, OutputType.Raw, OutputType.Redacted);
        store.add(KEY, OutputType.Redacted, transcript(1));
        assertEquals(List.of("t-1"), ids(lister.list(v1(10, null), new Allowed(OutputType.Redacted))));
        assertDenied(() -> lister.list(v1(10, null), new Allowed(OutputType.Raw)));
        ContactKey rawOnly = new ContactKey("instance", "raw-only");
        store.put(rawOnly, Channel.VOICE, ContactStatus.COMPLETED, OutputType.Raw);
        store.add(rawOnly, OutputType.Raw, transcript(2));
        SegmentLister.Query raw = new SegmentLister.Query(Operation.V1, rawOnly, null, ALL, 10, null);
        assertEquals(List.of("t-2"), ids(lister.list(raw, new Allowed(OutputType.Raw))));
        assertDenied(() -> lister.list(raw, new Allowed(OutputType.Redacted)));
    }

    @Test
    void v1LearnsThatAContactIsMissingOnlyWhenItMayReadBothStreams() {
        SegmentLister.Query missing = new SegmentLister.Query(Operation.V1, new ContactKey("instance", "missing"), null, ALL, 10, null);
        assertError(RequestRejected.Reason.CONTACT_NOT_FOUND, () -> lister.list(missing, new Allowed(OutputType.Raw, OutputType.Redacted)));
        // A caller allowed one stream would otherwise tell a missing contact from one that has only the other stream.
        assertDenied(() -> lister.list(missing, new Allowed(OutputType.Raw)));
        assertDenied(() -> lister.list(missing, new Allowed(OutputType.Redacted)));
    }

    @Test
    void aV1TokensStreamIsAuthorizedBeforeTheRead() {
        store.put(KEY, Channel.VOICE, ContactStatus.IN_PROGRESS, OutputType.Raw);
        String token = codec.seal(KEY, Operation.V1, OutputType.Raw, ALL, 0);
        assertDenied(() -> lister.list(v1(10, token), new Allowed(OutputType.Redacted)));
        assertTrue(store.reads.isEmpty());
        Allowed raw = new Allowed(OutputType.Raw);
        assertNotNull(lister.list(v1(10, token), raw).nextToken());
        assertEquals(1, raw.asked, "asked once: the token says which stream");
    }

    // ------------------------------------------------------------------ page bytes

    @Test
    void aPageEndsWhenTheNextSegmentWouldPassTheByteBudgetAndTheNextStartsWithIt() {
        fiveSegments(ContactStatus.COMPLETED);
        long each = SegmentLister.bytesInPage(transcript(0));
        SegmentLister tight = new SegmentLister(store, codec, 2 * each + 1);
        SegmentLister.Page first = tight.list(v2(OutputType.Raw, ALL, 100, null), Access.all());
        assertEquals(List.of("t-0", "t-1"), ids(first));
        SegmentLister.Page second = tight.list(v2(OutputType.Raw, ALL, 100, first.nextToken()), Access.all());
        assertEquals(List.of("t-2", "t-3"), ids(second));
        SegmentLister.Page last = tight.list(v2(OutputType.Raw, ALL, 100, second.nextToken()), Access.all());
        assertEquals(List.of("t-4"), ids(last));
        assertNull(last.nextToken());
        assertEquals(List.of("t-0", "t-1", "t-2"), ids(new SegmentLister(store, codec, 3 * each)
                .list(v2(OutputType.Raw, ALL, 100, null), Access.all())), "a budget met exactly still holds the segment");
    }

    @Test
    void aSegmentLargerThanTheBudgetStillGetsAPageOfItsOwn() {
        fiveSegments(ContactStatus.COMPLETED);
        SegmentLister tiny = new SegmentLister(store, codec, 1);
        List<String> seen = new java.util.ArrayList<>();
        String token = null;
        do {
            SegmentLister.Page page = tiny.list(v2(OutputType.Raw, ALL, 100, token), Access.all());
            assertEquals(1, page.segments().size());
            seen.addAll(ids(page));
            token = page.nextToken();
        } while (token != null);
        assertEquals(List.of("t-0", "t-1", "t-2", "t-3", "t-4"), seen);
    }

    @Test
    void segmentsTheFilterSkipsCostNothing() {
        store.put(KEY, Channel.CHAT, ContactStatus.COMPLETED, OutputType.Raw);
        store.add(KEY, OutputType.Raw, transcript(0), event(1), event(2), transcript(3));
        long each = SegmentLister.bytesInPage(transcript(0));
        SegmentLister.Page page = new SegmentLister(store, codec, 2 * each)
                .list(v2(OutputType.Raw, Set.of(SegmentType.Transcript), 100, null), Access.all());
        assertEquals(List.of("t-0", "t-3"), ids(page));
        assertNull(page.nextToken());
    }

    @Test
    void bytesInPageCountsWhatTheProxyResponseCarries() {
        // {"x":"a\"é€😀"} -> UTF-8, plus one byte for each " and \ escaped once more, plus a separator.
        String json = "{\"x\":\"a\\\"\u00e9\u20ac\ud83d\ude00\"}";
        long utf8 = json.getBytes(StandardCharsets.UTF_8).length;
        long quotesAndBackslashes = json.chars().filter(c -> c == '"' || c == '\\').count();
        assertEquals(utf8 + quotesAndBackslashes + 1, SegmentLister.bytesInPage(new Segment(SegmentType.Transcript, json)));
        assertEquals(5L * 1024 * 1024, SegmentLister.MAX_PAGE_BYTES);
    }
}
