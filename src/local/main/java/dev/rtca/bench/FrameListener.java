package dev.rtca.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;

/**
 * A live API client's WebSocket listener: each whole text message parsed and given to {@link #frame}, with when it was
 * complete; then its subscription's course kept: Subscribed, End, and an Error (which ends it).
 */
abstract class FrameListener implements WebSocket.Listener {
    private static final ObjectMapper JSON = new ObjectMapper();
    final CountDownLatch subscribed = new CountDownLatch(1);
    final CountDownLatch ended = new CountDownLatch(1);
    volatile String error;
    private final StringBuilder text = new StringBuilder();

    @Override
    public final CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            long now = System.nanoTime();
            try {
                received(JSON.readTree(text.toString()), now);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("a frame that is not JSON", e);
            }
            text.setLength(0);
        }
        socket.request(1);
        return null;
    }

    private void received(JsonNode frame, long now) {
        frame(frame, now);
        switch (frame.path("Type").asText()) {
            case "Subscribed" -> subscribed.countDown();
            case "End" -> ended.countDown();
            case "Error" -> {
                error = frame.toString();
                subscribed.countDown();
                ended.countDown();
            }
            default -> {
            }
        }
    }

    /** A frame, received at {@code now} (System.nanoTime); the latches are counted down after it. */
    abstract void frame(JsonNode frame, long now);
}
