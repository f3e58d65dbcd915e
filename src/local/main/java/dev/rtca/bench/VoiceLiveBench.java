package dev.rtca.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.local.LocalDynamo;
import dev.rtca.local.LocalRuntime;
import dev.rtca.local.Replay;
import dev.rtca.segments.ContactKey;
import dev.rtca.store.DynamoPushStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Time to first words on a voice call: the demo call ({@code events/voice-call-demo.jsonl}) played at its speaking pace
 * into the local runtime's Kinesis writer, one record per event, as Connect's segment stream delivers it. For each
 * transcript the clock starts at the writer's invocation carrying its first Utterance, and stops when its first words
 * reach a client: a WebSocket subscriber with {@code Partials} gets them in a {@code Partial} frame; a client polling
 * ListRealtimeContactAnalysisSegments (V1) at its quota, 1 request/s, gets them only in the final Transcript, which the
 * call sends once the sentence is spoken. p50 and p99 of both, in the same run, and their ratio (budget: pushed at least
 * 10 times sooner at p50).
 */
public final class VoiceLiveBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSTANCE = LiveBench.INSTANCE;
    private static final long POLL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The budget: time to first words polled ÷ pushed, at p50. */
    static final double BUDGET = 10;

    private VoiceLiveBench() {
    }

    public static void main(String[] args) throws Exception {
        double speed = args.length > 0 ? Double.parseDouble(args[0]) : 1;
        try (LocalDynamo dynamo = LocalDynamo.start();
             LocalRuntime runtime = LocalRuntime.start(LocalRuntime.Options.defaults(0), dynamo)) {
            if (!run(runtime, new DynamoPushStore(dynamo.client(), runtime.config().tableName(), Clock.systemUTC()), speed)) {
                System.exit(1);
            }
        }
    }

    static boolean run(LocalRuntime runtime, dev.rtca.push.PushStore subscriptions, double speed) throws Exception {
        String contact = "bench-call-" + UUID.randomUUID();
        List<Replay.Timed> call = new ArrayList<>();
        for (Replay.Timed event : Replay.read(Path.of("events", "voice-call-demo.jsonl"))) {
            ObjectNode envelope = event.envelope().deepCopy().put("ContactId", contact);
            call.add(new Replay.Timed(event.line(), event.atMillis(), envelope));
        }
        // When the writer was invoked with each transcript's first Utterance (System.nanoTime).
        Map<String, Long> firstUtteranceAt = new ConcurrentHashMap<>();
        Replay.Writer runtimeWriter = Replay.inProcess(runtime);
        Replay.Writer kinesis = event -> {
            JsonNode envelope = dataOf(event);
            long now = System.nanoTime();
            for (JsonNode segment : envelope.path("Segments")) {
                if (segment.has("Utterance")) {
                    firstUtteranceAt.putIfAbsent(segment.path("Utterance").path("TranscriptId").asText(), now);
                }
            }
            return runtimeWriter.invoke(event);
        };
        // STARTED first: the subscriber subscribes to a contact that exists, and is live before the first words.
        new Replay.Player(call.subList(0, 1), 1, Replay.Clock.SYSTEM, kinesis, null, System.err).play("", 0);

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        URI live = URI.create(runtime.endpoint().toString().replace("http:", "ws:") + "/live");
        VoiceSubscriber subscriber = new VoiceSubscriber();
        WebSocket socket = http.newWebSocketBuilder().buildAsync(live, subscriber).join();
        socket.sendText("{\"action\":\"subscribe\",\"Operation\":\"ListRealtimeContactAnalysisSegments\",\"InstanceId\":\""
                + INSTANCE + "\",\"ContactId\":\"" + contact + "\",\"Partials\":true}", true).join();
        if (!subscriber.subscribed.await(60, TimeUnit.SECONDS) || subscriber.error != null) {
            throw new IllegalStateException("the voice subscription was not accepted: " + subscriber.error);
        }
        LiveBench.awaitLive(subscriptions, new ContactKey(INSTANCE, contact), 1, 60);

        // A client polling ListRealtimeContactAnalysisSegments (V1) at 1 request/s, as its quota allows.
        Map<String, Long> polledAt = new ConcurrentHashMap<>();
        BenchPoller poller = new BenchPoller(http, URI.create(runtime.endpoint() + "/realtime-contact-analysis/analysis-segments"),
                JSON.createObjectNode().put("InstanceId", INSTANCE).put("ContactId", contact).put("MaxResults", 100), POLL_NANOS,
                (segment, now) -> {
                    if (segment.has("Transcript")) {
                        polledAt.putIfAbsent(segment.path("Transcript").path("Id").asText(), now);
                    }
                });
        Thread polling = Thread.ofPlatform().name("v1-poller").start(poller);
        long start = System.nanoTime();
        int rejected = new Replay.Player(call.subList(1, call.size()), speed, Replay.Clock.SYSTEM, kinesis, null, System.err)
                .play("", 1);
        double seconds = (System.nanoTime() - start) / 1e9;
        subscriber.ended.await(60, TimeUnit.SECONDS);
        polling.join(TimeUnit.SECONDS.toMillis(30)); // it reads until the completed contact's last page
        poller.stop.set(true);
        polling.join();
        socket.abort();

        List<Long> pushed = new ArrayList<>();
        List<Long> polled = new ArrayList<>();
        for (Map.Entry<String, Long> first : firstUtteranceAt.entrySet()) {
            Long partial = subscriber.firstPartialAt.get(first.getKey());
            Long final_ = polledAt.get(first.getKey());
            if (partial != null) {
                pushed.add(partial - first.getValue());
            }
            if (final_ != null) {
                polled.add(final_ - first.getValue());
            }
        }
        long[] push = BenchStack.sorted(pushed);
        long[] poll = BenchStack.sorted(polled);
        int transcripts = firstUtteranceAt.size();
        double ratio = BenchStack.ms(poll, 0.50) / BenchStack.ms(push, 0.50);
        System.out.printf("voice: the demo call (%d transcripts, %d events) at %sx its speaking pace (2.8 words/s) in %.1f s, "
                        + "%d rejected; %d Partial frames, %d revisions out of order, %d finals (Replaces), ended: %s%n",
                transcripts, call.size(), speed, seconds, rejected, subscriber.partials, subscriber.outOfOrder,
                subscriber.finals.size(), subscriber.ended.getCount() == 0 && subscriber.error == null);
        System.out.printf("voice: time to first words (the writer's invocation with a transcript's first Utterance -> its words "
                        + "at a client): pushed (Partial) p50 %.0f ms p99 %.0f ms (%d of %d) | polling V1 at 1/s (the final "
                        + "Transcript) p50 %.0f ms p99 %.0f ms (%d of %d) | polled/pushed p50 x%.1f (budget x%.0f: %s)%n",
                BenchStack.ms(push, 0.50), BenchStack.ms(push, 0.99), push.length, transcripts,
                BenchStack.ms(poll, 0.50), BenchStack.ms(poll, 0.99), poll.length, transcripts,
                ratio, BUDGET, WarmBench.met(ratio >= BUDGET));
        return rejected == 0 && push.length == transcripts && poll.length == transcripts && subscriber.outOfOrder == 0
                && subscriber.finals.size() == transcripts;
    }

    private static JsonNode dataOf(byte[] kinesisEvent) {
        try {
            String data = JSON.readTree(kinesisEvent).path("Records").get(0).path("kinesis").path("data").asText();
            return JSON.readTree(java.util.Base64.getDecoder().decode(data));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A voice subscriber with Partials: when each transcript's first Partial came, and its final's Replaces. */
    private static final class VoiceSubscriber extends FrameListener {
        final Map<String, Long> firstPartialAt = new ConcurrentHashMap<>();
        final Map<String, Integer> revisions = new ConcurrentHashMap<>();
        final List<String> finals = new ArrayList<>();
        int partials;
        int outOfOrder;

        @Override
        synchronized void frame(JsonNode frame, long now) {
            switch (frame.path("Type").asText()) {
                case "Partial" -> {
                    partials++;
                    String id = frame.path("TranscriptId").asText();
                    firstPartialAt.putIfAbsent(id, now);
                    int revision = frame.path("Revision").asInt();
                    Integer held = revisions.put(id, revision);
                    if (held != null && revision < held) {
                        outOfOrder++;
                    }
                }
                case "Segments" -> frame.path("Segments").forEach(entry -> {
                    if (entry.has("Replaces")) {
                        finals.add(entry.path("Replaces").asText());
                    }
                });
                default -> {
                }
            }
        }
    }
}
