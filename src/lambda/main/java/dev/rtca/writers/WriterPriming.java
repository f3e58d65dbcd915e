package dev.rtca.writers;

import dev.rtca.ingest.Envelope;
import dev.rtca.segments.ContactStore;

/**
 * The read-only half of the ingest path, run once before SnapStart takes the snapshot: an envelope of every
 * segment type is parsed and validated (JSON, the service model, canonical rendering) and its contact, which does
 * not exist, is looked up (a DynamoDB GetItem over HTTP). Nothing is written.
 */
final class WriterPriming {
    /** A SEGMENTS envelope with one segment of every chat type. */
    static final String ENVELOPE = """
            {"Version":"2.0.0","Channel":"CHAT","InstanceId":"snapstart-priming","ContactId":"snapstart-priming",
             "StreamingEventType":"SEGMENTS","OutputType":"Raw","Segments":[
              {"Transcript":{"Id":"t","ParticipantId":"p","ParticipantRole":"AGENT","Content":"c",
                "Time":{"AbsoluteTime":"2024-03-14T19:39:26.715Z"},"Sentiment":"NEUTRAL"}},
              {"Categories":{"MatchedDetails":{"c":{"PointsOfInterest":[{"TranscriptItems":[{"Id":"t"}]}]}}}},
              {"Issues":{"IssuesDetected":[{"TranscriptItems":[{"Id":"t"}]}]}},
              {"Event":{"Id":"e","EventType":"x","Time":{"AbsoluteTime":"2024-03-14T19:39:26.715Z"}}},
              {"Attachments":{"Id":"a","ParticipantId":"p","ParticipantRole":"CUSTOMER","Attachments":[],
                "Time":{"AbsoluteTime":"2024-03-14T19:39:26.715Z"}}},
              {"PostContactSummary":{"Status":"FAILED"}},
              {"ExtractedInformation":{"ExtractionDefinitionId":"d","ExtractionDefinitionName":"n"}}]}""";

    private WriterPriming() {
    }

    /** @return whether the priming contact exists (it never should) */
    static boolean run(ContactStore store) {
        Envelope envelope = Envelope.parse(ENVELOPE);
        return store.find(envelope.contact()).isPresent();
    }
}
