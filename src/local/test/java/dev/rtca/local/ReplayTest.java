package dev.rtca.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay player's reading of a file and its timing, with a fake clock and a fake writer: no sleeps, no runtime.
 * (bin/replay against a running local API: {@code ReplayEndToEndTest}.)
 */
class ReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSTANCE = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";

    static String envelope(String contact, String eventType, String segments) {
        return "{\"Version\":\"1.0.0\",\"Channel\":\"VOICE\",\"InstanceId\":\"" + INSTANCE + "\",\"ContactId\":\"" + contact
                + "\",\"EventType\":\"" + eventType + "\"" + (segments == null ? "" : ",\"Segments\":[" + segments + "]") + "}";
    }

    static String utterance(String id, String transcriptId, String words, long begin, long end) {
        return "{\"Utterance\":{\"Id\":\"" + id + "\",\"TranscriptId\":\"" + transcriptId + "\",\"ParticipantId\":\"AGENT\","
                + "\"ParticipantRole\":\"AGENT\",\"PartialContent\":\"" + words + "\",\"BeginOffsetMillis\":" + begin
                + ",\"EndOffsetMillis\":" + end + "}}";
    }

    static String transcript(String id, String content, long begin, long end) {
        return "{\"Transcript\":{\"Id\":\"" + id + "\",\"ParticipantId\":\"AGENT\",\"ParticipantRole\":\"AGENT\",\"Content\":\""
                + content + "\",\"BeginOffsetMillis\":" + begin + ",\"EndOffsetMillis\":" + end + "}}";
    }

    static final String CATEGORIES = "{\"Categories\":{\"MatchedCategories\":[\"Greeting\"],\"MatchedDetails\":{\"Greeting\":"
            + "{\"PointsOfInterest\":[{\"BeginOffsetMillis\":100,\"EndOffsetMillis\":99000}]}}}}";

    /** A short call: STARTED, two Utterances, their Transcript with a Categories, a timed COMPLETED. */
    static List<String> shortCall(String contact) {
        return List.of(
                envelope(contact, "STARTED", null),
                envelope(contact, "SEGMENTS", utterance("u1", "t1", "Hello, thank you", 1000, 2100)),
                envelope(contact, "SEGMENTS", utterance("u2", "t1", "for calling.", 2100, 2800)),
                envelope(contact, "SEGMENTS", transcript("t1", "Hello, thank you for calling.", 1000, 2800) + "," + CATEGORIES),
                "{\"AtMillis\":4000,\"Event\":" + envelope(contact, "COMPLETED", null) + "}");
    }

    // ---- the file's timing -------------------------------------------------------------------------------------------

    @Test
    void aBareEnvelopeIsSentAtItsSegmentsLargestEndOffsetOrElseWithThePreviousEvent() {
        List<Replay.Timed> events = Replay.parse(shortCall("c"));
        assertEquals(List.of(0L, 2100L, 2800L, 2800L, 4000L), events.stream().map(Replay.Timed::atMillis).toList(),
                "STARTED: no segments, the start; Utterances: their ends; the Transcript: its end (the Categories' points "
                        + "of interest are not the segment's own offsets); COMPLETED: its AtMillis");
        assertEquals(List.of(1, 2, 3, 4, 5), events.stream().map(Replay.Timed::line).toList());
        assertEquals("COMPLETED", events.get(4).envelope().path("EventType").asText(), "the timed line's Event is the envelope");
    }

    @Test
    void anEventWithoutOffsetsTakesThePreviousEventsTimeAndTheFilesOrderIsTheSendingOrder() {
        List<Replay.Timed> events = Replay.parse(List.of(
                envelope("c", "SEGMENTS", utterance("u1", "t1", "a b", 500, 1500)),
                envelope("c", "SEGMENTS", CATEGORIES.replace("99000", "5000")),
                "",
                "{\"Event\":" + envelope("c", "SEGMENTS", utterance("u2", "t1", "c", 1500, 1700)) + ",\"AtMillis\":3000}",
                envelope("c", "SEGMENTS", utterance("u3", "t2", "d", 100, 900)),
                "{\"AtMillis\":200,\"Event\":" + envelope("c", "COMPLETED", null) + "}"));
        assertEquals(List.of(1500L, 1500L, 3000L, 3000L, 3000L), events.stream().map(Replay.Timed::atMillis).toList(),
                "Categories alone: the previous time; an earlier time than the previous one's: right after it");
        assertEquals(List.of(1, 2, 4, 5, 6), events.stream().map(Replay.Timed::line).toList(), "a blank line is skipped");
    }

    // ---- bad files: the line named, nothing sent -------------------------------------------------------------------

    private static String refusal(List<String> lines) {
        return assertThrows(Replay.BadInput.class, () -> Replay.parse(lines)).getMessage();
    }

    @Test
    void aLineThatIsNotJsonIsRefusedByItsNumber() {
        List<String> lines = new ArrayList<>(shortCall("c"));
        lines.set(2, "{\"Version\":\"1.0.0\",");
        assertTrue(refusal(lines).startsWith("line 3: not JSON: "), refusal(lines));
        lines.set(2, envelope("c", "STARTED", null) + " {}");
        assertTrue(refusal(lines).startsWith("line 3: not JSON: "), "two values on a line: " + refusal(lines));
    }

    @Test
    void aLineThatIsNotAnEventIsRefusedByItsNumberWithTheWritersReason() {
        assertEquals("line 2: not a JSON object (an event is an envelope or {\"AtMillis\": n, \"Event\": {...}})",
                refusal(List.of(envelope("c", "STARTED", null), "[1, 2]")));
        assertTrue(refusal(List.of(envelope("c", "STARTED", null), envelope("c", "SEGMENTS", "{\"Transcript\":{\"Id\":\"t\"}}")))
                .startsWith("line 2: not an event the writers accept: "), "a segment the model refuses");
        assertTrue(refusal(List.of(envelope("c", "BEGUN", null))).startsWith("line 1: not an event the writers accept: "));
        assertEquals("line 1: AtMillis must be a whole number of milliseconds, 0 or more",
                refusal(List.of("{\"AtMillis\":-1,\"Event\":" + envelope("c", "STARTED", null) + "}")));
        assertEquals("line 1: AtMillis must be a whole number of milliseconds, 0 or more",
                refusal(List.of("{\"AtMillis\":1.5,\"Event\":" + envelope("c", "STARTED", null) + "}")));
        assertEquals("line 1: AtMillis must be a whole number of milliseconds, 0 or more",
                refusal(List.of("{\"AtMillis\":\"10\",\"Event\":" + envelope("c", "STARTED", null) + "}")));
        assertEquals("line 1: AtMillis must be a whole number of milliseconds, 0 or more",
                refusal(List.of("{\"Event\":" + envelope("c", "STARTED", null) + "}")));
        assertEquals("line 1: Event must be the event's envelope, a JSON object", refusal(List.of("{\"AtMillis\":10}")));
        assertEquals("line 1: a timed event has AtMillis and Event only, not Segments",
                refusal(List.of("{\"AtMillis\":10,\"Event\":" + envelope("c", "STARTED", null) + ",\"Segments\":[]}")));
        assertEquals("no events in it", refusal(List.of("", "  ")));
    }

    @Test
    void aFileIsNamedInItsRefusal(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("call.jsonl");
        Files.write(file, List.of(envelope("c", "STARTED", null), "not json"));
        assertTrue(assertThrows(Replay.BadInput.class, () -> Replay.read(file)).getMessage().startsWith(file + ": line 2: not JSON: "));
        assertEquals(dir.resolve("none.jsonl") + ": no such file",
                assertThrows(Replay.BadInput.class, () -> Replay.read(dir.resolve("none.jsonl"))).getMessage());
        Files.write(file, new byte[] {'{', (byte) 0xC0, (byte) 0xAF, '}'});
        assertEquals(file + ": not UTF-8 text", assertThrows(Replay.BadInput.class, () -> Replay.read(file)).getMessage());
    }

    // ---- playing: when each event is sent, and as what ---------------------------------------------------------------

    /** A clock whose time moves only when the player sleeps (and by what each invocation is said to take). */
    static final class FakeClock implements Replay.Clock {
        long now = 1_000_000_000L;
        final List<Long> sleeps = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(long nanos) {
            assertTrue(nanos > 0, "a sleep of " + nanos);
            sleeps.add(nanos);
            now += nanos;
        }
    }

    /** A writer that notes when (on the fake clock) it got each Kinesis event, and rejects the records it is told to. */
    static final class FakeWriter implements Replay.Writer {
        final FakeClock clock;
        final long invocationNanos;
        final List<Long> at = new ArrayList<>();
        final List<JsonNode> events = new ArrayList<>();
        final List<Integer> reject;

        FakeWriter(FakeClock clock, long invocationNanos, List<Integer> reject) {
            this.clock = clock;
            this.invocationNanos = invocationNanos;
            this.reject = reject;
        }

        @Override
        public List<String> invoke(byte[] kinesisEvent) {
            try {
                JsonNode event = JSON.readTree(kinesisEvent);
                at.add(clock.now);
                events.add(event);
                clock.now += invocationNanos;
                return reject.contains(events.size()) ? List.of(event.path("Records").get(0).path("kinesis").path("sequenceNumber").asText())
                        : List.of();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        List<Long> millisFrom(long start) {
            return at.stream().map(t -> (t - start) / 1_000_000).toList();
        }

        JsonNode envelope(int i) throws IOException {
            return JSON.readTree(Base64.getDecoder().decode(events.get(i).path("Records").get(0).path("kinesis").path("data").asText()));
        }
    }

    @Test
    void eachEventIsSentAtItsTimeDividedByTheSpeed() throws Exception {
        FakeClock clock = new FakeClock();
        long start = clock.now;
        FakeWriter writer = new FakeWriter(clock, 0, List.of());
        List<String> progress = new ArrayList<>();
        int rejected = new Replay.Player(Replay.parse(shortCall("c")), 2, clock, writer, progress::add, System.err).play("", 0);
        assertEquals(0, rejected);
        assertEquals(List.of(0L, 1050L, 1400L, 1400L, 2000L), writer.millisFrom(start), "at speed 2, half the file's times");
        assertEquals(3, clock.sleeps.size(), "no sleep for an event due now");
        assertEquals(5, progress.size(), "one line per event sent");
        assertTrue(progress.get(3).contains("line 4  c SEGMENTS (Transcript, Categories)"), progress.get(3));
    }

    @Test
    void anEventDueWhileTheWriterWasBusyIsSentAtOnceAndTheScheduleDoesNotSlip() throws Exception {
        FakeClock clock = new FakeClock();
        long start = clock.now;
        FakeWriter writer = new FakeWriter(clock, 1_500_000_000L, List.of()); // each invocation takes 1.5 s
        new Replay.Player(Replay.parse(shortCall("c")), 1, clock, writer, null, System.err).play("", 0);
        assertEquals(List.of(0L, 2100L, 3600L, 5100L, 6600L), writer.millisFrom(start),
                "due at 0, 2100, 2800, 2800, 4000: late ones go at once, and the times stay the file's (not shifted by the delays)");
    }

    @Test
    void eachEventIsOneKinesisRecordOfItsEnvelopeAsLambdaDeliversIt() throws Exception {
        FakeClock clock = new FakeClock();
        FakeWriter writer = new FakeWriter(clock, 0, List.of());
        List<String> lines = shortCall("c");
        new Replay.Player(Replay.parse(lines), 1000, clock, writer, null, System.err).play("", 7);
        String previous = "";
        for (int i = 0; i < lines.size(); i++) {
            JsonNode records = writer.events.get(i).path("Records");
            assertEquals(1, records.size());
            JsonNode record = records.get(0);
            String sequence = record.path("kinesis").path("sequenceNumber").asText();
            assertTrue(sequence.matches("[0-9]{41}"), sequence);
            assertTrue(sequence.compareTo(previous) > 0, "increasing sequence numbers: " + previous + " then " + sequence);
            previous = sequence;
            assertEquals("shardId-000000000000:" + sequence, record.path("eventID").asText());
            assertEquals("c", record.path("kinesis").path("partitionKey").asText());
            assertEquals("aws:kinesis", record.path("eventSource").asText());
            JsonNode line = JSON.readTree(lines.get(i));
            assertEquals(line.has("Event") ? line.get("Event") : line, writer.envelope(i), "the data is the envelope as written");
        }
        assertTrue(writer.events.getFirst().path("Records").get(0).path("kinesis").path("sequenceNumber").asText().endsWith("07"),
                "the first counter the play was given");
    }

    @Test
    void aRecordTheWriterRejectsIsReportedLoudlyAndCounted() throws Exception {
        FakeClock clock = new FakeClock();
        FakeWriter writer = new FakeWriter(clock, 0, List.of(2, 4));
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rejected = new Replay.Player(Replay.parse(shortCall("c")), 1, clock, writer, null,
                new PrintStream(errors, true, StandardCharsets.UTF_8)).play("", 0);
        assertEquals(2, rejected);
        List<String> reported = errors.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, reported.size(), reported.toString());
        assertTrue(reported.get(0).startsWith("replay: REJECTED line 2 (c SEGMENTS, sequence number "), reported.get(0));
        assertTrue(reported.get(1).startsWith("replay: REJECTED line 4 (c SEGMENTS, sequence number "), reported.get(1));
        assertTrue(reported.get(1).contains("batchItemFailures"), reported.get(1));
    }

    @Test
    void aLoopPlaysEachTimeUnderFreshContactIdsWithAPauseBetween() throws Exception {
        FakeClock clock = new FakeClock();
        long start = clock.now;
        FakeWriter writer = new FakeWriter(clock, 0, List.of());
        List<String> lines = new ArrayList<>(shortCall("call"));
        lines.add(1, envelope("other", "STARTED", null)); // a file of two contacts
        new Replay.Player(Replay.parse(lines), 1, clock, writer, null, System.err).loop(3);
        assertEquals(18, writer.events.size());
        List<String> contacts = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < writer.events.size(); i++) {
            contacts.add(writer.envelope(i).path("ContactId").asText());
            keys.add(writer.events.get(i).path("Records").get(0).path("kinesis").path("partitionKey").asText());
        }
        assertEquals(List.of("call-1", "other-1", "call-1", "call-1", "call-1", "call-1",
                "call-2", "other-2", "call-2", "call-2", "call-2", "call-2",
                "call-3", "other-3", "call-3", "call-3", "call-3", "call-3"), contacts);
        assertEquals(contacts, keys, "the partition key is the ContactId sent");
        long pause = Replay.LOOP_PAUSE_MILLIS;
        assertEquals(List.of(0L, 0L, 2100L, 2800L, 2800L, 4000L), writer.millisFrom(start).subList(0, 6));
        assertEquals(List.of(4000 + pause, 4000 + pause, 6100 + pause, 6800 + pause, 6800 + pause, 8000 + pause),
                writer.millisFrom(start).subList(6, 12), "the second play starts the pause after the first ended");
        assertEquals(18, writer.events.stream().map(e -> e.path("Records").get(0).path("kinesis").path("sequenceNumber").asText())
                .distinct().count(), "no sequence number twice across plays");
        assertEquals("call", Replay.parse(lines).getFirst().contactId(), "the parsed file is not changed by a play");
    }

    @Test
    void theLoopPauseIsTheReadmes5Seconds() {
        assertEquals(5_000, Replay.LOOP_PAUSE_MILLIS);
    }

    // ---- the command line ---------------------------------------------------------------------------------------------

    private record Run(int status, String out, String err) {
    }

    private static Run run(Path dir, String... args) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Replay.run(args, dir, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badOptionsAndBadFilesAreUsageErrorsWithExitStatus2(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("call.jsonl"), shortCall("c"));
        Files.write(dir.resolve("bad.jsonl"), List.of(envelope("c", "STARTED", null), "", "{oops"));
        assertEquals(new Run(2, "", "error: --speed: must be a number above 0, was 0\n"), run(dir, "call.jsonl", "--speed", "0"));
        assertEquals(new Run(2, "", "error: --speed: must be a number above 0, was -2\n"), run(dir, "call.jsonl", "--speed", "-2"));
        assertEquals(new Run(2, "", "error: --speed: not a number: fast\n"), run(dir, "call.jsonl", "--speed", "fast"));
        assertEquals(new Run(2, "", "error: --speed: must be a number above 0, was Infinity\n"), run(dir, "call.jsonl", "--speed", "Infinity"));
        assertEquals(new Run(2, "", "error: --speed needs a value\n"), run(dir, "call.jsonl", "--speed"));
        assertEquals(new Run(2, "", "error: --endpoint: not an http:// or https:// URL of a host: localhost:3000\n"),
                run(dir, "call.jsonl", "--endpoint", "localhost:3000"));
        assertEquals(new Run(2, "", "error: unknown option --fast (try --help)\n"), run(dir, "call.jsonl", "--fast"));
        assertEquals(new Run(2, "", "error: one FILE only, got " + dir.resolve("call.jsonl") + " and other.jsonl\n"),
                run(dir, "call.jsonl", "other.jsonl"));
        assertTrue(run(dir).err().startsWith("error: FILE is missing\nusage: bin/replay FILE"), run(dir).err());
        assertEquals(new Run(2, "", "error: " + dir.resolve("none.jsonl") + ": no such file\n"), run(dir, "none.jsonl"));
        Run bad = run(dir, "bad.jsonl");
        assertEquals(2, bad.status());
        assertTrue(bad.err().startsWith("error: " + dir.resolve("bad.jsonl") + ": line 3: not JSON: "), bad.err());
    }

    @Test
    void aFileIsFoundWhereTheCommandWasRunAndTheDefaultEndpointFollowsPort(@TempDir Path dir) {
        Replay.Options options = Replay.parse(new String[] {"calls/one.jsonl", "--loop", "--speed", "2.5"}, dir, Map.of("PORT", "3170"));
        assertEquals(new Replay.Options(dir.resolve("calls/one.jsonl"), 2.5, java.net.URI.create("http://127.0.0.1:3170"), true), options);
        assertEquals(java.net.URI.create("http://127.0.0.1:3000"), Replay.parse(new String[] {"/abs.jsonl"}, dir, Map.of()).endpoint());
        assertEquals(Path.of("/abs.jsonl"), Replay.parse(new String[] {"/abs.jsonl"}, dir, Map.of()).file());
    }

    @Test
    void anEndpointThatDoesNotAnswerEndsTheReplayWithExitStatus1(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("call.jsonl"), shortCall("c"));
        Run run = run(dir, "call.jsonl", "--speed", "1000", "--endpoint", "http://127.0.0.1:" + LocalDynamo.freePort());
        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().startsWith("error: cannot reach the Invoke API at http://127.0.0.1:"), run.err());
    }
}
