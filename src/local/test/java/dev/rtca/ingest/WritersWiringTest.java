package dev.rtca.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rtca.fixtures.Envelopes;
import dev.rtca.local.Handlers;
import dev.rtca.local.LocalDynamo;
import dev.rtca.local.TestRuntime;
import dev.rtca.runtime.Config;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.OutputType;
import dev.rtca.writers.EventBridgeIngestHandler;
import dev.rtca.writers.KinesisIngestHandler;
import dev.rtca.writers.SqsIngestHandler;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The writers built from a {@link Config}, as the local runtime and Lambda build them: they write to the configured table,
 * and every item they write expires after the retention period (24 hours unless RETENTION_HOURS says otherwise).
 */
class WritersWiringTest {

    @Test
    void theConfigConstructorsWriteToTheConfiguredTable() {
        TestRuntime runtime = TestRuntime.shared();
        Config config = runtime.runtime().config();
        ContactKey key = Envelopes.newContact();
        // Each writer leaves a mark only it can: the STARTED declares both streams, the SEGMENTS fill Raw, the
        // COMPLETED ends the contact.
        assertEquals(List.of(), Deliveries.failures(new SqsIngestHandler(config),
                Batches.sqs(List.of(Envelopes.chat(key, "STARTED", "RedactedAndRaw")))));
        assertEquals(java.util.Set.of(OutputType.Raw, OutputType.Redacted), runtime.store().find(key).orElseThrow().outputTypes());
        assertEquals(List.of(), Deliveries.failures(new KinesisIngestHandler(config), Batches.kinesis(List.of(
                Envelopes.chatSegments(key, "Raw", List.of(Envelopes.v2Transcript("1", false)))))));
        assertEquals(List.of(Envelopes.v2Transcript("1", false)), Readback.stream(runtime.store(), key, OutputType.Raw));
        Handlers.invoke(new EventBridgeIngestHandler(config),
                Envelopes.bytes(Batches.eventBridge(Envelopes.chat(key, "COMPLETED", null))));
        assertEquals(ContactStatus.COMPLETED, runtime.store().find(key).orElseThrow().status());
    }

    @Test
    void everyItemAWriteStoresExpiresTwentyFourHoursLaterByDefault() {
        TestRuntime runtime = TestRuntime.shared();
        Config local = runtime.runtime().config();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // As Lambda builds it from a function's environment where RETENTION_HOURS is not set.
        Config config = Config.fromEnvironment(Map.of(Config.TABLE_NAME, local.tableName(), Config.AWS_REGION, "us-east-1",
                        Config.DYNAMODB_ENDPOINT, local.dynamoEndpoint().orElseThrow().toString()))
                .withCredentials(local.credentials()).withClock(Clock.fixed(now, ZoneOffset.UTC));
        ContactKey key = Envelopes.newContact();
        assertEquals(List.of(), Deliveries.failures(new KinesisIngestHandler(config), Batches.kinesis(List.of(
                Envelopes.chat(key, "STARTED", "Raw"),
                Envelopes.chatSegments(key, "Raw", List.of(Envelopes.v2Transcript("1", false), Envelopes.v2Transcript("2", false)))))));

        try (DynamoDbClient client = LocalDynamo.shared().client()) {
            // Every page of the scan: the shared table holds other tests' items, the first page may hold none of these.
            List<Map<String, AttributeValue>> items = client.scanPaginator(r -> r.tableName(local.tableName())
                    .consistentRead(true).filterExpression("contains(pk, :contact)")
                    .expressionAttributeValues(Map.of(":contact", AttributeValue.fromS(key.contactId())))).items().stream().toList();
            assertEquals(List.of("E", "L", "META", "S", "S"), items.stream().map(i -> i.get("sk").s().split("#")[0]).sorted().toList(),
                    "the contact, the event's marker, its segments and their Id log: " + items);
            for (Map<String, AttributeValue> item : items) {
                assertEquals(now.getEpochSecond() + 86_400, Long.parseLong(item.get("expiresAt").n()),
                        "24 hours (86,400 s) after the write: " + item.get("sk").s());
            }
        }
    }
}
