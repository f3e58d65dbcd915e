package dev.rtca.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.ToIntFunction;

/**
 * A live API client as the protocol asks clients to be (it drops what is at or below the Position it holds), counting
 * what the server sent it: every frame (each one a PostToConnection deployed), every segment entry, the repeats
 * dropped, the Positions that skipped one (out of order), and when each transcript first arrived.
 */
final class BenchSubscriber implements WebSocket.Listener {
    private static final ObjectMapper JSON = new ObjectMapper();

    final CountDownLatch subscribed = new CountDownLatch(1);
    final CountDownLatch ended = new CountDownLatch(1);
    /** Transcript index (the bench's {@code tr-<index>} IDs) to its first arrival, in System.nanoTime. */
    final ConcurrentHashMap<Integer, Long> arrivedAt = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();
    private final ToIntFunction<JsonNode> index;
    /** When the client opened its connection to subscribe, and when its Subscribed frame came (System.nanoTime). */
    volatile long joinedAt;
    volatile long subscribedAt;
    volatile String error;
    long held;
    int frames;
    int entries;
    int repeats;
    int outOfOrder;

    /** @param index the bench's index of a segment, -1 for one it did not write */
    BenchSubscriber(ToIntFunction<JsonNode> index) {
        this.index = index;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            long now = System.nanoTime();
            try {
                frame(JSON.readTree(partial.toString()), now);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("a frame that is not JSON", e);
            }
            partial.setLength(0);
        }
        socket.request(1);
        return null;
    }

    private synchronized void frame(JsonNode frame, long now) {
        frames++;
        switch (frame.path("Type").asText()) {
            case "Subscribed" -> {
                subscribedAt = now;
                subscribed.countDown();
            }
            case "Segments" -> {
                for (JsonNode entry : frame.path("Segments")) {
                    entries++;
                    long position = entry.path("Position").asLong();
                    if (position <= held) {
                        repeats++;
                        continue;
                    }
                    if (position != held + 1) {
                        outOfOrder++;
                    }
                    held = position;
                    arrivedAt.putIfAbsent(index.applyAsInt(entry.path("Segment")), now);
                }
            }
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

    /** Distinct segments received (repeats dropped). */
    synchronized int received() {
        return entries - repeats;
    }
}
