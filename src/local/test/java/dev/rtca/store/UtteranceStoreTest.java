package dev.rtca.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtca.local.DynamoCalls;
import dev.rtca.local.LocalDynamo;
import dev.rtca.segments.Channel;
import dev.rtca.segments.Contact;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.ContactStore;
import dev.rtca.segments.ContactStore.Keep;
import dev.rtca.segments.OpenTranscript;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.Segment;
import dev.rtca.segments.SegmentType;
import dev.rtca.segments.StoredSegment;
import dev.rtca.segments.Utterance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/** Keeping voice Utterances in the table and reading an open transcript's back, on DynamoDB Local. */
class UtteranceStoreTest {
    private static final String TABLE = LocalDynamo.shared().table("rtca-store-it");
    private static final Duration RETENTION = Duration.ofHours(24);
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    private final DynamoCalls calls = new DynamoCalls();
    private final ContactKey key = new ContactKey("i-" + UUID.randomUUID(), "c-" + UUID.randomUUID());

    private DynamoDbClient client(ExecutionInterceptor... more) {
        List<ExecutionInterceptor> interceptors = new ArrayList<>(List.of(more));
        interceptors.add(calls);
        return LocalDynamo.client(LocalDynamo.shared().endpoint(), interceptors.toArray(ExecutionInterceptor[]::new));
    }

    private DynamoContactStore store(ExecutionInterceptor... more) {
        return new DynamoContactStore(client(more), TABLE, RETENTION, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static Utterance utterance(String id, String transcriptId, String content, long begin) {
        return new Utterance(id, transcriptId, "CUSTOMER", "CUSTOMER", content, begin, begin + 400);
    }

    private static Segment transcript(String id) {
        return new Segment(SegmentType.Transcript, "{\"Transcript\":{\"Id\":\"" + id + "\",\"ParticipantId\":\"CUSTOMER\","
                + "\"ParticipantRole\":\"CUSTOMER\",\"Content\":\"final\",\"BeginOffsetMillis\":0,\"EndOffsetMillis\":900}}", id);
    }

    private Map<String, AttributeValue> item(String sk) {
        return client().getItem(r -> r.tableName(TABLE).consistentRead(true).key(Keys.primaryKey(Keys.partition(key), sk))).item();
    }

    @AfterEach
    void everyReadWasStronglyConsistent() {
        assertEquals(List.of(), calls.eventuallyConsistentReads());
    }

    @Test
    void keptUtterancesAreReadBackAsTheyCameWithTheContactsTimeToLiveAndTheContactCreated() {
        DynamoContactStore store = store();
        OpenTranscript open = new OpenTranscript(OutputType.Raw, "tr#1");
        List<Utterance> kept = List.of(utterance("u#1", "tr#1", "I'm having", 0), utterance("u#2", "tr#1", "", 500),
                utterance("u3", "tr#1", "trouble ünïcødé", 900));
        assertEquals(0, store.keep(key, Channel.VOICE, OutputType.Raw, kept));

        assertEquals(Set.copyOf(kept), Set.copyOf(store.utterances(key, open)));
        assertEquals(List.of(), store.utterances(key, new OpenTranscript(OutputType.Redacted, "tr#1")), "per stream");
        assertEquals(List.of(), store.utterances(key, new OpenTranscript(OutputType.Raw, "tr")), "a prefix of the Id is another transcript");
        assertEquals(new Contact(key, Channel.VOICE, ContactStatus.IN_PROGRESS, Set.of(OutputType.Raw)), store.find(key).orElseThrow(),
                "created as an append creates it");
        Map<String, AttributeValue> item = item(Keys.utterance(open, "u#1"));
        assertEquals(Long.toString(NOW.plus(RETENTION).getEpochSecond()), item.get("expiresAt").n(), "the contact's TTL");
        assertEquals(item(Keys.CONTACT_SK).get("expiresAt"), item.get("expiresAt"));
        assertEquals(Set.of("pk", "sk", "utteranceId", "transcriptId", "participantId", "participantRole", "partialContent",
                "beginOffsetMillis", "endOffsetMillis", "expiresAt"), item.keySet());
    }

    @Test
    void keepingAgainOrTwiceInOneCallKeepsEachOnceAndWritesNoContactItemOnceItExists() {
        DynamoContactStore store = store();
        OpenTranscript open = new OpenTranscript(OutputType.Raw, "tr-1");
        Utterance a = utterance("a", "tr-1", "hello", 0);
        Utterance b = utterance("b", "tr-1", "there", 500);
        store.keep(key, Channel.VOICE, OutputType.Raw, List.of(a));
        calls.reset();
        assertEquals(List.of(0, 0), store.keep(key, Channel.VOICE, List.of(new Keep(OutputType.Raw, List.of(a, b, a)),
                new Keep(OutputType.Raw, List.of(b)))));
        assertEquals(List.of(a, b), store.utterances(key, open).stream().sorted((x, y) -> x.id().compareTo(y.id())).toList());
        assertEquals(0, calls.count(PutItemRequest.class) + calls.count(TransactWriteItemsRequest.class),
                "the contact exists: keeping writes no contact item");
        assertEquals(1, calls.count(BatchWriteItemRequest.class));
    }

    /** The Transcripts stored in the Raw stream, by Id, in sequence order. */
    private List<String> rawTranscripts(DynamoContactStore store) {
        return store.more(key, OutputType.Raw, 0, 100).items().stream()
                .map(stored -> stored.segment().json().replaceFirst(".*\\{\"Id\":\"([^\"]+)\".*", "$1")).toList();
    }

    @Test
    void aRunOfAContactReadsTheContactOnceForItsChannelCheckKeepingAndAppending() {
        store().open(key, Channel.VOICE, Set.of(OutputType.Raw));
        DynamoContactStore store = store();
        calls.reset();
        store.find(key);
        store.keep(key, Channel.VOICE, OutputType.Raw, List.of(utterance("u1", "t1", "hello", 0)));
        store.append(key, Channel.VOICE, List.of(new ContactStore.Append(OutputType.Raw, "e1", List.of(transcript("t1")))));
        assertEquals(1, calls.count(GetItemRequest.class), "keeping and appending start from the channel check's read");
        assertEquals(List.of("t1"), rawTranscripts(store));
        calls.reset();
        store.append(key, Channel.VOICE, List.of(new ContactStore.Append(OutputType.Raw, "e2", List.of(transcript("t2")))));
        assertEquals(1, calls.count(GetItemRequest.class), "a read is taken once: the next call reads afresh");
        assertEquals(List.of("t1", "t2"), rawTranscripts(store));
    }

    @Test
    void aSharedReadMadeStaleByAnotherWriterCostsTheAppendOneRetryAndEachSegmentLandsOnce() {
        store().open(key, Channel.VOICE, Set.of(OutputType.Raw));
        DynamoContactStore store = store();
        store.find(key);
        // Another writer appends between the channel check's read and this writer's append: the read is stale.
        store().append(key, Channel.VOICE, List.of(new ContactStore.Append(OutputType.Raw, "other", List.of(transcript("t1")))));
        calls.reset();
        assertEquals(List.of(new dev.rtca.segments.AppendResult(1, 0, 0)),
                store.append(key, Channel.VOICE, List.of(new ContactStore.Append(OutputType.Raw, "mine", List.of(transcript("t2"))))));
        assertEquals(1, calls.cancelledTransactions(), "the version condition caught the stale read");
        assertEquals(List.of("t1", "t2"), rawTranscripts(store), "at the next free sequence, no gap, once");
    }

    @Test
    void anUtteranceWhoseTranscriptTheStreamHoldsIsLateAndNotWritten() {
        DynamoContactStore store = store();
        store.append(key, Channel.VOICE, OutputType.Raw, "e1", List.of(transcript("tr-1")));
        // A store without memory of the Id logs reads them (ADR 0015), one with it does not need to.
        for (DynamoContactStore reader : List.of(store, store())) {
            assertEquals(List.of(2, 0), reader.keep(key, Channel.VOICE, List.of(
                    new Keep(OutputType.Raw, List.of(utterance("a", "tr-1", "x", 0), utterance("b", "tr-1", "y", 1))),
                    new Keep(OutputType.Redacted, List.of(utterance("c", "tr-1", "z", 0))))));
        }
        assertEquals(List.of(), store.utterances(key, new OpenTranscript(OutputType.Raw, "tr-1")));
        assertEquals(1, store.utterances(key, new OpenTranscript(OutputType.Redacted, "tr-1")).size(), "the other stream's is open");
        assertEquals(Set.of(OutputType.Raw, OutputType.Redacted), store.find(key).orElseThrow().outputTypes(),
                "a stream kept into is opened");
    }

    @Test
    void manyUtterancesAreWrittenTwentyFiveACallAndReadAcrossPages() {
        DynamoContactStore store = store();
        List<Utterance> many = IntStream.range(0, 130).mapToObj(i -> utterance("u" + i, "tr-long", "w" + i, i * 10L)).toList();
        assertEquals(0, store.keep(key, Channel.VOICE, OutputType.Raw, many));
        assertEquals(6, calls.count(BatchWriteItemRequest.class));
        assertEquals(Set.copyOf(many), Set.copyOf(store.utterances(key, new OpenTranscript(OutputType.Raw, "tr-long"))));
    }

    @Test
    void overLongIdsAreKeptUnderDigestsAndReadBack() {
        DynamoContactStore store = store();
        String longTranscript = "𝄞#".repeat(400);
        String longUtterance = "ü".repeat(600);
        Utterance a = utterance(longUtterance, longTranscript, "a", 0);
        Utterance b = utterance("b", longTranscript, "b", 1);
        Utterance c = utterance(longUtterance, "short", "c", 2);
        store.keep(key, Channel.VOICE, OutputType.Raw, List.of(a, b, c));
        assertEquals(Set.of(a, b), Set.copyOf(store.utterances(key, new OpenTranscript(OutputType.Raw, longTranscript))));
        assertEquals(List.of(c), store.utterances(key, new OpenTranscript(OutputType.Raw, "short")));
        assertEquals(List.of(), store.utterances(key, new OpenTranscript(OutputType.Raw, longTranscript + "x")));
    }

    @Test
    void keptUtterancesAreNeverInTheStreamsSegmentRange() {
        DynamoContactStore store = store();
        store.keep(key, Channel.VOICE, OutputType.Raw, List.of(utterance("a", "tr-1", "hello", 0)));
        store.append(key, Channel.VOICE, OutputType.Raw, "e1", List.of(transcript("tr-1")));
        store.keep(key, Channel.VOICE, OutputType.Redacted, List.of(utterance("b", "tr-2", "hi", 0)));
        for (OutputType stream : OutputType.values()) {
            List<StoredSegment> items = store.more(key, stream, 0, 1000).items();
            assertTrue(items.stream().allMatch(i -> i.segment().type() == SegmentType.Transcript), stream + ": " + items);
            assertEquals(stream == OutputType.Raw ? 1 : 0, items.size());
            assertEquals(stream == OutputType.Raw ? 1 : 0, store.read(key, stream, 0, 1000).slice().items().size());
        }
    }

    /** Answers the first {@code times} BatchWriteItem calls as if DynamoDB had processed none of their items. */
    private static ExecutionInterceptor unprocessed(int times, AtomicInteger seen) {
        return new ExecutionInterceptor() {
            @Override
            public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
                if (context.request() instanceof BatchWriteItemRequest request && seen.incrementAndGet() <= times) {
                    return ((BatchWriteItemResponse) context.response()).toBuilder().unprocessedItems(request.requestItems()).build();
                }
                return context.response();
            }
        };
    }

    @Test
    void unprocessedItemsAreSentAgainAFewTimesThenTheCallFailsAsThrottled() {
        AtomicInteger seen = new AtomicInteger();
        List<Utterance> some = List.of(utterance("a", "tr-1", "x", 0), utterance("b", "tr-1", "y", 1));
        assertEquals(0, store(unprocessed(3, seen)).keep(key, Channel.VOICE, OutputType.Raw, some));
        assertEquals(4, seen.get(), "three answers with unprocessed items, then the one without");
        assertEquals(2, store().utterances(key, new OpenTranscript(OutputType.Raw, "tr-1")).size());

        AtomicInteger always = new AtomicInteger();
        StoreException e = assertThrows(StoreException.class,
                () -> store(unprocessed(Integer.MAX_VALUE, always)).keep(key, Channel.VOICE, OutputType.Raw, some));
        assertTrue(e.throttled());
        assertEquals(DynamoContactStore.BATCH_WRITE_ATTEMPTS, always.get());
    }

    @Test
    void keysOfUtterancesRoundTripAndStayOutOfEverySegmentRange() {
        Map<String, OpenTranscript> seen = new HashMap<>();
        for (String transcriptId : List.of("t", "t#", "#t", "1#2", "tr-1", "ü".repeat(256), "x".repeat(1000))) {
            for (OutputType stream : OutputType.values()) {
                OpenTranscript open = new OpenTranscript(stream, transcriptId);
                for (String id : List.of("u", "u#=", "=", "ü".repeat(700))) {
                    String sk = Keys.utterance(open, id);
                    assertTrue(sk.startsWith(Keys.openTranscript(open)), sk);
                    assertTrue(sk.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 1024, sk);
                    for (OutputType s : OutputType.values()) {
                        assertTrue(sk.compareTo(Keys.segment(s, 0)) < 0 || sk.compareTo(Keys.segment(s, Keys.MAX_SEQUENCE)) > 0,
                                "outside " + s + "'s segment range: " + sk);
                    }
                    assertTrue(Keys.streamsChangedBy(sk).isEmpty(), "no stream's segments changed: " + sk);
                    OpenTranscript before = seen.put(sk, open);
                    assertTrue(before == null, "one key, one Utterance: " + sk);
                    boolean digest = Keys.openTranscript(open).startsWith("U#H#");
                    assertEquals(digest ? java.util.Optional.empty() : java.util.Optional.of(open), Keys.openTranscriptChangedBy(sk));
                }
            }
        }
    }
}
