package dev.rtca.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.fixtures.Samples;
import dev.rtca.local.LocalRuntime;
import dev.rtca.local.TestRuntime;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.Segment;
import dev.rtca.store.DynamoContactStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.connectcontactlens.ConnectContactLensClient;
import software.amazon.awssdk.services.connectcontactlens.model.InternalServiceException;
import software.amazon.awssdk.services.connectcontactlens.model.InvalidRequestException;
import software.amazon.awssdk.services.connectcontactlens.model.ListRealtimeContactAnalysisSegmentsRequest;
import software.amazon.awssdk.services.connectcontactlens.model.ListRealtimeContactAnalysisSegmentsResponse;
import software.amazon.awssdk.services.connectcontactlens.model.ResourceNotFoundException;
import software.amazon.awssdk.services.connectcontactlens.model.SentimentValue;
import software.amazon.awssdk.services.connectcontactlens.model.ThrottlingException;

/** The official {@code ConnectContactLensClient} against the local runtime (voice contacts, V1 shapes). */
class ListSegmentsV1ContractTest {
    private static final TestRuntime RUNTIME = TestRuntime.shared();

    private final DynamoContactStore store = RUNTIME.store();
    private final ConnectContactLensClient lens = RUNTIME.contactLens();
    private final String instance = "instance-" + UUID.randomUUID();

    private ContactKey voiceContact(Set<OutputType> outputs) {
        ContactKey key = new ContactKey(instance, "call-" + UUID.randomUUID());
        store.open(key, Channel.VOICE, outputs);
        return key;
    }

    private static ListRealtimeContactAnalysisSegmentsRequest.Builder request(ContactKey key) {
        return ListRealtimeContactAnalysisSegmentsRequest.builder().instanceId(key.instanceId()).contactId(key.contactId());
    }

    private static List<JsonNode> decoded(Iterable<ListRealtimeContactAnalysisSegmentsResponse> pages) {
        List<JsonNode> out = new ArrayList<>();
        pages.forEach(page -> page.segments().forEach(s -> out.add(SdkJson.of(s))));
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 100})
    void paginatorDrainsACompletedCallInOrder(int maxResults) {
        ContactKey key = voiceContact(Set.of(OutputType.Raw));
        List<Segment> written = IntStream.range(0, 25).mapToObj(Samples::v1Transcript).toList();
        store.append(key, Channel.VOICE, OutputType.Raw, "a", written.subList(0, 10));
        store.append(key, Channel.VOICE, OutputType.Raw, "b", written.subList(10, 25));
        store.close(key, Channel.VOICE, ContactStatus.COMPLETED);

        List<ListRealtimeContactAnalysisSegmentsResponse> pages = new ArrayList<>();
        lens.listRealtimeContactAnalysisSegmentsPaginator(request(key).maxResults(maxResults).build()).forEach(pages::add);

        assertEquals(Samples.wire(written), decoded(pages));
        assertTrue(pages.stream().allMatch(p -> p.segments().size() <= maxResults));
        // The paginator stops on the first page without a token: it must be the page that drained the contact.
        assertEquals((int) Math.ceil(25.0 / maxResults), pages.size(), "no page past the last segment, none short of it");
    }

    @Test
    void everyV1SegmentTypeRoundTripsMemberForMember() {
        ContactKey key = voiceContact(Set.of(OutputType.Raw));
        List<Segment> written = List.of(Samples.v1(Samples.V1_TRANSCRIPT), Samples.v1(Samples.V1_CATEGORIES), Samples.v1(Samples.V1_SUMMARY));
        store.append(key, Channel.VOICE, OutputType.Raw, "all", written);

        ListRealtimeContactAnalysisSegmentsResponse page = lens.listRealtimeContactAnalysisSegments(request(key).build());

        assertEquals(Samples.wire(written), decoded(List.of(page)));
        assertEquals(SentimentValue.NEGATIVE, page.segments().get(0).transcript().sentiment());
        assertEquals(19010, page.segments().get(1).categories().matchedDetails().get("CreditCardRelated").pointsOfInterest().get(0).beginOffsetMillis());
    }

    @Test
    void extractedInformationIsServedAndThisSdkSkipsItsMembers() {
        ContactKey key = voiceContact(Set.of(OutputType.Raw));
        store.append(key, Channel.VOICE, OutputType.Raw, "x", List.of(Samples.v1(Samples.V1_EXTRACTED), Samples.v1(Samples.V1_SUMMARY)));
        ListRealtimeContactAnalysisSegmentsResponse page = lens.listRealtimeContactAnalysisSegments(request(key).build());
        assertEquals(2, page.segments().size());
        assertEquals(Samples.tree("{}"), SdkJson.of(page.segments().get(0)), "SDK 2.40.2 predates V1 ExtractedInformation");
        assertEquals(Samples.tree(Samples.v1(Samples.V1_SUMMARY).json()), SdkJson.of(page.segments().get(1)));
    }

    @Test
    void readsTheRedactedStreamWhenTheContactHasOne() {
        ContactKey key = voiceContact(Set.of(OutputType.Raw, OutputType.Redacted));
        Segment raw = Samples.v1("{\"Transcript\":{\"Id\":\"t\",\"ParticipantId\":\"CUSTOMER\",\"ParticipantRole\":\"CUSTOMER\","
                + "\"Content\":\"my number is 555 0100\",\"BeginOffsetMillis\":0,\"EndOffsetMillis\":900}}");
        Segment redacted = Samples.v1("{\"Transcript\":{\"Id\":\"t\",\"ParticipantId\":\"CUSTOMER\",\"ParticipantRole\":\"CUSTOMER\","
                + "\"Content\":\"my number is [PII]\",\"BeginOffsetMillis\":0,\"EndOffsetMillis\":900}}");
        store.append(key, Channel.VOICE, OutputType.Raw, "raw", List.of(raw));
        store.append(key, Channel.VOICE, OutputType.Redacted, "redacted", List.of(redacted));
        assertEquals(Samples.wire(List.of(redacted)), decoded(List.of(lens.listRealtimeContactAnalysisSegments(request(key).build()))));

        ContactKey rawOnly = voiceContact(Set.of(OutputType.Raw));
        store.append(rawOnly, Channel.VOICE, OutputType.Raw, "raw", List.of(raw));
        assertEquals(Samples.wire(List.of(raw)), decoded(List.of(lens.listRealtimeContactAnalysisSegments(request(rawOnly).build()))));
    }

    @Test
    void pollingWithAHeldTokenSeesOnlyNewSegmentsUntilCompleted() {
        ContactKey key = voiceContact(Set.of(OutputType.Raw));
        store.append(key, Channel.VOICE, OutputType.Raw, "1", List.of(Samples.v1Transcript(1)));
        ListRealtimeContactAnalysisSegmentsResponse first = lens.listRealtimeContactAnalysisSegments(request(key).build());
        assertEquals(1, first.segments().size());
        assertNotNull(first.nextToken());

        ListRealtimeContactAnalysisSegmentsResponse idle = lens.listRealtimeContactAnalysisSegments(request(key).nextToken(first.nextToken()).build());
        assertEquals(0, idle.segments().size());
        assertNotEquals(first.nextToken(), idle.nextToken());

        List<Segment> later = List.of(Samples.v1Transcript(2), Samples.v1Transcript(3));
        store.append(key, Channel.VOICE, OutputType.Raw, "2", later);
        store.close(key, Channel.VOICE, ContactStatus.COMPLETED);
        ListRealtimeContactAnalysisSegmentsResponse last = lens.listRealtimeContactAnalysisSegments(request(key).nextToken(idle.nextToken()).build());
        assertEquals(Samples.wire(later), decoded(List.of(last)));
        assertNull(last.nextToken());
    }

    @Test
    void errorsArriveAsTypedExceptions() {
        assertEquals(404, assertThrows(ResourceNotFoundException.class,
                () -> lens.listRealtimeContactAnalysisSegments(request(new ContactKey(instance, "nobody")).build())).statusCode());

        ContactKey chat = new ContactKey(instance, "chat-" + UUID.randomUUID());
        store.open(chat, Channel.CHAT, Set.of(OutputType.Raw));
        assertEquals(400, assertThrows(InvalidRequestException.class,
                () -> lens.listRealtimeContactAnalysisSegments(request(chat).build())).statusCode());

        ContactKey key = voiceContact(Set.of(OutputType.Raw));
        assertThrows(InvalidRequestException.class, () -> lens.listRealtimeContactAnalysisSegments(request(key).maxResults(0).build()));
        assertThrows(InvalidRequestException.class, () -> lens.listRealtimeContactAnalysisSegments(request(key).nextToken("   ").build()));
        assertThrows(InvalidRequestException.class, () -> lens.listRealtimeContactAnalysisSegments(request(key).contactId(" ").build()));

        try (LocalRuntime throttled = RUNTIME.startThrottled();
             ConnectContactLensClient client = TestRuntime.contactLens(throttled.endpoint(), "AKID", 1)) {
            client.listRealtimeContactAnalysisSegments(request(key).build());
            assertEquals(429, assertThrows(ThrottlingException.class,
                    () -> client.listRealtimeContactAnalysisSegments(request(key).build())).statusCode());
        }

        RUNTIME.corruptContact(key);
        try (ConnectContactLensClient once = TestRuntime.contactLens(RUNTIME.endpoint(), TestRuntime.ACCESS_KEY, 1)) {
            assertEquals(500, assertThrows(InternalServiceException.class,
                    () -> once.listRealtimeContactAnalysisSegments(request(key).build())).statusCode());
        }
    }
}
