package dev.rtca.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.local.LocalDynamo;
import dev.rtca.local.LocalRuntime;
import dev.rtca.local.Replay;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import dev.rtca.store.DynamoPushStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
        Replay.Writer kinesis = event -> {
            JsonNode envelope = dataOf(event);
            long now = System.nanoTime();
            for (JsonNode segment : envelope.path("Segments")) {
                if (segment.has("Utterance")) {
                    firstUtteranceAt.putIfAbsent(segment.path("Utterance").path("TranscriptId").asText(), now);
                }
            }
            try {
                return failures(runtime.invoke(Replay.KINESIS_WRITER, event));
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("the Kinesis writer failed", e);
            }
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
        ContactKey key = new ContactKey(INSTANCE, contact);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (subscriptions.live(key, OutputType.Raw).isEmpty()) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("the subscription did not go live in 60 s");
            }
            Thread.sleep(20);
        }

        Poller poller = new Poller(http, runtime.endpoint(), contact);
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
            Long final_ = poller.seenAt.get(first.getKey());
            if (partial != null) {
                pushed.add(partial - first.getValue());
            }
            if (final_ != null) {
                polled.add(final_ - first.getValue());
            }
        }
        long[] push = sorted(pushed);
        long[] poll = sorted(polled);
        int transcripts = firstUtteranceAt.size();
        double ratio = ms(poll, 0.50) / ms(push, 0.50);
        System.out.printf("voice: the demo call (%d transcripts, %d events) at %sx its speaking pace (2.8 words/s) in %.1f s, "
                        + "%d rejected; %d Partial frames, %d revisions out of order, %d finals (Replaces), ended: %s%n",
                transcripts, call.size(), speed, seconds, rejected, subscriber.partials, subscriber.outOfOrder,
                subscriber.finals.size(), subscriber.ended.getCount() == 0 && subscriber.error == null);
        System.out.printf("voice: time to first words (the writer's invocation with a transcript's first Utterance -> its words "
                        + "at a client): pushed (Partial) p50 %.0f ms p99 %.0f ms (%d of %d) | polling V1 at 1/s (the final "
                        + "Transcript) p50 %.0f ms p99 %.0f ms (%d of %d) | polled/pushed p50 x%.1f (budget x%.0f: %s)%n",
                ms(push, 0.50), ms(push, 0.99), push.length, transcripts, ms(poll, 0.50), ms(poll, 0.99), poll.length, transcripts,
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

    private static List<String> failures(byte[] response) throws java.io.IOException {
        JsonNode answer = JSON.readTree(response);
        if (!answer.path("batchItemFailures").isArray()) {
            throw new IllegalStateException("the Kinesis writer failed: " + answer);
        }
        List<String> failures = new ArrayList<>();
        answer.path("batchItemFailures").forEach(f -> failures.add(f.path("itemIdentifier").asText()));
        return failures;
    }

    private static long[] sorted(List<Long> values) {
        long[] array = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(array);
        return array;
    }

    private static double ms(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))] / 1e6;
    }

    /** A voice subscriber with Partials: when each transcript's first Partial came, and its final's Replaces. */
    private static final class VoiceSubscriber implements WebSocket.Listener {
        final CountDownLatch subscribed = new CountDownLatch(1);
        final CountDownLatch ended = new CountDownLatch(1);
        final Map<String, Long> firstPartialAt = new ConcurrentHashMap<>();
        final Map<String, Integer> revisions = new ConcurrentHashMap<>();
        final List<String> finals = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();
        volatile String error;
        int partials;
        int outOfOrder;

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                long now = System.nanoTime();
                try {
                    frame(JSON.readTree(text.toString()), now);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("a frame that is not JSON", e);
                }
                text.setLength(0);
            }
            socket.request(1);
            return null;
        }

        private synchronized void frame(JsonNode frame, long now) {
            switch (frame.path("Type").asText()) {
                case "Subscribed" -> subscribed.countDown();
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
    }

    /** Polls ListRealtimeContactAnalysisSegments (V1) at 1 request/s from the last NextToken, as its quota allows. */
    private static final class Poller implements Runnable {
        final Map<String, Long> seenAt = new ConcurrentHashMap<>();
        final AtomicBoolean stop = new AtomicBoolean();
        private final HttpClient http;
        private final URI uri;
        private final String contact;

        Poller(HttpClient http, URI endpoint, String contact) {
            this.http = http;
            this.uri = URI.create(endpoint + "/realtime-contact-analysis/analysis-segments");
            this.contact = contact;
        }

        @Override
        public void run() {
            String token = null;
            long next = System.nanoTime();
            try {
                while (!stop.get()) {
                    ObjectNode body = JSON.createObjectNode().put("InstanceId", INSTANCE).put("ContactId", contact).put("MaxResults", 100);
                    if (token != null) {
                        body.put("NextToken", token);
                    }
                    HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    long now = System.nanoTime();
                    JsonNode page = JSON.readTree(response.body());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("V1 answered " + response.statusCode() + ": " + page);
                    }
                    for (JsonNode segment : page.path("Segments")) {
                        if (segment.has("Transcript")) {
                            seenAt.putIfAbsent(segment.path("Transcript").path("Id").asText(), now);
                        }
                    }
                    if (!page.path("NextToken").isTextual()) {
                        return; // completed and read to the end
                    }
                    token = page.path("NextToken").asText();
                    next += POLL_NANOS;
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
}
