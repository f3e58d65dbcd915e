package dev.rtca.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtca.local.TestRuntime;
import dev.rtca.model.Json;
import dev.rtca.model.SegmentModel;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.Segment;
import dev.rtca.segments.SegmentLister;
import dev.rtca.store.DynamoContactStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.connect.model.ListRealtimeContactAnalysisSegmentsV2Response;
import software.amazon.awssdk.services.connectcontactlens.ConnectContactLensClient;
import software.amazon.awssdk.services.connectcontactlens.model.ListRealtimeContactAnalysisSegmentsResponse;

/**
 * Pages of the largest segments the models allow, through the official SDKs: the local runtime refuses a function
 * response over Lambda's 6 MB, as the deployed stack would fail it, so every page arriving proves its proxy response
 * fits. Pages are cut by bytes before MaxResults, with a NextToken, and together they return every segment once, in
 * order. Strings are full of {@code "}, which the proxy response escapes once more: the worst case for size.
 */
class PageSizeTest {
    private static final TestRuntime RUNTIME = TestRuntime.shared();
    private static final String QUOTES_256 = "\\\"".repeat(256);

    private final DynamoContactStore store = RUNTIME.store();

    private static String quotes(int n) {
        return "\\\"".repeat(n);
    }

    private static Segment v2(String json) {
        return SegmentModel.V2.parse(Json.tree(json.getBytes(StandardCharsets.UTF_8)), "segment").orElseThrow();
    }

    private static Segment v1(String json) {
        return SegmentModel.V1.parse(Json.tree(json.getBytes(StandardCharsets.UTF_8)), "segment").orElseThrow();
    }

    /** The largest segment {@code build(n)} makes that the model still accepts (at most its 300 KB). */
    private static Segment largest(IntFunction<String> build, java.util.function.Function<String, Segment> model) {
        int low = 1;
        int high = 1;
        while (fits(build.apply(high * 2), model)) {
            high *= 2;
            if (high > 1 << 22) {
                throw new IllegalStateException("the segment never reaches the model's size limit");
            }
        }
        high *= 2;
        while (high - low > 1) {
            int mid = (low + high) / 2;
            if (fits(build.apply(mid), model)) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return model.apply(build.apply(low));
    }

    private static boolean fits(String json, java.util.function.Function<String, Segment> model) {
        try {
            model.apply(json);
            return true;
        } catch (RuntimeException tooLarge) {
            return false;
        }
    }

    private static String times(int n, IntFunction<String> item) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append(i == 0 ? "" : ",").append(item.apply(i));
        }
        return out.toString();
    }

    private static final String TIME = "\"Time\":{\"AbsoluteTime\":\"2024-03-14T19:39:26.715Z\"}";

    /** One maximum-size V2 segment of each type the Java SDK knows. */
    private static List<Segment> largestV2() {
        return List.of(
                largest(n -> "{\"Transcript\":{\"Id\":\"" + QUOTES_256 + "\",\"ParticipantId\":\"" + QUOTES_256
                        + "\",\"ParticipantRole\":\"CUSTOMER\",\"DisplayName\":\"" + QUOTES_256 + "\",\"Content\":\"" + quotes(16_384)
                        + "\",\"ContentType\":\"" + QUOTES_256 + "\"," + TIME + ",\"Redaction\":{\"CharacterOffsets\":["
                        + times(n, i -> "{\"BeginOffsetChar\":" + i + ",\"EndOffsetChar\":" + (i + 1) + "}") + "]},\"Sentiment\":\"NEGATIVE\"}}",
                        PageSizeTest::v2),
                largest(n -> "{\"Categories\":{\"MatchedDetails\":{" + times(Math.min(n, 150), c -> "\"" + c + quotes(250)
                        + "\":{\"PointsOfInterest\":[" + times(5, p -> "{\"TranscriptItems\":[" + times(10, t -> "{\"Id\":\""
                        + QUOTES_256 + "\",\"CharacterOffsets\":{\"BeginOffsetChar\":1,\"EndOffsetChar\":2}}") + "]}") + "]}") + "}}}",
                        PageSizeTest::v2),
                largest(n -> "{\"Issues\":{\"IssuesDetected\":[" + times(n, i -> "{\"TranscriptItems\":[{\"Content\":\""
                        + quotes(16_384) + "\",\"Id\":\"" + QUOTES_256 + "\",\"CharacterOffsets\":{\"BeginOffsetChar\":0,"
                        + "\"EndOffsetChar\":16384}}]}") + "]}}", PageSizeTest::v2),
                v2("{\"Event\":{\"Id\":\"" + QUOTES_256 + "\",\"ParticipantId\":\"" + QUOTES_256 + "\",\"ParticipantRole\":\"AGENT\","
                        + "\"DisplayName\":\"" + QUOTES_256 + "\",\"EventType\":\"" + quotes(128) + "\"," + TIME + "}}"),
                v2("{\"Attachments\":{\"Id\":\"" + QUOTES_256 + "\",\"ParticipantId\":\"" + QUOTES_256 + "\",\"ParticipantRole\":\"AGENT\","
                        + "\"DisplayName\":\"" + QUOTES_256 + "\",\"Attachments\":[" + times(10, a -> "{\"AttachmentName\":\"" + QUOTES_256
                        + "\",\"ContentType\":\"" + quotes(255) + "\",\"AttachmentId\":\"" + QUOTES_256 + "\",\"Status\":\"APPROVED\"}")
                        + "]," + TIME + "}}"),
                v2("{\"PostContactSummary\":{\"Content\":\"" + quotes(1_270) + "\",\"Status\":\"FAILED\","
                        + "\"FailureCode\":\"INSUFFICIENT_CONVERSATION_CONTENT\"}}"));
    }

    /** One maximum-size V1 segment of each type the Java SDK knows. */
    private static List<Segment> largestV1() {
        return List.of(
                largest(n -> "{\"Transcript\":{\"Id\":\"" + QUOTES_256 + "\",\"ParticipantId\":\"" + QUOTES_256 + "\",\"ParticipantRole\":\""
                        + QUOTES_256 + "\",\"Content\":\"" + quotes(n) + "\",\"BeginOffsetMillis\":0,\"EndOffsetMillis\":1,"
                        + "\"Sentiment\":\"NEUTRAL\",\"IssuesDetected\":[" + times(20, i -> "{\"CharacterOffsets\":{\"BeginOffsetChar\":0,"
                        + "\"EndOffsetChar\":1}}") + "]}}", PageSizeTest::v1),
                v1("{\"Categories\":{\"MatchedCategories\":[" + times(150, c -> "\"" + c + quotes(250) + "\"")
                        + "],\"MatchedDetails\":{" + times(150, c -> "\"" + c + quotes(250) + "\":{\"PointsOfInterest\":["
                        + times(20, p -> "{\"BeginOffsetMillis\":1,\"EndOffsetMillis\":2}") + "]}") + "}}}"),
                v1("{\"PostContactSummary\":{\"Content\":\"" + quotes(1_762) + "\",\"Status\":\"COMPLETED\"}}"));
    }

    /**
     * Ten of each: the same largest segments again, appended without their Ids (the largest Id is the model's longest,
     * one for all; this test is about pages, and the stream would otherwise hold each Id once).
     */
    private static List<Segment> tenTimes(List<Segment> largest) {
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            largest.forEach(s -> segments.add(new Segment(s.type(), s.json())));
        }
        return segments;
    }

    private ContactKey contact(Channel channel, List<Segment> segments) {
        ContactKey key = new ContactKey("page-size-" + UUID.randomUUID(), "contact-" + UUID.randomUUID());
        store.open(key, channel, Set.of(OutputType.Raw));
        for (int at = 0; at < segments.size(); at += 20) {
            store.append(key, channel, OutputType.Raw, "e-" + at, segments.subList(at, Math.min(segments.size(), at + 20)));
        }
        store.close(key, channel, ContactStatus.COMPLETED);
        return key;
    }

    @Test
    void aHundredTranscriptsOfSixteenThousandQuotesComeInPagesThatFitLambda() {
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            segments.add(v2("{\"Transcript\":{\"Id\":\"t-" + i + "\",\"ParticipantId\":\"p\",\"ParticipantRole\":\"AGENT\","
                    + "\"Content\":\"" + quotes(16_384) + "\"," + TIME + "}}"));
        }
        ContactKey key = contact(Channel.CHAT, segments);
        List<ListRealtimeContactAnalysisSegmentsV2Response> pages = v2Pages(key, List.of("Transcript"));
        assertTrue(pages.size() >= 2, "3.3 MB of JSON, 6.6 MB escaped: more than one page");
        assertTrue(pages.get(0).segments().size() < 100 && pages.get(0).nextToken() != null, "a short page with a NextToken");
        List<String> ids = pages.stream().flatMap(p -> p.segments().stream()).map(s -> s.transcript().id()).toList();
        assertEquals(segments.stream().map(s -> Json.tree(s.json().getBytes(StandardCharsets.UTF_8))
                .path("Transcript").path("Id").asText()).toList(), ids, "every segment once, in order");
    }

    @Test
    void everyV2TypeAtItsLargestComesInPagesThatFitLambda() {
        List<Segment> segments = tenTimes(largestV2());
        ContactKey key = contact(Channel.CHAT, segments);
        List<ListRealtimeContactAnalysisSegmentsV2Response> pages = v2Pages(key,
                List.of("Transcript", "Categories", "Issues", "Event", "Attachments", "PostContactSummary"));
        assertEquals(segments.size(), pages.stream().mapToInt(p -> p.segments().size()).sum());
        assertTrue(pages.size() > 1 && pages.get(0).nextToken() != null, pages.size() + " pages: cut by bytes before MaxResults");
        assertEquals(sdkTypes(segments), pages.stream().flatMap(p -> p.segments().stream())
                .map(s -> s.type().toString()).toList(), "every segment once, in order");
    }

    @Test
    void everyV1TypeAtItsLargestComesInPagesThatFitLambda() {
        List<Segment> segments = tenTimes(largestV1());
        ContactKey key = contact(Channel.VOICE, segments);
        List<ListRealtimeContactAnalysisSegmentsResponse> pages = new ArrayList<>();
        try (ConnectContactLensClient lens = TestRuntime.contactLens(RUNTIME.endpoint(), TestRuntime.ACCESS_KEY, 1)) {
            lens.listRealtimeContactAnalysisSegmentsPaginator(r -> r.instanceId(key.instanceId()).contactId(key.contactId())
                    .maxResults(100)).forEach(pages::add);
        }
        assertEquals(segments.size(), pages.stream().mapToInt(p -> p.segments().size()).sum());
        assertTrue(pages.size() > 1, pages.size() + " pages: cut by bytes before MaxResults");
        List<String> types = pages.stream().flatMap(p -> p.segments().stream())
                .map(s -> s.transcript() != null ? "Transcript" : s.categories() != null ? "Categories" : "PostContactSummary").toList();
        assertEquals(segments.stream().map(s -> s.type().name()).toList(), types, "every segment once, in order");
    }

    private static List<String> sdkTypes(List<Segment> segments) {
        return segments.stream().map(s -> switch (s.type()) {
            case Transcript -> "TRANSCRIPT";
            case Categories -> "CATEGORIES";
            case Issues -> "ISSUES";
            case Event -> "EVENT";
            case Attachments -> "ATTACHMENTS";
            case PostContactSummary -> "POST_CONTACT_SUMMARY";
            case ExtractedInformation -> "UNKNOWN_TO_SDK_VERSION";
        }).toList();
    }

    private static List<ListRealtimeContactAnalysisSegmentsV2Response> v2Pages(ContactKey key, List<String> types) {
        List<ListRealtimeContactAnalysisSegmentsV2Response> pages = new ArrayList<>();
        try (ConnectClient connect = TestRuntime.connect(RUNTIME.endpoint(), TestRuntime.ACCESS_KEY, 1)) {
            connect.listRealtimeContactAnalysisSegmentsV2Paginator(r -> r.instanceId(key.instanceId()).contactId(key.contactId())
                    .outputType("Raw").segmentTypesWithStrings(types).maxResults(100)).forEach(pages::add);
        }
        pages.forEach(p -> assertNotNull(p.segments()));
        assertTrue(pages.stream().allMatch(p -> p.segments().size() <= 100));
        assertTrue(SegmentLister.MAX_PAGE_BYTES < 6_291_556L);
        return pages;
    }
}
