package dev.rtca.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.fixtures.Envelopes;
import dev.rtca.local.IamRuntime;
import dev.rtca.local.TestRuntime;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.connectcontactlens.model.ListRealtimeContactAnalysisSegmentsRequest;
import software.amazon.awssdk.services.connectcontactlens.model.ListRealtimeContactAnalysisSegmentsResponse;

/**
 * Voice contacts over the live API end to end on the local runtime: the Kinesis-free path of a real deployment (the
 * EventBridge writer keeps Utterances and appends Transcripts, the table's stream reaches the fan-out function through
 * the template's filter), a voice subscription's partials, its final Transcripts naming what they replace, its V1
 * NextTokens read by the Contact Lens SDK, and its authorization under the shipped policies.
 */
class VoiceLiveTest {
    private static final TestRuntime RUNTIME = TestRuntime.shared();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String INSTANCE = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";

    private static String voice(ContactKey contact, String more) {
        return "{\"action\":\"subscribe\",\"Operation\":\"ListRealtimeContactAnalysisSegments\",\"InstanceId\":\""
                + contact.instanceId() + "\",\"ContactId\":\"" + contact.contactId() + "\"" + more + "}";
    }

    private static void write(List<? extends JsonNode> segments, ContactKey contact) throws Exception {
        LiveProtocolTest.write(RUNTIME.runtime(), Envelopes.voiceSegments(contact, segments));
    }

    /** Frames until one that holds a Transcript entry (returned), collecting every frame on the way. */
    private static JsonNode untilTranscript(LiveClient client, List<JsonNode> seen) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode frame = client.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            seen.add(frame);
            if (frame.path("Type").asText().equals("Segments") && !frame.path("Segments").findValues("Transcript").isEmpty()) {
                return frame;
            }
        }
    }

    /** Partial frames until one of this Revision (returned); none of a higher one comes before it. */
    private static JsonNode untilRevision(LiveClient client, int revision) throws InterruptedException {
        while (true) {
            JsonNode partial = client.until("Partial", WAIT);
            assertTrue(partial.path("Revision").asInt() <= revision, partial.toString());
            if (partial.path("Revision").asInt() == revision) {
                return partial;
            }
        }
    }

    @Test
    void aVoiceCallIsPushedWithItsPartialsAndFinalsAndItsTokensAreV1s() throws Exception {
        ContactKey contact = new ContactKey(INSTANCE, "call-" + UUID.randomUUID());
        RUNTIME.store().open(contact, Channel.VOICE, Set.of(OutputType.Raw));
        write(List.of(Envelopes.v1Transcript("early", false)), contact);

        try (LiveClient partials = LiveClient.connect(LiveProtocolTest.live(RUNTIME.runtime()), Map.of());
             LiveClient finals = LiveClient.connect(LiveProtocolTest.live(RUNTIME.runtime()), Map.of())) {
            partials.send(voice(contact, ",\"Partials\":true"));
            finals.send(voice(contact, ""));
            JsonNode subscribed = partials.next(WAIT);
            assertEquals(List.of("Subscribed", "ListRealtimeContactAnalysisSegments", "Raw", "VOICE", "true"),
                    List.of(subscribed.path("Type").asText(), subscribed.path("Operation").asText(),
                            subscribed.path("OutputType").asText(), subscribed.path("Channel").asText(),
                            subscribed.path("Partials").asText()), subscribed.toString());
            partials.awaitSegments(1, WAIT);
            assertEquals("Subscribed", finals.next(WAIT).path("Type").asText());
            finals.awaitSegments(1, WAIT);
            // Its catch-up frame's NextToken is a V1 NextToken: the Contact Lens SDK reads on from it. (A live frame's is
            // too, as VoicePusherTest shows; here the other runtime a test may have started on this table can fan out,
            // and seal it with that runtime's own key.)
            String catchUpToken = finals.nextToken();
            ListRealtimeContactAnalysisSegmentsResponse rest = RUNTIME.contactLens().listRealtimeContactAnalysisSegments(
                    ListRealtimeContactAnalysisSegmentsRequest.builder().instanceId(contact.instanceId())
                            .contactId(contact.contactId()).nextToken(catchUpToken).build());
            assertTrue(rest.segments().isEmpty(), rest.toString());
            assertFalse(rest.nextToken() == null, "in progress: the call goes on");

            // The caller speaks: two Utterances, one event each, then the Transcript that closes them.
            write(List.of(Envelopes.v1Utterance("u-1", "live", "my card", 1000, 1400)), contact);
            JsonNode first = partials.until("Partial", WAIT);
            assertEquals(List.of("tr-live", "my card", "1"), List.of(first.path("TranscriptId").asText(),
                    first.path("Content").asText(), first.path("Revision").asText()), first.toString());
            write(List.of(Envelopes.v1Utterance("u-2", "live", "is broken", 1400, 1900)), contact);
            JsonNode second = untilRevision(partials, 2); // partials may repeat (at least once): the client keeps the highest
            assertEquals(List.of("my card is broken", "2", "1000", "1900"), List.of(second.path("Content").asText(),
                    second.path("Revision").asText(), second.path("BeginOffsetMillis").asText(),
                    second.path("EndOffsetMillis").asText()));

            write(List.of(Envelopes.v1Transcript("live", false)), contact);
            JsonNode fin = untilTranscript(partials, new ArrayList<>());
            assertEquals("tr-live", fin.path("Segments").get(0).path("Replaces").asText(), fin.toString());

            // Utterances and their Transcript in one event: kept, then appended; the final replaces the partial.
            write(List.of(Envelopes.v1Utterance("u-3", "both", "thank", 3000, 3300),
                    Envelopes.v1Transcript("both", false)), contact);
            List<JsonNode> seen = new ArrayList<>();
            JsonNode both = untilTranscript(partials, seen);
            assertEquals("tr-both", both.path("Segments").get(0).path("Replaces").asText());
            // (That the partial comes first is pinned by VoiceFanOutTest: here a second runtime a test may have started on
            // this table fans out too, and one may send the final before the other sends the partial.)
            assertTrue(seen.stream().filter(f -> f.path("Type").asText().equals("Partial"))
                    .allMatch(f -> f.path("TranscriptId").asText().equals("tr-both")), seen.toString());

            // The subscriber without partials got the finals only, without Replaces.
            finals.awaitSegments(3, WAIT);
            assertNull(finals.poll(Duration.ofMillis(300)), "nothing more for it");
            assertEquals(List.of("tr-early", "tr-live", "tr-both"), finals.segments().stream()
                    .map(s -> s.path("Transcript").path("Id").asText()).toList());
            assertEquals(0, partials.duplicates() + finals.duplicates());
        }
    }

    @Test
    void aV1ListNextTokenStartsASubscriptionWhereThePageEnded() throws Exception {
        ContactKey contact = new ContactKey(INSTANCE, "call-" + UUID.randomUUID());
        RUNTIME.store().open(contact, Channel.VOICE, Set.of(OutputType.Raw));
        write(List.of(Envelopes.v1Transcript("a", false), Envelopes.v1Transcript("b", false),
                Envelopes.v1Transcript("c", false)), contact);
        ListRealtimeContactAnalysisSegmentsResponse page = RUNTIME.contactLens().listRealtimeContactAnalysisSegments(
                ListRealtimeContactAnalysisSegmentsRequest.builder().instanceId(contact.instanceId())
                        .contactId(contact.contactId()).maxResults(2).build());
        try (LiveClient client = LiveClient.connect(LiveProtocolTest.live(RUNTIME.runtime()), Map.of())) {
            client.send(voice(contact, ",\"NextToken\":\"" + page.nextToken() + "\""));
            assertEquals("Subscribed", client.next(WAIT).path("Type").asText());
            JsonNode catchUp = client.next(WAIT);
            assertEquals(3, catchUp.path("Segments").get(0).path("Position").asLong(), catchUp.toString());
            assertEquals("tr-c", catchUp.path("Segments").get(0).path("Segment").path("Transcript").path("Id").asText());
        }
    }

    /**
     * Under the shipped policies: the V1 action with its OutputType condition decides, and a denied caller gets the same
     * frame for an existing and a missing contact.
     */
    @Test
    void aVoiceSubscriptionObeysTheV1ActionAndLeaksNoExistence() throws Exception {
        IamRuntime iam = IamRuntime.shared();
        URI live = URI.create(iam.endpoint().toString().replace("http:", "ws:") + "/live");
        ContactKey contact = new ContactKey(INSTANCE, "call-" + UUID.randomUUID());
        ContactKey missing = new ContactKey(INSTANCE, "call-" + UUID.randomUUID());
        RUNTIME.store().open(contact, Channel.VOICE, Set.of(OutputType.Raw));
        write(List.of(Envelopes.v1Transcript("a", false)), contact);

        // V2 only: the V1 action is not allowed.
        try (LiveClient v2Only = LiveClient.connect(live, LiveAuthorizationTest.signedHeaders(IamRuntime.V2_ONLY, live))) {
            v2Only.send(voice(contact, ""));
            JsonNode denied = v2Only.next(WAIT);
            assertEquals("AccessDeniedException", denied.path("ErrorType").asText(), denied.toString());
            assertTrue(denied.path("Message").asText().contains("perform: connect:ListRealtimeContactAnalysisSegments on"));
        }
        // The supervisor may read Redacted only; this call has Raw only. A missing call answers the same.
        try (LiveClient supervisor = LiveClient.connect(live, LiveAuthorizationTest.signedHeaders(IamRuntime.SUPERVISOR, live))) {
            supervisor.send(voice(contact, ""));
            String existing = supervisor.next(WAIT).toString().replace(contact.contactId(), "<contact>");
            supervisor.send(voice(missing, ""));
            String absent = supervisor.next(WAIT).toString().replace(missing.contactId(), "<contact>");
            assertEquals(existing, absent);
            assertTrue(existing.contains("AccessDeniedException"), existing);
        }
        // The QA analyst reads Raw.
        try (LiveClient qa = LiveClient.connect(live, LiveAuthorizationTest.signedHeaders(IamRuntime.QA_ANALYST, live))) {
            qa.send(voice(contact, ""));
            assertEquals("Subscribed", qa.next(WAIT).path("Type").asText());
            qa.awaitSegments(1, WAIT);
            assertEquals("tr-a", qa.segments().getFirst().path("Transcript").path("Id").asText());
        }
    }
}
