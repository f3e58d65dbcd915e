package dev.rtca.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.local.LocalDynamo;
import dev.rtca.local.LocalRuntime;
import dev.rtca.push.PushStore;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import dev.rtca.store.DynamoPushStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Push against polling, and push at scale, on one local node (the local runtime: its writers, its stream poller, its
 * fan-out function and its live API, as one process).
 *
 * <p>A writer stores transcript segments of one chat contact at a steady rate through the Invoke API (the EventBridge
 * writer, one invocation per segment). WebSocket subscribers receive them; beside them a polling client reads
 * ListRealtimeContactAnalysisSegmentsV2 twice a second (the real API's rate). The figure is the time from the writer's
 * invocation to the segment's arrival at a client, p50 and p99, for both, measured in the same run. Then the contact
 * completes; every subscriber must have every segment, in order, once (a repeat is counted and dropped by Position,
 * as the protocol asks of clients), and an End frame.
 *
 * <p>Arguments: {@code [subscribers] [segments/s] [seconds]}; bin/bench live runs 1 and then 1,000 subscribers.
 */
public final class LiveBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String INSTANCE = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private LiveBench() {
    }

    public static void main(String[] args) throws Exception {
        int subscribers = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        try (LocalDynamo dynamo = LocalDynamo.start();
             LocalRuntime runtime = LocalRuntime.start(LocalRuntime.Options.defaults(0), dynamo)) {
            boolean lossless = run(runtime, new DynamoPushStore(dynamo.client(), runtime.config().tableName(), Clock.systemUTC()),
                    subscribers, rate, seconds);
            if (!lossless) {
                System.exit(1);
            }
        }
    }

    /** One run on a new contact; true when every subscriber got everything, in order, and its End. */
    static boolean run(LocalRuntime runtime, PushStore subscriptions, int subscribers, int rate, int seconds) throws Exception {
        String contact = UUID.randomUUID().toString();
        int count = rate * seconds;
        long[] sentAt = new long[count];
        Arrays.fill(sentAt, Long.MAX_VALUE);
        write(runtime, envelope(contact, "STARTED", List.of()));

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        URI live = URI.create(runtime.endpoint().toString().replace("http:", "ws:") + "/live");
        List<BenchSubscriber> all = new ArrayList<>(subscribers);
        Semaphore handshakes = new Semaphore(8); // subscribers arriving a few at a time, as supervisors do
        long connecting = System.nanoTime();
        List<CompletableFuture<?>> opening = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            BenchSubscriber subscriber = new BenchSubscriber(LiveBench::index);
            all.add(subscriber);
            handshakes.acquire();
            opening.add(http.newWebSocketBuilder().buildAsync(live, subscriber).thenCompose(socket -> socket.sendText(
                    "{\"action\":\"subscribe\",\"InstanceId\":\"" + INSTANCE + "\",\"ContactId\":\"" + contact
                            + "\",\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"]}", true))
                    .whenComplete((socket, failure) -> handshakes.release()));
        }
        CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).join();
        long acceptBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (BenchSubscriber subscriber : all) {
            if (!subscriber.subscribed.await(Math.max(0, acceptBy - System.nanoTime()), TimeUnit.NANOSECONDS)
                    || subscriber.error != null) {
                throw new IllegalStateException("a subscription was not accepted in 120 s: " + subscriber.error);
            }
        }
        // Subscribed comes before the catch-up; the steady state is measured once every subscription is live.
        awaitLive(subscriptions, new ContactKey(INSTANCE, contact), subscribers, 120);
        System.out.printf("live: %,d subscribers connected and subscribed in %.1f s%n", subscribers,
                (System.nanoTime() - connecting) / 1e9);

        // A client polling the list operation at 2 requests/s, as a client of the real API may.
        long[] polledAt = new long[count];
        ObjectNode request = JSON.createObjectNode().put("OutputType", "Raw").put("MaxResults", 100);
        request.putArray("SegmentTypes").add("Transcript");
        BenchPoller poller = new BenchPoller(http,
                URI.create(runtime.endpoint() + "/contact/list-real-time-analysis-segments-v2/" + INSTANCE + "/" + contact),
                request, POLL_NANOS, (segment, now) -> {
                    int index = index(segment);
                    if (index >= 0 && index < count && polledAt[index] == 0) {
                        polledAt[index] = now;
                    }
                });
        Thread polling = Thread.ofPlatform().name("poller").start(poller);
        long start = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        for (int i = 0; i < count; i++) {
            long slot = start + i * interval;
            long wait = slot - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            sentAt[i] = System.nanoTime();
            write(runtime, envelope(contact, "SEGMENTS", List.of(transcript(i))));
        }
        double achieved = count / ((System.nanoTime() - start) / 1e9);
        write(runtime, envelope(contact, "COMPLETED", List.of()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (BenchSubscriber subscriber : all) {
            subscriber.ended.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        polling.join(TimeUnit.SECONDS.toMillis(60)); // it reads until the completed contact's last page
        poller.stop.set(true);
        polling.join();

        long missing = 0;
        long outOfOrder = 0;
        long repeats = 0;
        long ended = 0;
        long[] pushed = new long[subscribers * count];
        int n = 0;
        for (BenchSubscriber subscriber : all) {
            missing += count - subscriber.arrivedAt.size();
            outOfOrder += subscriber.outOfOrder;
            repeats += subscriber.repeats;
            ended += subscriber.ended.getCount() == 0 && subscriber.error == null ? 1 : 0;
            for (var arrival : subscriber.arrivedAt.entrySet()) {
                if (arrival.getKey() >= 0 && arrival.getKey() < count) {
                    pushed[n++] = arrival.getValue() - sentAt[arrival.getKey()];
                }
            }
        }
        long[] polled = new long[count];
        int m = 0;
        for (int i = 0; i < count; i++) {
            if (polledAt[i] != 0) {
                polled[m++] = polledAt[i] - sentAt[i];
            }
        }
        long[] push = Arrays.copyOf(pushed, n);
        long[] poll = Arrays.copyOf(polled, m);
        Arrays.sort(push);
        Arrays.sort(poll);
        System.out.printf("live: %,d subscribers, %,d segments at %.1f/s (asked %d/s): %,d deliveries, %,d missing, "
                        + "%,d out of order, %,d repeats dropped, %,d of %,d ended%n",
                subscribers, count, achieved, rate, n, missing, outOfOrder, repeats, ended, subscribers);
        System.out.printf("live: writer invocation -> arrival, push p50 %.0f ms p99 %.0f ms | polling at 2/s p50 %.0f ms "
                        + "p99 %.0f ms (%,d of %,d seen) | polling/push p50 %.1fx%n",
                BenchStack.ms(push, 0.50), BenchStack.ms(push, 0.99), BenchStack.ms(poll, 0.50), BenchStack.ms(poll, 0.99), m, count,
                BenchStack.ms(poll, 0.50) / BenchStack.ms(push, 0.50));
        return missing == 0 && outOfOrder == 0 && ended == subscribers;
    }

    /** Waits until {@code count} subscriptions of the contact (Raw) are live, at most {@code seconds}. */
    static void awaitLive(PushStore subscriptions, ContactKey contact, int count, int seconds) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (subscriptions.live(contact, OutputType.Raw).size() < count) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the subscriptions did not all go live in " + seconds + " s");
            }
            Thread.sleep(20);
        }
    }

    /** The bench's transcript IDs are {@code tr-<index>}. */
    static int index(JsonNode segment) {
        String id = segment.path("Transcript").path("Id").asText("");
        return id.startsWith("tr-") ? Integer.parseInt(id.substring(3)) : -1;
    }

    static ObjectNode transcript(int index) {
        ObjectNode segment = JSON.createObjectNode();
        ObjectNode body = segment.putObject("Transcript");
        body.put("Id", "tr-" + index);
        body.put("ParticipantId", "7810b1de-cca8-4153-b522-2498416255af");
        body.put("ParticipantRole", "CUSTOMER");
        body.put("DisplayName", "Jane");
        body.put("Content", "Line " + index + " of the conversation, about the same length as a chat message is.");
        body.put("ContentType", "text/plain");
        body.putObject("Time").put("AbsoluteTime", "2026-11-22T10:00:00.000Z");
        body.put("Sentiment", "NEUTRAL");
        return segment;
    }

    /** A chat envelope of the bench's contact (Raw), as a writer receives it. */
    static ObjectNode envelope(String contact, String eventType, List<ObjectNode> segments) {
        ObjectNode envelope = JSON.createObjectNode().put("Version", "2.0.0").put("Channel", "CHAT")
                .put("AccountId", LocalRuntime.ACCOUNT).put("InstanceId", INSTANCE).put("ContactId", contact)
                .put("StreamingEventType", eventType);
        envelope.putObject("StreamingSettings").put("LanguageCode", "en-US").put("Output", "Raw");
        if (!segments.isEmpty()) {
            envelope.put("OutputType", "Raw");
            segments.forEach(envelope.putArray("Segments")::add);
        }
        return envelope;
    }

    /** Through the EventBridge writer, as an analysis job delivers. */
    private static void write(LocalRuntime runtime, ObjectNode envelope) throws Exception {
        LateAudienceBench.Writer writer = LateAudienceBench.Writer.EVENTBRIDGE;
        byte[] answer = runtime.invoke(writer.function, JSON.writeValueAsBytes(writer.event(envelope, 0)));
        if (answer.length > 0 && JSON.readTree(answer).has("errorMessage")) {
            throw new IllegalStateException("the writer failed: " + new String(answer, java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
