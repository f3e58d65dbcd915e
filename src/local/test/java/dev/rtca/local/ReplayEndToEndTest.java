package dev.rtca.local;

import static dev.rtca.local.ReplayTest.envelope;
import static dev.rtca.local.ReplayTest.transcript;
import static dev.rtca.local.ReplayTest.utterance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.connectcontactlens.ConnectContactLensClient;
import software.amazon.awssdk.services.connectcontactlens.model.ListRealtimeContactAnalysisSegmentsResponse;
import software.amazon.awssdk.services.connectcontactlens.model.RealtimeContactAnalysisSegment;

/**
 * bin/replay's main class, in a JVM of its own as the script runs it, against a started local API: a short file at high
 * speed, then the contact read back through V1 with the official SDK.
 */
@Timeout(120)
class ReplayEndToEndTest {
    private static final String INSTANCE = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";
    private final TestRuntime runtime = TestRuntime.shared();

    private LocalProcess replay(Path dir, String... args) throws Exception {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--endpoint";
        all[args.length + 1] = runtime.endpoint().toString();
        return new LocalProcess(Replay.class, Map.of("RTCA_CALLER_DIR", dir.toString()), all);
    }

    @Test
    void aShortCallReplayedAtHighSpeedIsReadableThroughV1(@TempDir Path dir) throws Exception {
        String contact = "replay-" + UUID.randomUUID();
        Files.write(dir.resolve("call.jsonl"), ReplayTest.shortCall(contact));
        try (LocalProcess replay = replay(dir, "call.jsonl", "--speed", "20")) {
            assertEquals(0, replay.awaitExit(), replay.output());
            assertTrue(replay.output().contains("replay: 5 events sent, none rejected"), replay.output());
        }
        try (ConnectContactLensClient lens = runtime.contactLens()) {
            ListRealtimeContactAnalysisSegmentsResponse page = lens.listRealtimeContactAnalysisSegments(r -> r
                    .instanceId(INSTANCE).contactId(contact).maxResults(100));
            List<RealtimeContactAnalysisSegment> segments = page.segments();
            assertEquals(2, segments.size(), segments.toString());
            assertEquals("Hello, thank you for calling.", segments.get(0).transcript().content());
            assertEquals(2800, segments.get(0).transcript().endOffsetMillis());
            assertEquals(List.of("Greeting"), segments.get(1).categories().matchedCategories());
            assertEquals(null, page.nextToken(), "COMPLETED and drained: the replay's last event ended the contact");
        }
    }

    @Test
    void anEventTheWriterRejectsIsReportedByItsLineAndTheExitStatusIs1(@TempDir Path dir) throws Exception {
        String contact = "replay-" + UUID.randomUUID();
        // A chat contact, then a voice event for it: each is a valid event, the second is poison to the writer.
        String chatStarted = "{\"Version\":\"2.0.0\",\"Channel\":\"CHAT\",\"InstanceId\":\"" + INSTANCE + "\",\"ContactId\":\""
                + contact + "\",\"StreamingEventType\":\"STARTED\"}";
        Files.write(dir.resolve("mixed.jsonl"), List.of(chatStarted,
                envelope(contact, "SEGMENTS", utterance("u1", "t1", "a b", 0, 10) + "," + transcript("t1", "a b", 0, 10))));
        try (LocalProcess replay = replay(dir, dir.resolve("mixed.jsonl").toString(), "--speed", "50")) {
            assertEquals(1, replay.awaitExit(), replay.output());
            assertTrue(replay.output().contains("replay: REJECTED line 2 (" + contact + " SEGMENTS, sequence number "), replay.output());
            assertTrue(replay.output().contains("replay: 1 of 2 events REJECTED by the Kinesis writer"), replay.output());
        }
    }

    @Test
    void aLineThatIsNotJsonSendsNothingAndIsAUsageError(@TempDir Path dir) throws Exception {
        String contact = "replay-" + UUID.randomUUID();
        Files.write(dir.resolve("bad.jsonl"), List.of(envelope(contact, "STARTED", null), "{\"Version\": 1.0.0}"));
        try (LocalProcess replay = replay(dir, "bad.jsonl")) {
            assertEquals(2, replay.awaitExit(), replay.output());
            assertTrue(replay.output().startsWith("error: " + dir.resolve("bad.jsonl") + ": line 2: not JSON: "), replay.output());
        }
        assertTrue(runtime.store().find(new dev.rtca.segments.ContactKey(INSTANCE, contact)).isEmpty(), "its STARTED was not sent");
    }
}
