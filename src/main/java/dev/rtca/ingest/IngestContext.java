package dev.rtca.ingest;

import dev.rtca.segments.ContactStore;
import dev.rtca.store.DynamoClients;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * The collaborators the ingest handlers' no-arg (Lambda) constructors use, built once per JVM so that a
 * SnapStart snapshot or a warm container reuses the DynamoDB client, table schemas and JSON mappers.
 */
final class IngestContext {
    private IngestContext() {
    }

    private static final class Holder {
        static final ContactStore STORE = DynamoClients.storeFromEnvironment();
        static final Ingestor INGESTOR = new Ingestor(STORE);
        /** Held strongly: CRaC keeps only weak references to registered resources. */
        static final Resource PRIMING = new Priming();

        static {
            Core.getGlobalContext().register(PRIMING);
        }
    }

    static Ingestor ingestor() {
        return Holder.INGESTOR;
    }

    /** A SEGMENTS envelope with one segment of every chat type, parsed (never applied) when priming. */
    static final String PRIMING_ENVELOPE = """
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

    /**
     * The read-only half of the ingest path, run once before SnapStart takes the snapshot: an envelope of
     * every segment type is parsed and validated (Jackson, the service model, canonical rendering) and its
     * contact, which does not exist, is looked up (a DynamoDB GetItem over HTTP). Nothing is written.
     *
     * @return whether the priming contact exists (it never should)
     */
    static boolean prime() {
        Envelope envelope = Envelope.parse(PRIMING_ENVELOPE);
        return Holder.STORE.find(envelope.contact()).isPresent();
    }

    /** Runs {@link #prime()} before the snapshot. */
    private static final class Priming implements Resource {
        @Override
        public void beforeCheckpoint(Context<? extends Resource> context) {
            prime();
        }

        @Override
        public void afterRestore(Context<? extends Resource> context) {
            // nothing to refresh: the clients hold no per-instance state that expires
        }
    }
}
