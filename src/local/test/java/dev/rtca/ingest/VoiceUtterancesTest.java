package dev.rtca.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.fixtures.Envelopes;
import dev.rtca.local.TestRuntime;
import dev.rtca.model.Json;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OpenTranscript;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.PartialTranscript;
import dev.rtca.segments.Utterance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.connectcontactlens.ConnectContactLensClient;

/**
 * The sample voice event (events/kinesis-voice-stream.json: two Utterances, then their transcript's final Transcript)
 * through the Kinesis writer as deployed: the Utterances are kept for their transcript, counted in the batch's log line;
 * delivered again, they are late (their final is stored) and counted; and no list response ever holds one.
 */
class VoiceUtterancesTest {
    private static final String SAMPLE_TRANSCRIPT = "121d1581-905f-4169-9804-b841bb4df04a";
    private final TestRuntime runtime = TestRuntime.shared();

    /** The sample's records, for a contact of its own (the sample's contact is other tests' too). */
    private static ObjectNode sampleFor(ContactKey contact) throws IOException {
        JsonNode sample = Json.tree(Files.readAllBytes(Path.of("events/kinesis-voice-stream.json")));
        List<JsonNode> envelopes = new ArrayList<>();
        for (JsonNode record : sample.path("Records")) {
            ObjectNode envelope = (ObjectNode) Envelopes.parse(Base64.getDecoder().decode(record.path("kinesis").path("data").asText()));
            envelopes.add(envelope.put("ContactId", contact.contactId()));
        }
        return Batches.kinesis(envelopes);
    }

    private static List<JsonNode> logLines(String stdout, String message) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            if (line.startsWith("{") && line.contains("\"" + message)) {
                out.add(Json.tree(line.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    @Test
    void theSampleVoiceEventsUtterancesAreKeptThenLateWhenDeliveredAgainAndNeverListed() throws IOException {
        ContactKey contact = new ContactKey("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", UUID.randomUUID().toString());
        ObjectNode batch = sampleFor(contact);

        String[] first = new String[1];
        assertEquals(List.of(), IngestorTest.captureStdout(first, () -> Readback.invokeBatch("KinesisIngestFunction", batch)));
        assertEquals(List.of(2), logLines(first[0], "batch processed").stream().map(l -> l.path("utterancesKept").asInt()).toList());
        List<Utterance> kept = runtime.store().utterances(contact, new OpenTranscript(OutputType.Raw, SAMPLE_TRANSCRIPT));
        assertEquals(Set.of("7b48ca3d-73d3-443a-bf34-a9e8fcc01747", "75acb743-2154-486b-aaeb-c960ae290e88"),
                kept.stream().map(Utterance::id).collect(Collectors.toSet()));
        assertEquals("Hello, thank you for calling Example Corp. My name is Adam. How can I help you?",
                PartialTranscript.assemble(kept).text(), "the partials assemble into the final's words");

        String[] again = new String[1];
        assertEquals(List.of(), IngestorTest.captureStdout(again, () -> Readback.invokeBatch("KinesisIngestFunction", batch)));
        assertEquals(List.of(0), logLines(again[0], "batch processed").stream().map(l -> l.path("utterancesKept").asInt()).toList());
        assertEquals(List.of(2), logLines(again[0], "Utterances ignored").stream().map(l -> l.path("lateUtterances").asInt()).toList());
        assertTrue(again[0].contains("\"LateUtterances\""), "the metric: " + again[0]);
        assertEquals(2, runtime.store().utterances(contact, new OpenTranscript(OutputType.Raw, SAMPLE_TRANSCRIPT)).size());

        // The list paths: the V1 operation (raw HTTP and the SDK) returns the stored segments and no Utterance.
        List<JsonNode> listed = Readback.rawV1All(contact, 1);
        assertEquals(4, listed.size(), "two Transcripts, Categories, PostContactSummary: " + listed);
        assertTrue(listed.stream().noneMatch(s -> s.has("Utterance")), listed.toString());
        ConnectContactLensClient lens = runtime.contactLens();
        List<String> sdk = new ArrayList<>();
        lens.listRealtimeContactAnalysisSegmentsPaginator(r -> r.instanceId(contact.instanceId()).contactId(contact.contactId())
                .maxResults(1)).forEach(page -> page.segments().forEach(s -> sdk.add(s.toString())));
        assertEquals(4, sdk.size());
        assertTrue(sdk.stream().noneMatch(s -> s.contains("Utterance") || s.contains("7b48ca3d")), sdk.toString());
    }
}
