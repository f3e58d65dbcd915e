package dev.rtca.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client polling a list operation at a fixed rate from the last NextToken, as a client of the real API may, until it
 * has read the completed contact's last page (no NextToken) or is stopped. Each segment of each page is told, with when
 * the page arrived.
 */
final class BenchPoller implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A segment of a page, and when the page arrived (System.nanoTime). */
    interface Seen {
        void segment(JsonNode segment, long now);
    }

    final AtomicBoolean stop = new AtomicBoolean();
    private final HttpClient http;
    private final URI uri;
    private final ObjectNode request;
    private final long intervalNanos;
    private final Seen seen;

    /** @param request the request body, without NextToken */
    BenchPoller(HttpClient http, URI uri, ObjectNode request, long intervalNanos, Seen seen) {
        this.http = http;
        this.uri = uri;
        this.request = request;
        this.intervalNanos = intervalNanos;
        this.seen = seen;
    }

    @Override
    public void run() {
        String token = null;
        long next = System.nanoTime();
        try {
            while (!stop.get()) {
                ObjectNode body = request.deepCopy();
                if (token != null) {
                    body.put("NextToken", token);
                }
                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                long now = System.nanoTime();
                JsonNode page = JSON.readTree(response.body());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("the list operation answered " + response.statusCode() + ": " + page);
                }
                for (JsonNode segment : page.path("Segments")) {
                    seen.segment(segment, now);
                }
                if (!page.path("NextToken").isTextual()) {
                    return; // the contact completed and everything was read
                }
                token = page.path("NextToken").asText();
                next += intervalNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("polling failed", e);
        }
    }
}
