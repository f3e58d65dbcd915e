package dev.rtca.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtca.segments.Contact;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.store.DynamoContactStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.connectcontactlens.ConnectContactLensClient;
import software.amazon.awssdk.services.connectcontactlens.model.ListRealtimeContactAnalysisSegmentsResponse;
import software.amazon.awssdk.services.connectcontactlens.model.ResourceNotFoundException;

/**
 * bin/start-api's demo call: with no options the local API (its main class, in a JVM of its own) plays the scripted voice
 * call into its Kinesis writer, so a voice contact is IN_PROGRESS at once; {@code --empty} plays nothing; the loop keeps
 * one thread however often it plays, and stops with the runtime.
 */
@Timeout(180)
class DemoCallTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSTANCE = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";

    /** When the demo call's first Transcript is sent, from the start of a play (the file's own time). */
    private static long firstTranscriptMillis() {
        return Replay.read(Path.of("events", DemoCall.FILE)).stream()
                .filter(e -> e.envelope().path("Segments").path(0).has("Transcript"))
                .findFirst().orElseThrow().atMillis();
    }

    private static JsonNode contacts(URI api) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(api.resolve("/local/contacts")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            return JSON.readTree(response.body());
        }
    }

    @Test
    void startApiPlaysTheDemoCallAsAnInProgressVoiceContactAndStopsWithTheRuntime() throws Exception {
        try (LocalProcess api = new LocalProcess(LocalApi.class, Map.of(), "--port", "0")) {
            URI endpoint = api.awaitReady();
            long readyAt = System.nanoTime();
            assertTrue(api.output().contains("demo call: a scripted voice call plays now as demo-call-1"), api.output());
            // Its first Transcript is sent once its words are spoken; then V1 serves it, and the contact goes on.
            try (ConnectContactLensClient lens = TestRuntime.contactLens(endpoint, "AKIDDEMO", 3)) {
                ListRealtimeContactAnalysisSegmentsResponse page = null;
                long deadline = readyAt + Duration.ofMillis(firstTranscriptMillis()).plusSeconds(30).toNanos();
                while (System.nanoTime() < deadline) {
                    try {
                        page = lens.listRealtimeContactAnalysisSegments(r -> r.instanceId(INSTANCE).contactId("demo-call-1"));
                        if (!page.segments().isEmpty()) {
                            break;
                        }
                    } catch (ResourceNotFoundException e) {
                        // not STARTED yet
                    }
                    Thread.sleep(200);
                }
                assertTrue(page != null && !page.segments().isEmpty(), "no Transcript of demo-call-1:\n" + api.output());
                assertEquals("Thank you for calling AnyCompany Bank, this is Priya. How can I help you today?",
                        page.segments().getFirst().transcript().content());
                assertTrue(page.nextToken() != null, "IN_PROGRESS: V1 keeps a NextToken");
            }
            JsonNode demo = null;
            for (JsonNode contact : contacts(endpoint)) {
                if (contact.path("ContactId").asText().equals("demo-call-1")) {
                    demo = contact;
                }
            }
            assertTrue(demo != null, "demo-call-1 in the viewer's contact list");
            assertEquals(INSTANCE, demo.path("InstanceId").asText(), "the instance of the other demo contacts");
            assertEquals("VOICE", demo.path("Channel").asText());
            assertEquals("IN_PROGRESS", demo.path("Status").asText());

            long stopping = System.nanoTime();
            int status = api.stop();
            assertTrue(api.output().endsWith("Local API stopped."), "SIGTERM stops it as before (status " + status + " after "
                    + (System.nanoTime() - stopping) / 1_000_000 + " ms):\n" + api.output());
            assertFalse(api.output().contains("demo call: stopped"), "the stop interrupts the call quietly:\n" + api.output());
        }
    }

    @Test
    void emptyPlaysNoDemoCall() throws Exception {
        try (LocalProcess api = new LocalProcess(LocalApi.class, Map.of(), "--port", "0", "--empty")) {
            URI endpoint = api.awaitReady();
            // Nothing to wait for but time: as long as the demo call would take to store its first Transcript, and more.
            Thread.sleep(firstTranscriptMillis() + 3_000);
            assertEquals(0, contacts(endpoint).size(), "no contact at all:\n" + contacts(endpoint));
            assertFalse(api.output().contains("demo call"), api.output());
        }
    }

    @Test
    void theLoopPlaysAgainAndAgainOnOneThreadAndStopsWhenClosed() throws Exception {
        TestRuntime runtime = TestRuntime.shared();
        String base = "demo-loop-" + UUID.randomUUID();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        DemoCall call = DemoCall.start(runtime.runtime(), Path.of("events"), base, 500,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            DynamoContactStore store = runtime.store();
            awaitCompleted(store, base + "-2");
            int threadsAfter2 = Thread.activeCount();
            awaitCompleted(store, base + "-8");
            assertEquals(1, demoThreads(), "one thread plays every loop");
            assertTrue(Thread.activeCount() <= threadsAfter2 + 2,
                    "threads after 8 plays: " + Thread.activeCount() + ", after 2: " + threadsAfter2);
            assertTrue(call.playing());
        } finally {
            call.close();
        }
        assertFalse(call.playing(), "closed: it has stopped");
        assertEquals(0, demoThreads());
        assertEquals("", log.toString(StandardCharsets.UTF_8), "nothing rejected, no failure");
    }

    private static long demoThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("demo-call")).count();
    }

    private static void awaitCompleted(DynamoContactStore store, String contactId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Contact> contact = store.find(new ContactKey(INSTANCE, contactId));
            if (contact.isPresent() && contact.get().status() == ContactStatus.COMPLETED) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(contactId + " did not complete in 90 s");
    }
}
