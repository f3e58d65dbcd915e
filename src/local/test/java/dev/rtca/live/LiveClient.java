package dev.rtca.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A subscriber of the live API, as a client should be: it keeps the position it holds and drops any segment at or
 * below it (a retried or handed-over send), and it keeps the NextToken of the last frame to resume with.
 */
public final class LiveClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final List<JsonNode> segments = new ArrayList<>();
    private WebSocket socket;
    private long held;
    private String nextToken;
    private int duplicates;
    private volatile Integer closedWith;

    private LiveClient() {
    }

    /** Opens a connection; {@code headers} may sign the handshake. A refused handshake throws. */
    public static LiveClient connect(URI live, Map<String, String> headers) {
        LiveClient client = new LiveClient();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        client.socket = builder.buildAsync(live, new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        client.frames.add(JSON.readTree(partial.toString()));
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException("a frame that is not JSON: " + partial, e);
                    }
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                client.closedWith = statusCode;
                return null;
            }
        }).join();
        return client;
    }

    public void send(String message) {
        socket.sendText(message, true).join();
    }

    /** Sends a binary message, in one frame. */
    public void sendBinary(byte[] message) {
        socket.sendBinary(java.nio.ByteBuffer.wrap(message), true).join();
    }

    public void subscribe(String instance, String contact, String outputType, List<String> types, String token) {
        StringBuilder message = new StringBuilder("{\"action\":\"subscribe\",\"InstanceId\":\"" + instance + "\",\"ContactId\":\""
                + contact + "\",\"OutputType\":\"" + outputType + "\",\"SegmentTypes\":[");
        for (int i = 0; i < types.size(); i++) {
            message.append(i == 0 ? "" : ",").append('"').append(types.get(i)).append('"');
        }
        message.append(']');
        if (token != null) {
            message.append(",\"NextToken\":\"").append(token).append('"');
        }
        send(message.append('}').toString());
    }

    /** The next frame, applying Segments frames to what the client holds. */
    public JsonNode next(Duration within) throws InterruptedException {
        JsonNode frame = frames.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within " + within + "; holding " + segments.size() + " segments");
        }
        if (frame.path("Type").asText().equals("Segments")) {
            for (JsonNode entry : frame.path("Segments")) {
                long position = entry.path("Position").asLong();
                if (position <= held) {
                    duplicates++;
                    continue;
                }
                segments.add(entry.path("Segment"));
                held = position;
            }
            nextToken = frame.path("NextToken").asText();
        }
        return frame;
    }

    /** Frames until one of {@code type} (returned), applying the ones before it. */
    public JsonNode until(String type, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            JsonNode frame = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (frame.path("Type").asText().equals(type)) {
                return frame;
            }
        }
    }

    /** Applies frames until it holds {@code count} segments. */
    public void awaitSegments(int count, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (segments.size() < count) {
            next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
    }

    /** No frame for a while (nothing was sent that should not have been). */
    public JsonNode poll(Duration within) throws InterruptedException {
        return frames.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    public List<JsonNode> segments() {
        return segments;
    }

    public String nextToken() {
        return nextToken;
    }

    public int duplicates() {
        return duplicates;
    }

    public Integer closedWith() {
        return closedWith;
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
    }
}
