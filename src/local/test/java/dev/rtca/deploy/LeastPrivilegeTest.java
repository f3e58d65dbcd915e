package dev.rtca.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rtca.fixtures.Envelopes;
import dev.rtca.ingest.Batches;
import dev.rtca.live.LiveClient;
import dev.rtca.live.LiveProtocolTest;
import dev.rtca.local.DemoData;
import dev.rtca.local.LocalDynamo;
import dev.rtca.local.LocalRuntime;
import dev.rtca.local.Template;
import dev.rtca.local.TestRuntime;
import dev.rtca.segments.ContactKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.connect.model.ResourceNotFoundException;
import software.amazon.awssdk.services.connectcontactlens.ConnectContactLensClient;

/**
 * The functions' IAM policies in template.yaml grant exactly the DynamoDB actions the code calls: the local
 * runtime lets each function reach DynamoDB only through its policy (a missing action fails as deployed), and
 * after every function has done its work, the actions it used must be all the policy grants.
 */
class LeastPrivilegeTest {
    private static final String INSTANCE = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";

    @Test
    void everyFunctionUsesExactlyTheDynamoDbActionsItsPolicyGrants() throws Exception {
        Template template = Template.load(Path.of("template.yaml"));
        LocalRuntime runtime = LocalRuntime.start(LocalRuntime.Options.defaults(0).withTable("rtca-least-privilege"),
                LocalDynamo.shared());
        try (ConnectClient connect = TestRuntime.connect(runtime.endpoint(), "local", 1);
             ConnectContactLensClient lens = TestRuntime.contactLens(runtime.endpoint(), "local", 1)) {
            DemoData.load(runtime, Path.of("events")); // every writer, every event type
            DemoData.load(runtime, Path.of("events")); // and every redelivery path
            // Each writer appends to a contact whose latest Id log another wrote: it reads that log first.
            ContactKey shared = Envelopes.newContact();
            runtime.invoke("KinesisIngestFunction", Envelopes.bytes(Batches.kinesis(List.of(
                    Envelopes.chatSegments(shared, "Raw", LiveProtocolTest.transcripts("k", 0, 2))))));
            runtime.invoke("SqsIngestFunction", Envelopes.bytes(Batches.sqs(List.of(
                    Envelopes.chatSegments(shared, "Raw", LiveProtocolTest.transcripts("k", 1, 2))))));
            LiveProtocolTest.write(runtime, Envelopes.chatSegments(shared, "Raw", LiveProtocolTest.transcripts("k", 2, 2)));
            runtime.invoke("KinesisIngestFunction", Envelopes.bytes(Batches.kinesis(List.of(
                    Envelopes.chatSegments(shared, "Raw", LiveProtocolTest.transcripts("k", 3, 2))))));
            // Each writer keeps a voice Utterance (the Kinesis writer, the sample's).
            ContactKey voice = Envelopes.newContact();
            runtime.invoke("SqsIngestFunction", Envelopes.bytes(Batches.sqs(List.of(
                    Envelopes.voiceSegments(voice, List.of(Envelopes.v1Utterance("sqs")))))));
            LiveProtocolTest.write(runtime, Envelopes.voiceSegments(voice, List.of(Envelopes.v1Utterance("eventbridge"))));
            assertEquals(5, connect.listRealtimeContactAnalysisSegmentsV2(r -> r.instanceId(shared.instanceId())
                    .contactId(shared.contactId()).outputType("Raw").segmentTypesWithStrings("Transcript")).segments().size(),
                    "each transcript once");
            lens.listRealtimeContactAnalysisSegmentsPaginator(r -> r.instanceId(INSTANCE)
                    .contactId("a1b2c3d4-5678-90ab-cdef-EXAMPLE22222").maxResults(1)).stream().count();
            connect.listRealtimeContactAnalysisSegmentsV2(r -> r.instanceId(INSTANCE)
                    .contactId("a1b2c3d4-5678-90ab-cdef-EXAMPLE33333").outputType("Redacted").segmentTypesWithStrings("Event"));
            assertThrows(ResourceNotFoundException.class, () -> connect.listRealtimeContactAnalysisSegmentsV2(r -> r
                    .instanceId(INSTANCE).contactId("nobody").outputType("Raw").segmentTypesWithStrings("Transcript")));

            // The live API: connect, subscribe (catch up, go live), a new segment (fan-out), the contact's end
            // (the subscription removed), disconnect; and the rotation function's four steps.
            ContactKey contact = Envelopes.newContact();
            LiveProtocolTest.write(runtime, Envelopes.chat(contact, "STARTED", "Raw"));
            try (LiveClient client = LiveClient.connect(LiveProtocolTest.live(runtime), Map.of())) {
                client.subscribe(contact.instanceId(), contact.contactId(), "Raw", List.of("Transcript"), null);
                client.until("Subscribed", Duration.ofSeconds(10));
                // Subscribed comes before the catch-up, and the subscriber's own fan-out follows it. The local live API
                // runs one connection's messages in order, so the answer to a second message (an unknown action:
                // an Error frame) means the subscribe invocation is over: what is written now is the fan-out
                // function's to send, and the contact's end its to clean up.
                client.send("{\"action\":\"sync\"}");
                client.until("Error", Duration.ofSeconds(10));
                LiveProtocolTest.write(runtime, Envelopes.chatSegments(contact, "Raw", LiveProtocolTest.transcripts("lp", 0, 2)));
                client.awaitSegments(2, Duration.ofSeconds(10));
                LiveProtocolTest.write(runtime, Envelopes.chat(contact, "COMPLETED", "Raw"));
                client.until("End", Duration.ofSeconds(10));
            }
            for (int waited = 0; waited < 100 && !runtime.dynamodbActionsUsed("LiveFunction").contains("dynamodb:DeleteItem"); waited++) {
                Thread.sleep(50); // the close reaches $disconnect after the client goes
            }

            for (Template.Function function : template.functions()) {
                assertEquals(function.dynamodbActions(), runtime.dynamodbActionsUsed(function.logicalId()),
                        function.logicalId() + ": the actions its policy grants vs the actions its code called");
            }
        } finally {
            runtime.close();
        }
    }
}
