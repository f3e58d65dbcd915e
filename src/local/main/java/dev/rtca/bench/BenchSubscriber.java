package dev.rtca.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * A live API client as the protocol asks clients to be (it drops what is at or below the Position it holds), counting
 * what the server sent it: every frame (each one a PostToConnection deployed), every segment entry, the repeats
 * dropped, the Positions that skipped one (out of order), and when each transcript first arrived.
 */
final class BenchSubscriber extends FrameListener {
    /** Transcript index (the bench's {@code tr-<index>} IDs) to its first arrival, in System.nanoTime. */
    final ConcurrentHashMap<Integer, Long> arrivedAt = new ConcurrentHashMap<>();
    private final ToIntFunction<JsonNode> index;
    /** When the client opened its connection to subscribe, and when its Subscribed frame came (System.nanoTime). */
    volatile long joinedAt;
    volatile long subscribedAt;
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
    synchronized void frame(JsonNode frame, long now) {
        frames++;
        switch (frame.path("Type").asText()) {
            case "Subscribed" -> subscribedAt = now;
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
            default -> {
            }
        }
    }

    /** Distinct segments received (repeats dropped). */
    synchronized int received() {
        return entries - repeats;
    }
}
