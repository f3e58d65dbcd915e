package dev.rtca.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.ingest.Envelope;
import dev.rtca.ingest.PoisonEventException;
import dev.rtca.model.Json;
import dev.rtca.model.MalformedJsonException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code bin/replay FILE [--speed X] [--endpoint URL] [--loop]}: plays a file of real-time segment stream events into the
 * Kinesis writer with the file's timing, as Amazon Connect's stream would deliver them, through the Lambda Invoke API of
 * a local runtime ({@code bin/start-api}, or {@code sam local start-lambda}).
 *
 * <p>The file is JSON Lines: each line one event, either a bare envelope (what a Kinesis record's data holds) or
 * {@code {"AtMillis": n, "Event": {...envelope...}}}. An event is sent at its time from the start of the replay,
 * divided by the speed: {@code AtMillis} when given; else the largest {@code EndOffsetMillis} among the envelope's
 * segments (an Utterance is sent once its last word is spoken, a Transcript once its sentence is); else (STARTED,
 * COMPLETED, Categories alone) the previous event's time. The file's order is the sending order: an event whose time is
 * before the previous one's is sent right after it. Blank lines are skipped.
 *
 * <p>The whole file is read and every event validated as the writers validate it before anything is sent, so a bad file
 * changes nothing. Each event goes as a Kinesis event of one record (the envelope base64-encoded as {@code data},
 * {@code partitionKey} its ContactId, increasing sequence numbers, {@code eventID} {@code shardId-000000000000:<seq>}).
 * A record the writer reports in {@code batchItemFailures} is reported on stderr and counted; a function error or an
 * Invoke API error ends the replay.
 *
 * <p>With {@code --loop} the file plays again and again, each time under fresh ContactIds ({@code <ContactId>-<n>} for
 * the n-th play, from 1), so each play is a new contact (the same events under the same ContactId would be stored once).
 */
public final class Replay {
    /** The function template.yaml wires to the segment stream (Kinesis). */
    public static final String KINESIS_WRITER = "KinesisIngestFunction";
    /** The pause between two plays of a looping replay, in the file's time (divided by the speed, as the events are). */
    public static final long LOOP_PAUSE_MILLIS = 5_000;
    static final String DEFAULT_ENDPOINT = "http://127.0.0.1:3000";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Replay() {
    }

    /**
     * One event of a replay file.
     *
     * @param line     its line number in the file (from 1)
     * @param atMillis when it is sent, in milliseconds from the start of the replay at speed 1
     */
    public record Timed(int line, long atMillis, ObjectNode envelope) {
        String contactId() {
            return envelope.path("ContactId").asText();
        }

        String eventType() {
            return envelope.path("EventType").asText(envelope.path("StreamingEventType").asText());
        }
    }

    /** A replay file or command line that cannot be played, and why (a usage error: exit status 2). */
    public static final class BadInput extends RuntimeException {
        public BadInput(String message) {
            super(message);
        }
    }

    /** The replay could not go on: the Invoke API or the function failed (exit status 1). */
    public static final class WriterFailed extends RuntimeException {
        public WriterFailed(String message) {
            super(message);
        }
    }

    // ---- the file ---------------------------------------------------------------------------------------------------

    /** Reads and validates a replay file; {@link BadInput} naming the file and the line when it cannot be played. */
    public static List<Timed> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInput(file + ": no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new BadInput(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new BadInput(file + ": cannot read it: " + e.getMessage());
        }
        try {
            return parse(lines);
        } catch (BadInput e) {
            throw new BadInput(file + ": " + e.getMessage());
        }
    }

    /** The events of a replay file's lines, each with its time; {@link BadInput} naming the first line at fault. */
    public static List<Timed> parse(List<String> lines) {
        List<Timed> events = new ArrayList<>();
        long previous = 0;
        for (int i = 0; i < lines.size(); i++) {
            int line = i + 1;
            String text = lines.get(i);
            if (text.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = Json.tree(text.getBytes(StandardCharsets.UTF_8));
            } catch (MalformedJsonException e) {
                throw new BadInput("line " + line + ": not JSON: " + e.getMessage());
            }
            if (!node.isObject()) {
                throw new BadInput("line " + line + ": not a JSON object (an event is an envelope or {\"AtMillis\": n, \"Event\": {...}})");
            }
            Long at = null;
            JsonNode envelope = node;
            if (node.has("AtMillis") || node.has("Event")) {
                at = atMillis(node, line);
                envelope = node.get("Event");
                if (envelope == null || !envelope.isObject()) {
                    throw new BadInput("line " + line + ": Event must be the event's envelope, a JSON object");
                }
            }
            try {
                Envelope.parse(envelope);
            } catch (PoisonEventException e) {
                throw new BadInput("line " + line + ": not an event the writers accept: " + e.getMessage());
            }
            long time = Math.max(previous, at != null ? at : endOffset(envelope).orElse(previous));
            events.add(new Timed(line, time, (ObjectNode) envelope));
            previous = time;
        }
        if (events.isEmpty()) {
            throw new BadInput("no events in it");
        }
        return List.copyOf(events);
    }

    private static long atMillis(JsonNode timed, int line) {
        for (Iterator<String> names = timed.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("AtMillis") && !name.equals("Event")) {
                throw new BadInput("line " + line + ": a timed event has AtMillis and Event only, not " + name);
            }
        }
        JsonNode at = timed.get("AtMillis");
        if (at == null || !at.isIntegralNumber() || !at.canConvertToLong() || at.longValue() < 0) {
            throw new BadInput("line " + line + ": AtMillis must be a whole number of milliseconds, 0 or more");
        }
        return at.longValue();
    }

    /** The largest EndOffsetMillis among the envelope's segments (each segment's own member), if any has one. */
    private static java.util.OptionalLong endOffset(JsonNode envelope) {
        long end = -1;
        for (JsonNode segment : envelope.path("Segments")) {
            for (JsonNode body : segment) {
                JsonNode offset = body.path("EndOffsetMillis");
                if (offset.canConvertToLong()) {
                    end = Math.max(end, offset.longValue());
                }
            }
        }
        return end < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(end);
    }

    // ---- playing ----------------------------------------------------------------------------------------------------

    /** Time as the player sees it: now, and a wait. Tests give a fake one; no test sleeps. */
    public interface Clock {
        long nanoTime();

        void sleep(long nanos) throws InterruptedException;

        Clock SYSTEM = new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(long nanos) throws InterruptedException {
                TimeUnit.NANOSECONDS.sleep(nanos);
            }
        };
    }

    /** The Kinesis writer: invoked with a Kinesis event, it answers the identifiers of its batch item failures. */
    public interface Writer {
        List<String> invoke(byte[] kinesisEvent) throws InterruptedException;
    }

    /**
     * Plays a file's events at {@code speed} times their pace into a writer.
     *
     * @param progress told one line per event sent (null: quiet)
     * @param errors   where rejected events are reported
     */
    public record Player(List<Timed> events, double speed, Clock clock, Writer writer, Consumer<String> progress,
                         PrintStream errors) {
        public Player {
            events = List.copyOf(events);
            if (!(speed > 0) || Double.isInfinite(speed)) {
                throw new BadInput("--speed: must be a number above 0, was " + speed);
            }
        }

        /**
         * One play of the file, under the file's ContactIds with {@code suffix} appended (empty: as written).
         *
         * @param firstSequence the first record's sequence number's counter; the play uses one per event
         * @return how many events the writer rejected
         */
        public int play(String suffix, long firstSequence) throws InterruptedException {
            long start = clock.nanoTime();
            int rejected = 0;
            long sequence = firstSequence;
            for (Timed event : events) {
                long due = start + nanos(event.atMillis());
                long wait = due - clock.nanoTime();
                if (wait > 0) {
                    clock.sleep(wait);
                }
                ObjectNode envelope = event.envelope();
                String contact = event.contactId() + suffix;
                if (!suffix.isEmpty()) {
                    envelope = envelope.deepCopy();
                    envelope.put("ContactId", contact);
                }
                String sequenceNumber = sequenceNumber(sequence++);
                List<String> failures = writer.invoke(KinesisEvent.of(List.of(new KinesisEvent.Record(envelope, sequenceNumber))));
                if (!failures.isEmpty()) {
                    rejected++;
                    errors.printf("replay: REJECTED line %d (%s %s, sequence number %s): the Kinesis writer reported it in "
                            + "batchItemFailures %s; its log says why%n", event.line(), contact, event.eventType(), sequenceNumber, failures);
                } else if (progress != null) {
                    progress.accept(String.format(Locale.ROOT, "%8.3f s  line %d  %s %s%s", event.atMillis() / 1000.0,
                            event.line(), contact, event.eventType(), segmentTypes(envelope)));
                }
            }
            return rejected;
        }

        /** Plays the file {@code times} times (0: until interrupted), the n-th play under ContactIds {@code <id>-<n>}. */
        public int loop(int times) throws InterruptedException {
            int rejected = 0;
            long sequence = 0;
            for (int n = 1; times == 0 || n <= times; n++) {
                if (n > 1) {
                    clock.sleep(nanos(LOOP_PAUSE_MILLIS));
                }
                rejected += play("-" + n, sequence);
                sequence += events.size();
            }
            return rejected;
        }

        private long nanos(long millis) {
            return (long) Math.ceil(millis * 1_000_000.0 / speed);
        }
    }

    private static String segmentTypes(JsonNode envelope) {
        StringBuilder types = new StringBuilder();
        for (JsonNode segment : envelope.path("Segments")) {
            segment.fieldNames().forEachRemaining(name -> types.append(types.isEmpty() ? " (" : ", ").append(name));
        }
        return types.isEmpty() ? "" : types.append(')').toString();
    }

    /** Sequence numbers increase within a process and from one process to the next (they start at the clock's ms). */
    private static final long EPOCH_MILLIS = System.currentTimeMillis();

    static String sequenceNumber(long counter) {
        return String.format(Locale.ROOT, "49%019d%020d", EPOCH_MILLIS, counter);
    }

    /** The identifiers of a batch response's {@code batchItemFailures}; a response without the member is a failure. */
    static List<String> batchItemFailures(byte[] response) {
        JsonNode answer;
        try {
            answer = JSON.readTree(response);
        } catch (IOException e) {
            throw new WriterFailed("the Kinesis writer answered something that is not JSON: " + new String(response, StandardCharsets.UTF_8));
        }
        if (answer == null || !answer.path("batchItemFailures").isArray()) {
            throw new WriterFailed("the Kinesis writer failed: " + (answer == null ? "no answer" : answer.toString()));
        }
        List<String> failures = new ArrayList<>();
        answer.path("batchItemFailures").forEach(f -> failures.add(f.path("itemIdentifier").asText()));
        return failures;
    }

    /** The Kinesis writer of a runtime in this process (bin/start-api's demo call). */
    public static Writer inProcess(LocalRuntime runtime) {
        return event -> {
            try {
                return batchItemFailures(runtime.invoke(KINESIS_WRITER, event));
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                throw new WriterFailed("the Kinesis writer failed: " + e);
            }
        };
    }

    /** The Kinesis writer behind a Lambda Invoke API ({@code POST /2015-03-31/functions/{name}/invocations}). */
    static Writer invokeApi(HttpClient http, URI endpoint) {
        URI invoke = URI.create(endpoint.toString().replaceAll("/+$", "") + "/2015-03-31/functions/" + KINESIS_WRITER + "/invocations");
        return event -> {
            HttpResponse<byte[]> response;
            try {
                response = http.send(HttpRequest.newBuilder(invoke).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(event)).build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (ConnectException e) {
                throw new WriterFailed("cannot reach the Invoke API at " + endpoint + " (is bin/start-api running there?)");
            } catch (IOException e) {
                throw new WriterFailed("the Invoke API at " + endpoint + " failed: " + e);
            }
            String body = new String(response.body(), StandardCharsets.UTF_8);
            if (response.statusCode() != 200) {
                throw new WriterFailed("the Invoke API at " + endpoint + " answered " + response.statusCode() + ": " + body);
            }
            if (response.headers().firstValue("X-Amz-Function-Error").isPresent()) {
                throw new WriterFailed("the Kinesis writer failed: " + body);
            }
            return batchItemFailures(response.body());
        };
    }

    // ---- the command ------------------------------------------------------------------------------------------------

    record Options(Path file, double speed, URI endpoint, boolean loop) {
    }

    static final String USAGE = """
            usage: bin/replay FILE [--speed X] [--endpoint URL] [--loop]
              FILE            segment stream events, JSON Lines: each line an envelope, or {"AtMillis": n, "Event": {...}}
              --speed X       play X times as fast (default 1: the file's own timing)
              --endpoint URL  the local API whose Invoke API runs the Kinesis writer (default http://127.0.0.1:$PORT, else :3000)
              --loop          play again and again, each play under fresh ContactIds (<ContactId>-1, -2, ...)""";

    /** The options, or null after printing the usage (--help); {@link BadInput} for a bad command line. */
    static Options parse(String[] args, Path workingDirectory, Map<String, String> environment) {
        Path file = null;
        double speed = 1;
        String port = environment.get("PORT");
        URI endpoint = URI.create(port == null || port.isBlank() ? DEFAULT_ENDPOINT : "http://127.0.0.1:" + port.trim());
        boolean loop = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--speed" -> speed = speed(value(args, ++i, "--speed"));
                case "--endpoint" -> endpoint = endpoint(value(args, ++i, "--endpoint"));
                case "--loop" -> loop = true;
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return null;
                }
                default -> {
                    if (args[i].startsWith("-")) {
                        throw new BadInput("unknown option " + args[i] + " (try --help)");
                    }
                    if (file != null) {
                        throw new BadInput("one FILE only, got " + file + " and " + args[i]);
                    }
                    file = workingDirectory.resolve(args[i]);
                }
            }
        }
        if (file == null) {
            throw new BadInput("FILE is missing\n" + USAGE);
        }
        return new Options(file, speed, endpoint, loop);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new BadInput(option + " needs a value");
        }
        return args[index];
    }

    private static double speed(String text) {
        double speed;
        try {
            speed = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new BadInput("--speed: not a number: " + text);
        }
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new BadInput("--speed: must be a number above 0, was " + text);
        }
        return speed;
    }

    private static URI endpoint(String text) {
        try {
            URI uri = new URI(text);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // said below
        }
        throw new BadInput("--endpoint: not an http:// or https:// URL of a host: " + text);
    }

    /** Exit status: 0 played, 1 the writer rejected events or could not be invoked, 2 a usage error. */
    public static void main(String[] args) throws InterruptedException {
        // bin/run-local runs from the project directory; FILE is relative to where bin/replay was called.
        String callerDirectory = System.getenv().getOrDefault("RTCA_CALLER_DIR", "");
        Path workingDirectory = Path.of(callerDirectory.isBlank() ? "" : callerDirectory).toAbsolutePath();
        System.exit(run(args, workingDirectory, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Path workingDirectory, Map<String, String> environment, PrintStream out, PrintStream err)
            throws InterruptedException {
        Options options;
        List<Timed> events;
        try {
            options = parse(args, workingDirectory, environment);
            if (options == null) {
                return 0;
            }
            events = read(options.file());
        } catch (BadInput e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        long contacts = events.stream().map(Timed::contactId).distinct().count();
        out.printf(Locale.ROOT, "replay: %s, %d events of %d contact(s), %.1f s at speed %s, into %s at %s%s%n", options.file(),
                events.size(), contacts, events.getLast().atMillis() / 1000.0 / options.speed(), text(options.speed()),
                KINESIS_WRITER, options.endpoint(), options.loop() ? ", looping (Ctrl-C stops)" : "");
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            Player player = new Player(events, options.speed(), Clock.SYSTEM, invokeApi(http, options.endpoint()), out::println, err);
            int rejected = options.loop() ? player.loop(0) : player.play("", 0);
            if (rejected > 0) {
                err.printf("replay: %d of %d events REJECTED by the Kinesis writer%n", rejected, events.size());
                return 1;
            }
            out.printf("replay: %d events sent, none rejected%n", events.size());
            return 0;
        } catch (WriterFailed e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static String text(double speed) {
        return speed == Math.rint(speed) ? Long.toString((long) speed) : Double.toString(speed);
    }
}
