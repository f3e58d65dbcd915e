package dev.rtca.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtca.local.DemoData;
import dev.rtca.local.IamRuntime;
import dev.rtca.local.TestRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A page of another origin (the viewer on a static host) may call the API: the CORS preflight is answered without a
 * signature, as template.yaml's Cors configures it, and every answer — the functions' and API Gateway's own errors —
 * lets the page read it, with the headers an SDK needs.
 */
class CorsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ORIGIN = "https://viewer.example.com";
    private static final String V2 = "/contact/list-real-time-analysis-segments-v2/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111/"
            + "a1b2c3d4-5678-90ab-cdef-EXAMPLE33333";

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.header("Origin", ORIGIN).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertReadableByThePage(HttpResponse<String> response) {
        assertEquals("*", response.headers().firstValue("Access-Control-Allow-Origin").orElse(null), response.toString());
        List<String> exposed = List.of(response.headers().firstValue("Access-Control-Expose-Headers").orElse("").split(","));
        assertTrue(exposed.contains("x-amzn-errortype") && exposed.contains("x-amzn-requestid"), exposed.toString());
    }

    @Test
    void thePreflightIsAnsweredWithoutASignature() throws Exception {
        HttpResponse<String> preflight = send(HttpRequest.newBuilder(IamRuntime.shared().endpoint().resolve(V2))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,x-amz-date,x-amz-security-token"));
        assertEquals(200, preflight.statusCode());
        assertEquals("*", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));
        List<String> allowed = List.of(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").split(","));
        assertTrue(allowed.containsAll(List.of("authorization", "content-type", "x-amz-date", "x-amz-security-token",
                "x-amz-content-sha256")), allowed.toString());
    }

    @Test
    void pagesAndTheFunctionsErrorsAreReadable() throws Exception {
        DemoData.load(TestRuntime.shared().runtime(), Path.of("events")); // the contact of V2 (loading again changes nothing)
        URI v2 = TestRuntime.shared().endpoint().resolve(V2);
        HttpResponse<String> page = send(HttpRequest.newBuilder(v2).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"]}")));
        assertEquals(200, page.statusCode(), page.body());
        assertReadableByThePage(page);

        HttpResponse<String> invalid = send(HttpRequest.newBuilder(v2).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Nope\"]}")));
        assertEquals(400, invalid.statusCode());
        assertReadableByThePage(invalid);
    }

    @Test
    void apiGatewaysOwnRefusalIsReadable() throws Exception {
        HttpResponse<String> unsigned = send(HttpRequest.newBuilder(IamRuntime.shared().endpoint().resolve(V2))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"]}")));
        assertEquals(403, unsigned.statusCode());
        assertEquals("AccessDeniedException", unsigned.headers().firstValue("X-Amzn-ErrorType").orElse(null));
        assertReadableByThePage(unsigned);
    }
}
