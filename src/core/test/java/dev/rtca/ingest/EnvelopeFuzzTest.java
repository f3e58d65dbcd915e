package dev.rtca.ingest;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for the envelope every writer reads (bin/fuzz envelope): any bytes are an envelope or a
 * {@link PoisonEventException} (a typed refusal the writers report as that record's failure), never another exception.
 * In every build it runs over the inputs committed beside this class; bin/fuzz fuzzes it for real.
 */
class EnvelopeFuzzTest {

    @FuzzTest
    @DictionaryEntries({"\"Version\"", "\"1.0.0\"", "\"2.0.0\"", "\"Channel\"", "\"VOICE\"", "\"CHAT\"", "\"AccountId\"",
            "\"InstanceId\"", "\"ContactId\"", "\"StreamingEventType\"", "\"STARTED\"", "\"SEGMENTS\"", "\"COMPLETED\"",
            "\"FAILED\"", "\"OutputType\"", "\"Raw\"", "\"Redacted\"", "\"Segments\"", "\"Transcript\"", "\"Categories\"",
            "\"Issues\"", "\"Event\"", "\"Attachments\"", "\"PostContactSummary\"", "\"ExtractedInformation\"",
            "\"Utterance\"", "\"EventId\"", "\"Time\"", "\"AbsoluteTime\"", "\"Content\"", "\"Id\"", "\"ParticipantRole\""})
    void anyBytesAreAnEnvelopeOrPoison(byte[] input) {
        try {
            assertNotNull(Envelope.parse(input));
        } catch (PoisonEventException expected) {
            assertNotNull(expected.getMessage());
        }
    }
}
