package dev.rtca.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rtca.local.DemoData;
import dev.rtca.local.LocalDynamo;
import dev.rtca.local.LocalRuntime;
import dev.rtca.local.Template;
import dev.rtca.local.TestRuntime;
import java.nio.file.Path;
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
            lens.listRealtimeContactAnalysisSegmentsPaginator(r -> r.instanceId(INSTANCE)
                    .contactId("a1b2c3d4-5678-90ab-cdef-EXAMPLE22222").maxResults(1)).stream().count();
            connect.listRealtimeContactAnalysisSegmentsV2(r -> r.instanceId(INSTANCE)
                    .contactId("a1b2c3d4-5678-90ab-cdef-EXAMPLE33333").outputType("Redacted").segmentTypesWithStrings("Event"));
            assertThrows(ResourceNotFoundException.class, () -> connect.listRealtimeContactAnalysisSegmentsV2(r -> r
                    .instanceId(INSTANCE).contactId("nobody").outputType("Raw").segmentTypesWithStrings("Transcript")));

            for (Template.Function function : template.functions()) {
                assertEquals(function.dynamodbActions(), runtime.dynamodbActionsUsed(function.logicalId()),
                        function.logicalId() + ": the actions its policy grants vs the actions its code called");
            }
        } finally {
            runtime.close();
        }
    }
}
