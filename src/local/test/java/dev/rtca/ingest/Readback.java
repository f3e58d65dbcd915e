package dev.rtca.ingest;

import dev.rtca.fixtures.Envelopes;
import static dev.rtca.fixtures.Envelopes.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.contract.SdkJson;
import dev.rtca.local.TestRuntime;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStore;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.Slice;
import dev.rtca.segments.StoredSegment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.connect.model.ListRealtimeContactAnalysisSegmentsV2Response;

/**
 * Reading what the writers stored: straight from the store, through the Invoke API of the local runtime,
 * and as the official SDK models turned back into wire JSON (member by member, through the SDK's own field
 * metadata), so that a comparison covers every field the SDK decoded.
 */
final class Readback {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final List<String> ALL_V2_TYPES = List.of("Transcript", "Categories", "Issues", "Event", "Attachments",
            "PostContactSummary", "ExtractedInformation");

    private Readback() {
    }

    // ---- store -----------------------------------------------------------------------------------------

    /** The whole stream, as stored, in sequence order; checks the sequences have no gap and no repeat. */
    static List<JsonNode> stream(ContactStore store, ContactKey contact, OutputType type) {
        List<JsonNode> out = new ArrayList<>();
        while (true) {
            Slice slice = store.more(contact, type, out.size(), 100);
            for (StoredSegment s : slice.items()) {
                assertEquals(out.size(), s.sequence(), "stream " + type + " of " + contact + " has a gap or repeat");
                out.add(Envelopes.parse(s.segment().json()));
            }
            if (!slice.more()) {
                return out;
            }
        }
    }

    // ---- Lambda Invoke API over HTTP ------------------------------------------------------------------

    record Invocation(int status, String functionError, JsonNode payload) {
    }

    static Invocation invoke(String function, byte[] payload) {
        URI uri = URI.create(TestRuntime.shared().endpoint() + "/2015-03-31/functions/" + function + "/invocations");
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                .build();
        HttpResponse<byte[]> response = send(request);
        return new Invocation(response.statusCode(), response.headers().firstValue("X-Amz-Function-Error").orElse(null),
                Envelopes.parse(response.body()));
    }

    static Invocation invoke(String function, JsonNode payload) {
        return invoke(function, Envelopes.bytes(payload));
    }

    /** Invokes a batch writer and returns the identifiers of its batchItemFailures. */
    static List<String> invokeBatch(String function, JsonNode batch) {
        Invocation result = invoke(function, batch);
        assertEquals(200, result.status(), "Invoke API status");
        assertEquals(null, result.functionError(), () -> "function error: " + result.payload());
        List<String> failed = new ArrayList<>();
        for (JsonNode failure : result.payload().path("batchItemFailures")) {
            failed.add(failure.path("itemIdentifier").asText());
        }
        return failed;
    }

    // ---- the read API, raw JSON (sees members this SDK version does not model) ----------------------------

    /** One raw V2 page; the emulated AWS_IAM authorizer only looks at the access key of the Authorization header. */
    static JsonNode rawV2Page(ContactKey contact, OutputType type, String nextToken, int maxResults) {
        ObjectNode body = JSON.createObjectNode();
        body.put("MaxResults", maxResults);
        body.put("OutputType", type.name());
        ArrayNode types = body.putArray("SegmentTypes");
        ALL_V2_TYPES.forEach(types::add);
        if (nextToken != null) {
            body.put("NextToken", nextToken);
        }
        return post("/contact/list-real-time-analysis-segments-v2/" + encode(contact.instanceId()) + "/"
                + encode(contact.contactId()), body);
    }

    static JsonNode rawV1Page(ContactKey contact, String nextToken, int maxResults) {
        ObjectNode body = JSON.createObjectNode();
        body.put("InstanceId", contact.instanceId());
        body.put("ContactId", contact.contactId());
        body.put("MaxResults", maxResults);
        if (nextToken != null) {
            body.put("NextToken", nextToken);
        }
        return post("/realtime-contact-analysis/analysis-segments", body);
    }

    /** Every segment of a finished contact through the raw V2 API, following NextToken until it is absent. */
    static List<JsonNode> rawV2All(ContactKey contact, OutputType type, int maxResults) {
        List<JsonNode> out = new ArrayList<>();
        String token = null;
        for (int page = 0; page < 1000; page++) {
            JsonNode response = rawV2Page(contact, type, token, maxResults);
            response.path("Segments").forEach(out::add);
            token = response.hasNonNull("NextToken") ? response.get("NextToken").asText() : null;
            if (token == null) {
                return out;
            }
        }
        throw new AssertionError("NextToken never ended for " + contact);
    }

    static List<JsonNode> rawV1All(ContactKey contact, int maxResults) {
        List<JsonNode> out = new ArrayList<>();
        String token = null;
        for (int page = 0; page < 1000; page++) {
            JsonNode response = rawV1Page(contact, token, maxResults);
            response.path("Segments").forEach(out::add);
            token = response.hasNonNull("NextToken") ? response.get("NextToken").asText() : null;
            if (token == null) {
                return out;
            }
        }
        throw new AssertionError("NextToken never ended for " + contact);
    }

    private static JsonNode post(String path, JsonNode body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(TestRuntime.shared().endpoint() + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + TestRuntime.ACCESS_KEY
                        + "/20260101/us-east-1/connect/aws4_request, SignedHeaders=content-type;host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Envelopes.bytes(body)))
                .build();
        HttpResponse<byte[]> response = send(request);
        JsonNode json = Envelopes.parse(response.body());
        assertEquals(200, response.statusCode(), () -> path + " answered " + json);
        return json;
    }

    private static HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String label) {
        return URLEncoder.encode(label, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ---- SDK models back to wire JSON: dev.rtca.contract.SdkJson ----------------------------------------

    /**
     * Everything readable now through the SDK, for a contact that may still be IN_PROGRESS (where the
     * paginator would never end): follows NextToken until it is absent or a page comes back empty.
     */
    static List<JsonNode> liveV2(ConnectClient connect, ContactKey contact, OutputType type) {
        List<JsonNode> out = new ArrayList<>();
        String token = null;
        for (int page = 0; page < 1000; page++) {
            String next = token;
            ListRealtimeContactAnalysisSegmentsV2Response response = connect.listRealtimeContactAnalysisSegmentsV2(r -> r
                    .instanceId(contact.instanceId()).contactId(contact.contactId()).outputType(type.name())
                    .segmentTypesWithStrings(ALL_V2_TYPES).maxResults(5).nextToken(next));
            out.addAll(sdkJson(response.segments()));
            token = response.nextToken();
            if (token == null || response.segments().isEmpty()) {
                return out;
            }
        }
        throw new AssertionError("too many pages for " + contact);
    }

    static List<JsonNode> sdkJson(List<?> segments) {
        List<JsonNode> out = new ArrayList<>();
        segments.forEach(s -> out.add(SdkJson.of(s)));
        return out;
    }

    /** What an SDK that does not model {@code ExtractedInformation} (Java 2.40.2) decodes a segment list to. */
    static List<JsonNode> asSdkSees(List<JsonNode> segments) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode s : segments) {
            out.add(s.has("ExtractedInformation") ? JSON.createObjectNode() : s);
        }
        return out;
    }


}
