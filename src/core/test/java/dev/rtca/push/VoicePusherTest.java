package dev.rtca.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.access.ListAuthorizer;
import dev.rtca.access.Policies;
import dev.rtca.fixtures.Access;
import dev.rtca.fixtures.Envelopes;
import dev.rtca.fixtures.MemoryPushStore;
import dev.rtca.fixtures.MemoryStore;
import dev.rtca.fixtures.MutableClock;
import dev.rtca.fixtures.Samples;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.OpenTranscript;
import dev.rtca.segments.Operation;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.Segment;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.SegmentType;
import dev.rtca.segments.TokenCodec;
import dev.rtca.segments.Utterance;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Voice contacts over the live API: a subscription naming {@code ListRealtimeContactAnalysisSegments} is validated,
 * authorized, paged and tokened as that V1 list request, goes live on the stream V1 chose, and (with {@code Partials})
 * gets the words of open transcripts as {@code Partial} frames and each final Transcript marked with what it replaces.
 */
class VoicePusherTest {
    private static final String PRINCIPAL = "arn:aws:iam::123456789012:user/supervisor";
    private static final String OTHER = "arn:aws:iam::123456789012:user/other";
    private static final String V1 = "ListRealtimeContactAnalysisSegments";
    private static final String DENY_ALL = "{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\"}]}";

    private final MemoryStore contacts = new MemoryStore();
    private final TokenCodec tokens = new TokenCodec("voice-pusher-test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8),
            Duration.ofHours(24), Clock.systemUTC());
    private final SegmentLister lister = new SegmentLister(contacts, tokens);
    private final ContactKey contact = Envelopes.newContact();
    private final PusherTest.Posts posts = new PusherTest.Posts();
    private final MemoryPushStore store = new MemoryPushStore(contacts);
    private final MutableClock clock = new MutableClock(Instant.now());
    private final Map<String, String> documents = new ConcurrentHashMap<>(Map.of(PRINCIPAL, Access.ALLOW_ALL, OTHER, Access.ALLOW_ALL));
    private final ListAuthorizer authorizer = new ListAuthorizer(new Policies(key -> Optional.ofNullable(documents.get(key)),
            Access.DEPLOYMENT, clock, (k, r) -> {
    }), Access.DEPLOYMENT);
    private final Pusher pusher = new Pusher(lister, tokens, authorizer, store, posts, contacts::utterances, clock,
            clock::advance);
    private int written;
    private int events;

    private static Instant soon() {
        return Instant.now().plusSeconds(600);
    }

    /** A voice contact with these streams. */
    private void start(OutputType... streams) {
        contacts.open(contact, Channel.VOICE, Set.of(streams));
    }

    /** Appends {@code n} V1 transcripts (numbered on from the last) to a stream, as one event. */
    private void append(OutputType stream, int n) {
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            segments.add(Samples.v1Transcript(written++));
        }
        contacts.append(contact, Channel.VOICE, stream, "event-" + ++events, segments);
    }

    private static String voice(ContactKey key, String more) {
        return "{\"action\":\"subscribe\",\"Operation\":\"" + V1 + "\",\"InstanceId\":\"" + key.instanceId()
                + "\",\"ContactId\":\"" + key.contactId() + "\"" + more + "}";
    }

    private void subscribe(String connectionId, String principal, String message) {
        pusher.connected(connectionId, principal);
        pusher.subscribe(connectionId, message.getBytes(StandardCharsets.UTF_8), soon());
    }

    /** A V1 subscription to the contact that asks for Partial frames. */
    private void subscribeToPartials(String connectionId, String principal) {
        subscribe(connectionId, principal, voice(contact, ",\"Partials\":true"));
    }

    private void policy(String principal, String document) {
        documents.put(principal, document);
        clock.advance(Duration.ofSeconds(61)); // past the policies' staleness
    }

    private static String allow(String action, String outputType) {
        return "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"" + action + "\",\"Resource\":\"*\""
                + (outputType == null ? "" : ",\"Condition\":{\"StringEquals\":{\"" + ListAuthorizer.OUTPUT_TYPE_KEY
                + "\":\"" + outputType + "\"}}") + "}]}";
    }

    private static List<Long> oneTo(long n) {
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    private static Utterance utterance(String id, String transcriptId, String words, long begin) {
        return new Utterance(id, transcriptId, "CUSTOMER", "CUSTOMER", words, begin, begin + 400);
    }

    private static Segment transcript(String id, String content) {
        return Samples.v1("{\"Transcript\":{\"Id\":\"" + id + "\",\"ParticipantId\":\"CUSTOMER\",\"ParticipantRole\":\"CUSTOMER\","
                + "\"Content\":\"" + content + "\",\"BeginOffsetMillis\":0,\"EndOffsetMillis\":1200}}");
    }

    private JsonNode only(String connectionId) {
        List<JsonNode> frames = posts.frames(connectionId);
        assertEquals(1, frames.size(), frames.toString());
        return frames.getFirst();
    }

    @Test
    void aVoiceSubscriberCatchesUpGoesLiveWithV1TokensAndEndsWithTheContact() {
        start(OutputType.Raw);
        append(OutputType.Raw, 3);
        subscribe("a", PRINCIPAL, voice(contact, ""));

        JsonNode subscribed = posts.frames("a").getFirst();
        assertEquals(List.of("Type", "InstanceId", "ContactId", "Operation", "OutputType", "Channel", "Status", "Partials"),
                fieldNames(subscribed), subscribed.toString());
        assertEquals(V1, subscribed.path("Operation").asText());
        assertEquals("Raw", subscribed.path("OutputType").asText());
        assertEquals("VOICE", subscribed.path("Channel").asText());
        assertFalse(subscribed.path("Partials").asBoolean(true));
        assertEquals(List.of(new Subscription("a", contact, OutputType.Raw, EnumSet.allOf(SegmentType.class), PRINCIPAL, 3,
                Operation.V1, false)), store.live(contact, OutputType.Raw), "live on V1's stream, holding its catch-up");

        append(OutputType.Raw, 2);
        pusher.fanOut(contact, Set.of(OutputType.Raw), soon());
        JsonNode live = posts.frames("a").get(2);
        assertEquals(List.of("Type", "InstanceId", "ContactId", "Operation", "OutputType", "Status", "Segments", "NextToken"),
                fieldNames(live));
        assertEquals("t-3", live.path("Segments").get(0).path("Segment").path("Transcript").path("Id").asText());
        assertTrue(live.path("Segments").get(0).path("Replaces").isMissingNode(), "no partials asked: no Replaces");
        contacts.close(contact, Channel.VOICE, ContactStatus.COMPLETED);
        pusher.fanOut(contact, Set.of(OutputType.Raw), soon());

        assertEquals(List.of("Subscribed", "Segments", "Segments", "End"), posts.types("a"));
        assertEquals(oneTo(5), posts.positions("a"));
        JsonNode end = posts.frames("a").getLast();
        assertEquals("COMPLETED", end.path("Status").asText());
        assertEquals(V1, end.path("Operation").asText());
        assertTrue(store.live(contact, OutputType.Raw).isEmpty(), "the subscription is over");

        // A frame's NextToken is a V1 list NextToken: it resumes after the frame's last segment.
        SegmentLister.Page rest = lister.list(new SegmentLister.Query(Operation.V1, contact, null,
                EnumSet.allOf(SegmentType.class), 100, posts.frames("a").get(1).path("NextToken").asText()), Access.all());
        assertEquals(List.of(3L, 4L), rest.segments().stream().map(s -> s.sequence()).toList());
        assertNull(rest.nextToken(), "everything was read");
    }

    @Test
    void aV1ListNextTokenResumesASubscriptionAndTheV1StreamChoiceIsRedacted() {
        start(OutputType.Raw, OutputType.Redacted);
        append(OutputType.Raw, 5);
        append(OutputType.Redacted, 5);
        SegmentLister.Page first = lister.list(new SegmentLister.Query(Operation.V1, contact, null,
                EnumSet.allOf(SegmentType.class), 2, null), Access.all());
        assertEquals(OutputType.Redacted, first.stream(), "the page says which stream V1 read");

        subscribe("a", PRINCIPAL, voice(contact, ",\"NextToken\":\"" + first.nextToken() + "\",\"MaxResults\":1"));
        assertEquals("Redacted", posts.frames("a").getFirst().path("OutputType").asText());
        assertEquals(List.of(3L, 4L, 5L), posts.positions("a"), "resumed where the list page ended; MaxResults ignored");
        assertEquals(List.of("t-7", "t-8", "t-9"), posts.frames("a").get(1).path("Segments").findValues("Transcript").stream()
                .map(t -> t.path("Id").asText()).toList(), "the Redacted stream");
        assertTrue(store.live(contact, OutputType.Raw).isEmpty());
        assertEquals(1, store.live(contact, OutputType.Redacted).size());
    }

    @Test
    void voiceAndChatKeepToTheirOperations() {
        ContactKey chat = Envelopes.newContact();
        contacts.open(chat, Channel.CHAT, Set.of(OutputType.Raw));
        subscribe("v1-on-chat", PRINCIPAL, voice(chat, ""));
        JsonNode error = only("v1-on-chat");
        assertEquals("InvalidRequestException", error.path("ErrorType").asText());
        assertEquals(V1 + " supports VOICE contacts; contact " + chat.contactId() + " is a CHAT contact.",
                error.path("Message").asText(), "the error the V1 list gives");
        assertEquals(V1, error.path("Operation").asText());

        start(OutputType.Raw);
        subscribe("v2-on-voice", PRINCIPAL, "{\"action\":\"subscribe\",\"InstanceId\":\"" + contact.instanceId()
                + "\",\"ContactId\":\"" + contact.contactId() + "\",\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"]}");
        JsonNode v2 = only("v2-on-voice");
        assertEquals("ListRealtimeContactAnalysisSegmentsV2 supports CHAT contacts; contact " + contact.contactId()
                + " is a VOICE contact.", v2.path("Message").asText(), "today's error");
        assertTrue(v2.path("Operation").isMissingNode(), "a chat subscription's frames are as they were");
    }

    @Test
    void aVoiceSubscriptionIsAuthorizedAsTheV1ActionWithItsOutputTypeCondition() {
        start(OutputType.Raw);
        append(OutputType.Raw, 2);
        // Allowed V2 only: V1 is another action.
        policy(PRINCIPAL, allow(ListAuthorizer.V2_ACTION, null));
        subscribe("v2-only", PRINCIPAL, voice(contact, ""));
        JsonNode denied = only("v2-only");
        assertEquals("AccessDeniedException", denied.path("ErrorType").asText());
        assertEquals("User: " + PRINCIPAL + " is not authorized to perform: " + ListAuthorizer.V1_ACTION + " on resource: "
                + Access.DEPLOYMENT.contactArn(contact), denied.path("Message").asText());

        // Allowed V1 on Redacted only: this contact's V1 stream is Raw.
        policy(PRINCIPAL, allow(ListAuthorizer.V1_ACTION, "Redacted"));
        subscribe("redacted-only", PRINCIPAL, voice(contact, ""));
        assertEquals("AccessDeniedException", only("redacted-only").path("ErrorType").asText());

        // Allowed V1 on Raw: served, and the fan-out authorizes it again as V1 (a V2 check would refuse it).
        policy(PRINCIPAL, allow(ListAuthorizer.V1_ACTION, "Raw"));
        subscribe("raw", PRINCIPAL, voice(contact, ""));
        append(OutputType.Raw, 1);
        pusher.fanOut(contact, Set.of(OutputType.Raw), soon());
        assertEquals(List.of("Subscribed", "Segments", "Segments"), posts.types("raw"));
        assertEquals(oneTo(3), posts.positions("raw"));

        // Revoked: an Error frame naming the voice subscription, and nothing more.
        policy(PRINCIPAL, allow(ListAuthorizer.V1_ACTION, "Redacted"));
        append(OutputType.Raw, 1);
        pusher.fanOut(contact, Set.of(OutputType.Raw), soon());
        JsonNode revoked = posts.frames("raw").getLast();
        assertEquals(List.of("Error", "AccessDeniedException", V1, "Raw"), List.of(revoked.path("Type").asText(),
                revoked.path("ErrorType").asText(), revoked.path("Operation").asText(), revoked.path("OutputType").asText()));
        assertTrue(store.live(contact, OutputType.Raw).isEmpty());
    }

    @Test
    void aDeniedCallerLearnsNothingOfWhetherTheContactExists() {
        start(OutputType.Raw, OutputType.Redacted);
        ContactKey missing = new ContactKey(contact.instanceId(), "missing-" + contact.contactId());
        // May read Raw only: V1 would read this contact's Redacted stream, and a missing contact could have had either.
        policy(OTHER, allow(ListAuthorizer.V1_ACTION, "Raw"));
        subscribe("existing", OTHER, voice(contact, ""));
        subscribe("missing", OTHER, voice(missing, ""));
        String existing = Envelopes.text(only("existing")).replace(contact.contactId(), "<contact>");
        String absent = Envelopes.text(only("missing")).replace(missing.contactId(), "<contact>");
        assertEquals(existing, absent);
        assertTrue(existing.contains("AccessDeniedException"), existing);

        // Denied V1 entirely: the same.
        policy(OTHER, DENY_ALL);
        subscribe("existing-2", OTHER, voice(contact, ""));
        subscribe("missing-2", OTHER, voice(missing, ""));
        assertEquals(Envelopes.text(only("existing-2")).replace(contact.contactId(), "<contact>"),
                Envelopes.text(only("missing-2")).replace(missing.contactId(), "<contact>"));
    }

    @Test
    void theOperationAndPartialsMembersAreValidated() {
        start(OutputType.Raw);
        String chat = "\"InstanceId\":\"" + contact.instanceId() + "\",\"ContactId\":\"" + contact.contactId()
                + "\",\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"]";
        String allowed = "Operation must be one of [ListRealtimeContactAnalysisSegments, ListRealtimeContactAnalysisSegmentsV2]"
                + " (absent: ListRealtimeContactAnalysisSegmentsV2).";
        String partialsOnlyVoice = "Partials applies to voice subscriptions (Operation ListRealtimeContactAnalysisSegments).";
        Map<String, String> refusals = Map.of(
                "{\"action\":\"subscribe\",\"Operation\":\"ListRealtimeContactAnalysisSegmentsV3\"," + chat + "}", allowed,
                "{\"action\":\"subscribe\",\"Operation\":1," + chat + "}", allowed,
                "{\"action\":\"subscribe\",\"Partials\":true," + chat + "}", partialsOnlyVoice,
                "{\"action\":\"subscribe\",\"Operation\":\"ListRealtimeContactAnalysisSegmentsV2\",\"Partials\":false," + chat + "}",
                partialsOnlyVoice,
                voice(contact, ",\"Partials\":\"true\""), "Partials must be a boolean.",
                "{\"action\":\"subscribe\",\"Operation\":\"" + V1 + "\",\"ContactId\":\"" + contact.contactId() + "\"}",
                "InstanceId is required.",
                voice(contact, ",\"NextToken\":\" \""), "NextToken must contain a non-whitespace character."); // V1's rule, not V2's
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            String id = "c" + refusal.getKey().hashCode();
            subscribe(id, PRINCIPAL, refusal.getKey());
            JsonNode error = only(id);
            assertEquals("InvalidRequestException", error.path("ErrorType").asText(), refusal.getKey());
            assertEquals(refusal.getValue(), error.path("Message").asText(), refusal.getKey());
        }
        assertTrue(store.live(contact, OutputType.Raw).isEmpty(), "nothing changed");

        // A message that is not UTF-8 is refused as such (not read with replacement characters).
        pusher.connected("latin1", PRINCIPAL);
        pusher.subscribe("latin1", voice(contact, ",\"x\":\"caf\u00e9\"").getBytes(StandardCharsets.ISO_8859_1), soon());
        JsonNode latin1 = only("latin1");
        assertEquals("InvalidRequestException", latin1.path("ErrorType").asText());
        assertTrue(latin1.path("Message").asText().contains("not valid UTF-8"), latin1.toString());
    }

    /** A voice subscribe whose handling failed is answered naming the voice subscription, its stream not chosen yet. */
    @Test
    void aFailedVoiceSubscribeIsAnsweredNamingItsOperation() {
        pusher.failed("a", voice(contact, ",\"OutputType\":\"Raw\"").getBytes(StandardCharsets.UTF_8),
                "InternalServiceException", "An internal error occurred");
        JsonNode error = only("a");
        assertEquals(List.of("Type", "InstanceId", "ContactId", "Operation", "ErrorType", "Message"), fieldNames(error));
        assertEquals(V1, error.path("Operation").asText());
    }

    @Test
    void partialsGoToLiveSubscribersThatAskedForThemAndTheFinalSaysWhatItReplaces() {
        start(OutputType.Raw);
        subscribeToPartials("partials", PRINCIPAL);
        subscribe("finals", PRINCIPAL, voice(contact, ",\"Partials\":false"));
        subscribeToPartials("revoked", OTHER);
        assertTrue(posts.frames("partials").getFirst().path("Partials").asBoolean());
        policy(OTHER, DENY_ALL);

        OpenTranscript open = new OpenTranscript(OutputType.Raw, "tr-1");
        contacts.keep(contact, Channel.VOICE, OutputType.Raw, List.of(utterance("u-2", "tr-1", "my card", 1400)));
        pusher.partialsChanged(contact, Set.of(open), soon());
        contacts.keep(contact, Channel.VOICE, OutputType.Raw, List.of(utterance("u-1", "tr-1", "hello", 1000),
                utterance("u-2", "tr-1", "my card", 1400)));
        pusher.partialsChanged(contact, Set.of(open), soon());

        List<JsonNode> partials = posts.frames("partials").stream().filter(f -> f.path("Type").asText().equals("Partial")).toList();
        assertEquals(2, partials.size(), posts.types("partials").toString());
        JsonNode latest = partials.getLast();
        assertEquals(List.of("Type", "InstanceId", "ContactId", "Operation", "OutputType", "TranscriptId", "ParticipantId",
                "ParticipantRole", "Content", "BeginOffsetMillis", "EndOffsetMillis", "Revision"), fieldNames(latest));
        assertEquals(List.of("tr-1", "my card", "1"), List.of(partials.getFirst().path("TranscriptId").asText(),
                partials.getFirst().path("Content").asText(), partials.getFirst().path("Revision").asText()));
        assertEquals(List.of("tr-1", "hello my card", "2", "1000", "1800", "CUSTOMER", "Raw", V1),
                List.of(latest.path("TranscriptId").asText(), latest.path("Content").asText(), latest.path("Revision").asText(),
                        latest.path("BeginOffsetMillis").asText(), latest.path("EndOffsetMillis").asText(),
                        latest.path("ParticipantRole").asText(), latest.path("OutputType").asText(), latest.path("Operation").asText()));
        assertEquals(List.of("Subscribed"), posts.types("finals"), "no partials to a subscriber that did not ask");
        assertEquals(List.of("Subscribed", "Error"), posts.types("revoked"), "a revoked subscriber gets its refusal, no words");
        assertEquals(List.of("finals", "partials"), store.live(contact, OutputType.Raw).stream().map(Subscription::connectionId)
                .sorted().toList());

        // The final: its entry names the partial it replaces, for the subscriber with partials only.
        contacts.append(contact, Channel.VOICE, OutputType.Raw, "final", List.of(transcript("tr-1", "Hello, my card."),
                Samples.v1(Samples.V1_CATEGORIES)));
        pusher.fanOut(contact, Set.of(OutputType.Raw), soon());
        JsonNode entries = posts.frames("partials").getLast().path("Segments");
        assertEquals("tr-1", entries.get(0).path("Replaces").asText());
        assertEquals(List.of("Position", "Replaces", "Segment"), fieldNames(entries.get(0)));
        assertTrue(entries.get(1).path("Replaces").isMissingNode(), "Categories replace nothing");
        assertTrue(posts.frames("finals").getLast().path("Segments").get(0).path("Replaces").isMissingNode());
    }

    @Test
    void partialsAreOnlyForTheirStreamsLiveSubscribersAndNotReadWhenNobodyAsked() {
        start(OutputType.Raw, OutputType.Redacted);
        subscribeToPartials("redacted", PRINCIPAL); // V1 serves the Redacted stream
        contacts.keep(contact, Channel.VOICE, OutputType.Raw, List.of(utterance("u-1", "tr-raw", "raw words", 0)));
        contacts.keep(contact, Channel.VOICE, OutputType.Redacted, List.of(utterance("u-1", "tr-red", "[PII] words", 0)));
        List<OpenTranscript> asked = new ArrayList<>();
        Pusher counting = new Pusher(lister, tokens, authorizer, store, posts, (key, transcript) -> {
            asked.add(transcript);
            return contacts.utterances(key, transcript);
        }, clock, clock::advance);
        counting.partialsChanged(contact, Set.of(new OpenTranscript(OutputType.Raw, "tr-raw"),
                new OpenTranscript(OutputType.Redacted, "tr-red")), soon());
        assertEquals(List.of(new OpenTranscript(OutputType.Redacted, "tr-red")), asked, "nobody listens to Raw's partials");
        assertEquals(List.of("Subscribed", "Partial"), posts.types("redacted"));
        assertEquals("[PII] words", posts.frames("redacted").getLast().path("Content").asText());
    }

    /**
     * Over for one transcript is over for the rest of the call: a revoked subscriber gets one refusal, a gone one is
     * forgotten and posted nothing more; a partial too large for a frame is not sent (its final will be, Omitted).
     */
    @Test
    void aSubscriberRevokedOrGoneIsOverForEveryTranscriptOfTheChangeAndAnOversizedPartialIsNotSent() {
        start(OutputType.Raw);
        subscribeToPartials("revoked", OTHER);
        subscribeToPartials("gone", PRINCIPAL);
        subscribeToPartials("kept", PRINCIPAL);
        policy(OTHER, DENY_ALL);
        posts.gone.add("gone");
        contacts.keep(contact, Channel.VOICE, OutputType.Raw, List.of(utterance("u-1", "tr-1", "one", 0),
                utterance("u-2", "tr-2", "two", 1000), utterance("u-3", "tr-3", "x".repeat(Frames.MAX_FRAME_BYTES), 2000)));
        pusher.partialsChanged(contact, new java.util.LinkedHashSet<>(List.of(new OpenTranscript(OutputType.Raw, "tr-1"),
                new OpenTranscript(OutputType.Raw, "tr-2"), new OpenTranscript(OutputType.Raw, "tr-3"))), soon());
        assertEquals(List.of("Subscribed", "Error"), posts.types("revoked"));
        assertEquals(1, posts.refused.get(), "one post to the gone connection");
        assertTrue(store.principal("gone").isEmpty(), "the gone connection is forgotten");
        assertEquals(List.of("tr-1", "tr-2"), posts.frames("kept").stream().filter(f -> f.path("Type").asText().equals("Partial"))
                .map(f -> f.path("TranscriptId").asText()).toList(), "no frame for the oversized partial");
        assertTrue(posts.largest("kept") <= Frames.MAX_FRAME_BYTES);
    }

    /** A Transcript too large for a frame comes Omitted, and still says what it replaces. */
    @Test
    void anOmittedFinalStillSaysWhatItReplaces() {
        start(OutputType.Raw);
        subscribeToPartials("partials", PRINCIPAL);
        contacts.append(contact, Channel.VOICE, OutputType.Raw, "large", List.of(transcript("tr-large", "x".repeat(130_000))));
        pusher.fanOut(contact, Set.of(OutputType.Raw), soon());
        JsonNode entry = posts.frames("partials").getLast().path("Segments").get(0);
        assertTrue(entry.path("Omitted").asBoolean(), entry.toString());
        assertEquals("tr-large", entry.path("Replaces").asText());
        SegmentLister.Page read = lister.list(new SegmentLister.Query(Operation.V1, contact, null,
                EnumSet.allOf(SegmentType.class), 1, entry.path("NextToken").asText()), Access.all());
        assertEquals("tr-large", Frames.replaces(read.segments().getFirst().segment()), "its token reads it with V1");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
