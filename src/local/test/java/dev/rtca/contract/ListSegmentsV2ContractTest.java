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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.connect.model.InternalServiceException;
import software.amazon.awssdk.services.connect.model.InvalidRequestException;
import software.amazon.awssdk.services.connect.model.ListRealtimeContactAnalysisSegmentsV2Request;
import software.amazon.awssdk.services.connect.model.ListRealtimeContactAnalysisSegmentsV2Response;
import software.amazon.awssdk.services.connect.model.OutputTypeNotFoundException;
import software.amazon.awssdk.services.connect.model.RealTimeContactAnalysisOutputType;
import software.amazon.awssdk.services.connect.model.RealTimeContactAnalysisSegmentType;
import software.amazon.awssdk.services.connect.model.RealTimeContactAnalysisStatus;
import software.amazon.awssdk.services.connect.model.RealTimeContactAnalysisSupportedChannel;
import software.amazon.awssdk.services.connect.model.RealtimeContactAnalysisSegment;
import software.amazon.awssdk.services.connect.model.ResourceNotFoundException;
import software.amazon.awssdk.services.connect.model.ThrottlingException;

/**
 * The official {@code ConnectClient} (AWS SDK for Java v2) against the local runtime, over data written by
 * the store's append: paging, union decoding, timestamps, polling and every modelled error.
 */
class ListSegmentsV2ContractTest {
    private static final TestRuntime RUNTIME = TestRuntime.shared();
    private static final List<RealTimeContactAnalysisSegmentType> ALL_SDK_TYPES = List.of(
            RealTimeContactAnalysisSegmentType.TRANSCRIPT, RealTimeContactAnalysisSegmentType.CATEGORIES,
            RealTimeContactAnalysisSegmentType.ISSUES, RealTimeContactAnalysisSegmentType.EVENT,
            RealTimeContactAnalysisSegmentType.ATTACHMENTS, RealTimeContactAnalysisSegmentType.POST_CONTACT_SUMMARY);

    private final DynamoContactStore store = RUNTIME.store();
    private final ConnectClient connect = RUNTIME.connect();
    private final String instance = "instance-" + UUID.randomUUID();

    private ContactKey chatContact(Set<OutputType> outputs) {
        ContactKey key = new ContactKey(instance, "contact-" + UUID.randomUUID());
        store.open(key, Channel.CHAT, outputs);
        return key;
    }

    private ListRealtimeContactAnalysisSegmentsV2Request.Builder request(ContactKey key) {
        return ListRealtimeContactAnalysisSegmentsV2Request.builder()
                .instanceId(key.instanceId()).contactId(key.contactId())
                .outputType(RealTimeContactAnalysisOutputType.RAW)
                .segmentTypes(ALL_SDK_TYPES);
    }

    private List<Segment> appendMixed(ContactKey key, OutputType stream, int count) {
        List<Segment> segments = IntStream.range(0, count)
                .mapToObj(i -> i % 3 == 2 ? Samples.v2Event(i) : Samples.v2Transcript(i, i % 2 == 0 ? "AGENT" : "CUSTOMER"))
                .toList();
        // Several events of uneven size, as a stream delivers them.
        int at = 0;
        for (int size : new int[] {1, 5, 17, 2}) {
            int end = Math.min(segments.size(), at + size);
            if (at < end) {
                store.append(key, Channel.CHAT, stream, "event-" + at, segments.subList(at, end));
            }
            at = end;
        }
        if (at < segments.size()) {
            store.append(key, Channel.CHAT, stream, "event-rest", segments.subList(at, segments.size()));
        }
        return segments;
    }

    private static List<JsonNode> decoded(Iterable<ListRealtimeContactAnalysisSegmentsV2Response> pages) {
        List<JsonNode> out = new ArrayList<>();
        for (ListRealtimeContactAnalysisSegmentsV2Response page : pages) {
            page.segments().forEach(s -> out.add(SdkJson.of(s)));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 100})
    void paginatorDrainsACompletedContactInOrder(int maxResults) {
        ContactKey key = chatContact(Set.of(OutputType.Raw));
        List<Segment> written = appendMixed(key, OutputType.Raw, 30);
        store.close(key, Channel.CHAT, ContactStatus.COMPLETED);

        List<ListRealtimeContactAnalysisSegmentsV2Response> pages = new ArrayList<>();
        connect.listRealtimeContactAnalysisSegmentsV2Paginator(request(key).maxResults(maxResults).build()).forEach(pages::add);

        assertEquals(Samples.wire(written), decoded(pages));
        assertTrue(pages.stream().allMatch(p -> p.segments().size() <= maxResults));
        // The paginator stops on the first page without a token: it must be the page that drained the contact.
        assertEquals((int) Math.ceil(30.0 / maxResults), pages.size(), "no page past the last segment, none short of it");
        pages.forEach(p -> {
            assertEquals(RealTimeContactAnalysisSupportedChannel.CHAT, p.channel());
            assertEquals(RealTimeContactAnalysisStatus.COMPLETED, p.status());
        });
    }

    @Test
    void everySegmentTypeRoundTripsMemberForMember() {
        ContactKey key = chatContact(Set.of(OutputType.Raw));
        List<Segment> written = Samples.V2_SDK_KNOWN.stream().map(Samples::v2).toList();
        store.append(key, Channel.CHAT, OutputType.Raw, "all-types", written);
        store.close(key, Channel.CHAT, ContactStatus.COMPLETED);

        ListRealtimeContactAnalysisSegmentsV2Response page = connect.listRealtimeContactAnalysisSegmentsV2(request(key).build());

        assertEquals(Samples.wire(written), decoded(List.of(page)));
        List<RealtimeContactAnalysisSegment.Type> types = page.segments().stream().map(RealtimeContactAnalysisSegment::type).toList();
        assertEquals(List.of(RealtimeContactAnalysisSegment.Type.TRANSCRIPT, RealtimeContactAnalysisSegment.Type.CATEGORIES,
                RealtimeContactAnalysisSegment.Type.ISSUES, RealtimeContactAnalysisSegment.Type.EVENT,
                RealtimeContactAnalysisSegment.Type.ATTACHMENTS, RealtimeContactAnalysisSegment.Type.POST_CONTACT_SUMMARY), types);
        assertEquals("2024-03-14T19:39:26.715Z", page.segments().get(0).transcript().time().absoluteTime().toString());
    }

    @Test
    void extractedInformationIsServedToNewerClientsAndUnknownToThisSdk() throws Exception {
        ContactKey key = chatContact(Set.of(OutputType.Raw));
        store.append(key, Channel.CHAT, OutputType.Raw, "x", List.of(Samples.v2(Samples.V2_EXTRACTED), Samples.v2(Samples.V2_SUMMARY)));

        ListRealtimeContactAnalysisSegmentsV2Response page = connect.listRealtimeContactAnalysisSegmentsV2(request(key)
                .segmentTypesWithStrings("ExtractedInformation").build());
        assertEquals(1, page.segments().size());
        assertEquals(RealtimeContactAnalysisSegment.Type.UNKNOWN_TO_SDK_VERSION, page.segments().get(0).type());

        // On the wire the member is exactly what was ingested (a newer SDK decodes it).
        HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(RUNTIME.endpoint() + "/contact/list-real-time-analysis-segments-v2/" + key.instanceId() + "/" + key.contactId()))
                .header("Content-Type", "application/json")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + TestRuntime.ACCESS_KEY + "/20260101/us-east-1/connect/aws4_request")
                .POST(HttpRequest.BodyPublishers.ofString("{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"ExtractedInformation\"]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, raw.statusCode());
        assertEquals(Samples.tree(Samples.v2(Samples.V2_EXTRACTED).json()), Samples.tree(raw.body()).path("Segments").get(0));
    }

    @Test
    void segmentTypesSelectASubsetAndStillFillPages() {
        ContactKey key = chatContact(Set.of(OutputType.Raw));
        List<Segment> written = appendMixed(key, OutputType.Raw, 45);
        store.close(key, Channel.CHAT, ContactStatus.COMPLETED);
        List<Segment> events = written.stream().filter(s -> s.type() == dev.rtca.segments.SegmentType.Event).toList();

        List<ListRealtimeContactAnalysisSegmentsV2Response> pages = new ArrayList<>();
        connect.listRealtimeContactAnalysisSegmentsV2Paginator(request(key).maxResults(4)
                .segmentTypes(RealTimeContactAnalysisSegmentType.EVENT).build()).forEach(pages::add);

        assertEquals(Samples.wire(events), decoded(pages));
        // Filtering happens before the page is cut: every page but the last is full.
        pages.subList(0, pages.size() - 1).forEach(p -> assertEquals(4, p.segments().size()));
    }

    @Test
    void rawAndRedactedAreSeparateStreams() {
        ContactKey key = chatContact(Set.of(OutputType.Raw, OutputType.Redacted));
        Segment raw = Samples.v2("{\"Transcript\":{\"Id\":\"t1\",\"ParticipantId\":\"p\",\"ParticipantRole\":\"CUSTOMER\","
                + "\"Content\":\"My card is 4111 1111 1111 1111\",\"Time\":{\"AbsoluteTime\":\"2024-03-14T19:39:26.715Z\"}}}");
        Segment redacted = Samples.v2("{\"Transcript\":{\"Id\":\"t1\",\"ParticipantId\":\"p\",\"ParticipantRole\":\"CUSTOMER\","
                + "\"Content\":\"My card is [PII]\",\"Time\":{\"AbsoluteTime\":\"2024-03-14T19:39:26.715Z\"},"
                + "\"Redaction\":{\"CharacterOffsets\":[{\"BeginOffsetChar\":11,\"EndOffsetChar\":16}]}}}");
        store.append(key, Channel.CHAT, OutputType.Raw, "raw", List.of(raw));
        store.append(key, Channel.CHAT, OutputType.Redacted, "redacted", List.of(redacted));

        assertEquals(Samples.wire(List.of(raw)), decoded(List.of(connect.listRealtimeContactAnalysisSegmentsV2(request(key).build()))));
        assertEquals(Samples.wire(List.of(redacted)), decoded(List.of(connect.listRealtimeContactAnalysisSegmentsV2(
                request(key).outputType(RealTimeContactAnalysisOutputType.REDACTED).build()))));
    }

    @Test
    void aHeldTokenReturnsExactlyTheSegmentsAppendedSinceWhileInProgress() {
        ContactKey key = chatContact(Set.of(OutputType.Raw));
        store.append(key, Channel.CHAT, OutputType.Raw, "first", List.of(Samples.v2Transcript(1, "AGENT"), Samples.v2Transcript(2, "CUSTOMER")));

        ListRealtimeContactAnalysisSegmentsV2Response first = connect.listRealtimeContactAnalysisSegmentsV2(request(key).build());
        assertEquals(2, first.segments().size());
        assertEquals(RealTimeContactAnalysisStatus.IN_PROGRESS, first.status());
        assertNotNull(first.nextToken(), "IN_PROGRESS keeps a NextToken even when nothing is new");

        ListRealtimeContactAnalysisSegmentsV2Response idle = connect.listRealtimeContactAnalysisSegmentsV2(
                request(key).nextToken(first.nextToken()).build());
        assertEquals(List.of(), idle.segments());
        assertNotNull(idle.nextToken());
        assertNotEquals(first.nextToken(), idle.nextToken(), "a token is never the same string twice in a row");

        List<Segment> later = List.of(Samples.v2Transcript(3, "AGENT"), Samples.v2Event(4), Samples.v2Transcript(5, "CUSTOMER"));
        store.append(key, Channel.CHAT, OutputType.Raw, "later", later);
        ListRealtimeContactAnalysisSegmentsV2Response next = connect.listRealtimeContactAnalysisSegmentsV2(
                request(key).nextToken(idle.nextToken()).build());
        assertEquals(Samples.wire(later), decoded(List.of(next)));

        store.close(key, Channel.CHAT, ContactStatus.COMPLETED);
        ListRealtimeContactAnalysisSegmentsV2Response end = connect.listRealtimeContactAnalysisSegmentsV2(
                request(key).nextToken(next.nextToken()).build());
        assertEquals(List.of(), end.segments());
        assertEquals(RealTimeContactAnalysisStatus.COMPLETED, end.status());
        assertNull(end.nextToken(), "COMPLETED and drained: no NextToken");
    }

    @Test
    void failedContactAlsoEndsThePaginator() {
        ContactKey key = chatContact(Set.of(OutputType.Raw));
        List<Segment> written = appendMixed(key, OutputType.Raw, 5);
        store.close(key, Channel.CHAT, ContactStatus.FAILED);
        List<ListRealtimeContactAnalysisSegmentsV2Response> pages = new ArrayList<>();
        connect.listRealtimeContactAnalysisSegmentsV2Paginator(request(key).maxResults(2).build()).forEach(pages::add);
        assertEquals(Samples.wire(written), decoded(pages));
        assertEquals(RealTimeContactAnalysisStatus.FAILED, pages.get(0).status());
    }

    @Test
    void unknownContactIsResourceNotFound() {
        ResourceNotFoundException e = assertThrows(ResourceNotFoundException.class, () -> connect.listRealtimeContactAnalysisSegmentsV2(
                request(new ContactKey(instance, "nobody")).build()));
        assertEquals(404, e.statusCode());
        assertTrue(e.awsErrorDetails().errorMessage().contains("nobody"));
    }

    @Test
    void missingOutputTypeIsOutputTypeNotFound() {
        ContactKey key = chatContact(Set.of(OutputType.Redacted));
        OutputTypeNotFoundException e = assertThrows(OutputTypeNotFoundException.class,
                () -> connect.listRealtimeContactAnalysisSegmentsV2(request(key).build()));
        assertEquals(404, e.statusCode());
    }

    @Test
    void voiceContactIsInvalidRequest() {
        ContactKey key = new ContactKey(instance, "voice-" + UUID.randomUUID());
        store.open(key, Channel.VOICE, Set.of(OutputType.Raw));
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> connect.listRealtimeContactAnalysisSegmentsV2(request(key).build()));
        assertEquals(400, e.statusCode());
        assertTrue(e.awsErrorDetails().errorMessage().contains("VOICE"));
    }

    @Test
    void constraintViolationsAndBadTokensAreInvalidRequest() {
        ContactKey key = chatContact(Set.of(OutputType.Raw));
        store.append(key, Channel.CHAT, OutputType.Raw, "e", List.of(Samples.v2Transcript(1, "AGENT")));
        assertThrows(InvalidRequestException.class, () -> connect.listRealtimeContactAnalysisSegmentsV2(request(key).maxResults(101).build()));
        assertThrows(InvalidRequestException.class, () -> connect.listRealtimeContactAnalysisSegmentsV2(request(key).nextToken("tampered").build()));
        String token = connect.listRealtimeContactAnalysisSegmentsV2(request(key).build()).nextToken();
        ContactKey other = chatContact(Set.of(OutputType.Raw));
        assertThrows(InvalidRequestException.class, () -> connect.listRealtimeContactAnalysisSegmentsV2(request(other).nextToken(token).build()),
                "a token is bound to its contact");
        assertThrows(InvalidRequestException.class, () -> connect.listRealtimeContactAnalysisSegmentsV2(request(key)
                .segmentTypes(RealTimeContactAnalysisSegmentType.EVENT).nextToken(token).build()), "and to its SegmentTypes");
    }

    @Test
    void stageThrottlingIsThrottlingException() {
        ContactKey key = chatContact(Set.of(OutputType.Raw));
        try (LocalRuntime throttled = RUNTIME.startThrottled();
             ConnectClient client = TestRuntime.connect(throttled.endpoint(), "AKID", 1)) {
            client.listRealtimeContactAnalysisSegmentsV2(request(key).build());
            ThrottlingException e = assertThrows(ThrottlingException.class, () -> client.listRealtimeContactAnalysisSegmentsV2(request(key).build()));
            assertEquals(429, e.statusCode());
        }
    }

    @Test
    void aCorruptItemIsInternalServiceExceptionWithoutInternals() {
        ContactKey key = chatContact(Set.of(OutputType.Raw));
        RUNTIME.corruptContact(key);
        try (ConnectClient once = TestRuntime.connect(RUNTIME.endpoint(), TestRuntime.ACCESS_KEY, 1)) {
            InternalServiceException e = assertThrows(InternalServiceException.class,
                    () -> once.listRealtimeContactAnalysisSegmentsV2(request(key).build()));
            assertEquals(500, e.statusCode());
            String message = e.awsErrorDetails().errorMessage();
            assertTrue(!message.contains("PIGEON") && !message.contains("Exception") && !message.contains("dev.rtca"), message);
        }
    }
}
