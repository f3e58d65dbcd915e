package dev.rtca.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.local.LocalRuntime;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Push to an audience that arrives while the contact is written, as a supervisor floor does: the local API runs as a
 * process of its own ({@code bin/start-api --empty}), so that its memory and threads are measured alone, from
 * {@code /proc}; K subscribers join at random moments across the write; 1 to 3 writers (the Kinesis, SQS and
 * EventBridge functions, through the Invoke API, side by side) store N transcripts, then the contact completes.
 *
 * <p>It prints deliveries against the ideal (K × N: every subscriber every segment once), repeats, missing, out of
 * order, how many ended, frames (each a {@code PostToConnection} when deployed) per segment delivered, push latency
 * (from when both the segment was written and its subscriber had started to join, to its arrival), the time from a
 * join's start to its Subscribed frame, the server's peak RSS and threads, and the server's failed invocations.
 *
 * <p>Arguments: {@code subscribers writers [--server DIR]}: one writer stores 12 batches of 5 transcripts, 50 ms
 * apart, through the Kinesis writer, with the subscribers joining across it; three writers store 20 batches of 3 each,
 * side by side, with the subscribers joined before. {@code --server DIR} runs another checkout's local API (to
 * measure a build before a change with the same client).
 */
public final class LateAudienceBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long BATCH_INTERVAL_MILLIS = 50;
    private static final Duration END_WAIT = Duration.ofSeconds(60);

    private LateAudienceBench() {
    }

    /** One writer function: how it is invoked with an envelope. */
    enum Writer {
        KINESIS("KinesisIngestFunction"), SQS("SqsIngestFunction"), EVENTBRIDGE("EventBridgeIngestFunction");

        final String function;

        Writer(String function) {
            this.function = function;
        }

        ObjectNode event(ObjectNode envelope, long sequence) {
            ObjectNode event = JSON.createObjectNode();
            String id = UUID.randomUUID().toString();
            switch (this) {
                case KINESIS -> {
                    ObjectNode record = event.putArray("Records").addObject();
                    String sequenceNumber = String.format("4959%052d", sequence);
                    record.putObject("kinesis").put("partitionKey", envelope.path("ContactId").asText())
                            .put("sequenceNumber", sequenceNumber)
                            .put("data", Base64.getEncoder().encodeToString(envelope.toString().getBytes(StandardCharsets.UTF_8)));
                    record.put("eventID", "shardId-000000000000:" + sequenceNumber).put("eventSource", "aws:kinesis");
                }
                case SQS -> {
                    ObjectNode record = event.putArray("Records").addObject();
                    record.put("messageId", id).put("body", envelope.toString()).put("eventSource", "aws:sqs");
                    record.putObject("attributes").put("MessageGroupId", envelope.path("ContactId").asText())
                            .put("ApproximateReceiveCount", "1");
                }
                case EVENTBRIDGE -> {
                    event.put("version", "0").put("id", id).put("detail-type", "Contact Analysis Segments")
                            .put("source", "rtca.analysis").put("account", LocalRuntime.ACCOUNT).put("time", "2026-11-22T10:00:00Z")
                            .put("region", LocalRuntime.REGION);
                    event.putArray("resources");
                    event.set("detail", envelope);
                }
            }
            return event;
        }
    }

    public static void main(String[] args) throws Exception {
        int subscribers = Integer.parseInt(args[0]);
        int writers = Integer.parseInt(args[1]);
        Path server = args.length > 3 && args[2].equals("--server") ? Path.of(args[3]) : Path.of(".");
        boolean complete;
        try (Server local = Server.start(server)) {
            Result result = run(local, subscribers, writers);
            System.out.println(result.report(subscribers, writers, local));
            result.all().stream().filter(s -> s.error != null || s.ended.getCount() > 0).limit(5).forEach(s -> System.out.println(
                    "  not ended: " + (s.error != null ? s.error : s.frames + " frames, " + s.received() + " segments, "
                            + (s.subscribedAt == 0 ? "never subscribed" : "subscribed"))));
            complete = result.complete();
        }
        if (!complete) {
            System.exit(1); // after the server was stopped
        }
    }

    /** The local API in a process of its own, sampled from /proc every 20 ms. */
    private static final class Server implements AutoCloseable {
        final Process process;
        final URI endpoint;
        final AtomicLong peakThreads = new AtomicLong();
        /** The server's failed invocations: its ERROR log lines and the invocations it reports failed. */
        final AtomicInteger failures;
        private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

        private Server(Process process, URI endpoint, AtomicInteger failures) {
            this.process = process;
            this.endpoint = endpoint;
            this.failures = failures;
            sampler.scheduleAtFixedRate(() -> peakThreads.accumulateAndGet(status("Threads"), Math::max), 0, 20,
                    TimeUnit.MILLISECONDS);
        }

        static Server start(Path directory) throws Exception {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Process process = new ProcessBuilder("bin/start-api", "--empty", "--port", Integer.toString(port))
                    .directory(directory.toFile()).redirectErrorStream(true).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly)); // never left running
            CountDownLatch ready = new CountDownLatch(1);
            AtomicInteger failures = new AtomicInteger();
            Path log = Files.createTempFile("late-audience-server-", ".log");
            System.out.println("live: the local API's output goes to " + log);
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                     var out = Files.newBufferedWriter(log)) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        out.write(line);
                        out.newLine();
                        if (line.startsWith("Local API ready")) {
                            ready.countDown();
                        } else if (line.contains("\"level\":\"ERROR\"") || line.matches("function \\S+ failed.*")) {
                            failures.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    // the server stopped
                }
            });
            if (!ready.await(300, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the local API did not start in " + directory);
            }
            return new Server(process, URI.create("http://127.0.0.1:" + port), failures);
        }

        /** A number from /proc/PID/status (kB for sizes), or 0. */
        long status(String field) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                    if (line.startsWith(field + ":")) {
                        return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                    }
                }
            } catch (IOException | RuntimeException gone) {
                // the process ended
            }
            return 0;
        }

        @Override
        public void close() throws Exception {
            sampler.shutdownNow();
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private record Result(List<BenchSubscriber> all, int segments, long[] latencies, long[] joins, long rssKb, long threads,
                          int failures) {
        boolean complete() {
            return all.stream().allMatch(s -> s.error == null && s.ended.getCount() == 0 && s.received() == segments);
        }

        String report(int subscribers, int writers, Server server) {
            long entries = all.stream().mapToLong(s -> s.entries).sum();
            long repeats = all.stream().mapToLong(s -> s.repeats).sum();
            long missing = all.stream().mapToLong(s -> segments - s.received()).sum();
            long outOfOrder = all.stream().mapToLong(s -> s.outOfOrder).sum();
            long ended = all.stream().filter(s -> s.error == null && s.ended.getCount() == 0).count();
            long frames = all.stream().mapToLong(s -> s.frames).sum();
            long delivered = entries - repeats;
            long ideal = (long) subscribers * segments;
            return String.format("live, %s: %,d subscribers, %,d segments from %d writer%s: %,d deliveries (x%.3f of the ideal %,d), "
                            + "%,d repeats (%.2f%%), %,d missing, %,d out of order, %,d of %,d ended; %.2f frames (PostToConnection) "
                            + "per segment delivered; push p50 %.0f ms p99 %.0f ms; join → Subscribed p50 %.0f ms p99 %.0f ms; "
                            + "server peak RSS %,d MB, peak threads %,d, "
                            + "%d failed invocations",
                    writers == 1 ? "joining across the write" : "joined before, writers side by side",
                    subscribers, segments, writers, writers == 1 ? "" : "s", entries, entries / (double) ideal, ideal,
                    repeats, 100.0 * repeats / Math.max(1, entries), missing, outOfOrder, ended, subscribers,
                    frames / (double) Math.max(1, delivered), BenchStack.ms(latencies, 0.50), BenchStack.ms(latencies, 0.99),
                    BenchStack.ms(joins, 0.50), BenchStack.ms(joins, 0.99),
                    rssKb / 1024, threads,
                    failures);
        }
    }

    static Result run(Server server, int subscribers, int writers) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        String contact = UUID.randomUUID().toString();
        List<Writer> using = List.of(Writer.KINESIS, Writer.SQS, Writer.EVENTBRIDGE).subList(0, writers);
        int batches = writers == 1 ? 12 : 20;
        int perBatch = writers == 1 ? 5 : 3;
        int segments = batches * perBatch * writers;
        long[] sentAt = new long[segments];
        AtomicLong sequence = new AtomicLong();
        invoke(http, server.endpoint, Writer.KINESIS, Writer.KINESIS.event(LiveBench.envelope(contact, "STARTED", List.of()), sequence.incrementAndGet()));

        URI live = URI.create(server.endpoint.toString().replace("http:", "ws:") + "/live");
        String subscribe = "{\"action\":\"subscribe\",\"InstanceId\":\"" + LiveBench.INSTANCE + "\",\"ContactId\":\"" + contact
                + "\",\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"]}";
        List<BenchSubscriber> all = new ArrayList<>();
        List<CompletableFuture<?>> joins = new ArrayList<>();
        ScheduledExecutorService joining = Executors.newScheduledThreadPool(2);
        Random random = new Random(42);
        long writeMillis = batches * BATCH_INTERVAL_MILLIS;
        for (int i = 0; i < subscribers; i++) {
            BenchSubscriber subscriber = new BenchSubscriber(LiveBench::index);
            all.add(subscriber);
            CompletableFuture<Object> joined = new CompletableFuture<>();
            joins.add(joined);
            Runnable join = () -> {
                subscriber.joinedAt = System.nanoTime();
                http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30)).buildAsync(live, subscriber)
                    .thenCompose(socket -> socket.sendText(subscribe, true))
                    .whenComplete((socket, failure) -> {
                        if (failure != null) {
                            subscriber.error = "could not join: " + failure;
                            subscriber.ended.countDown();
                        }
                        joined.complete(null);
                    });
            };
            if (writers == 1) {
                joining.schedule(join, (long) (random.nextDouble() * writeMillis), TimeUnit.MILLISECONDS);
            } else {
                join.run();
            }
        }
        if (writers > 1) {
            CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            for (BenchSubscriber subscriber : all) {
                subscriber.subscribed.await(60, TimeUnit.SECONDS);
            }
        }

        AtomicInteger next = new AtomicInteger();
        List<Thread> writing = new ArrayList<>();
        long start = System.nanoTime();
        for (Writer writer : using) {
            writing.add(Thread.ofPlatform().start(() -> {
                for (int b = 0; b < batches; b++) {
                    long slot = start + TimeUnit.MILLISECONDS.toNanos(b * BATCH_INTERVAL_MILLIS);
                    try {
                        long wait = slot - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        List<ObjectNode> batch = new ArrayList<>();
                        long now = System.nanoTime();
                        for (int s = 0; s < perBatch; s++) {
                            int index = next.getAndIncrement();
                            sentAt[index] = now;
                            batch.add(LiveBench.transcript(index));
                        }
                        invoke(http, server.endpoint, writer, writer.event(LiveBench.envelope(contact, "SEGMENTS", batch), sequence.incrementAndGet()));
                    } catch (Exception e) {
                        throw new IllegalStateException(writer + " failed", e);
                    }
                }
            }));
        }
        for (Thread thread : writing) {
            thread.join();
        }
        invoke(http, server.endpoint, Writer.KINESIS, Writer.KINESIS.event(LiveBench.envelope(contact, "COMPLETED", List.of()), sequence.incrementAndGet()));
        CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + END_WAIT.toNanos();
        for (BenchSubscriber subscriber : all) {
            subscriber.ended.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        joining.shutdownNow();

        // A delivery's latency runs from when both the segment existed and its subscriber had asked: the writer's
        // invocation for a segment pushed live, the start of the join for one the catch-up brought.
        List<Long> latencies = new ArrayList<>();
        List<Long> joinTimes = new ArrayList<>();
        for (BenchSubscriber subscriber : all) {
            subscriber.arrivedAt.forEach((index, at) -> {
                if (index >= 0 && index < segments) {
                    latencies.add(at - Math.max(sentAt[index], subscriber.joinedAt));
                }
            });
            if (subscriber.subscribedAt != 0) {
                joinTimes.add(subscriber.subscribedAt - subscriber.joinedAt);
            }
        }
        return new Result(all, segments, BenchStack.sorted(latencies), BenchStack.sorted(joinTimes), server.status("VmHWM"),
                server.peakThreads.get(), server.failures.get());
    }

    /** Through the Invoke API, as an event source would; the writer must report no failure. */
    private static void invoke(HttpClient http, URI endpoint, Writer writer, ObjectNode event) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(endpoint + "/2015-03-31/functions/" + writer.function + "/invocations"))
                .POST(HttpRequest.BodyPublishers.ofString(event.toString())).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode answer = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        if (response.statusCode() != 200 || answer.has("errorMessage") || answer.path("batchItemFailures").size() > 0) {
            throw new IllegalStateException(writer + " answered " + response.statusCode() + ": " + response.body());
        }
    }
}
