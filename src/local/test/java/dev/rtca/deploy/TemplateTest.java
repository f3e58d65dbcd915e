package dev.rtca.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rtca.local.Template;
import dev.rtca.runtime.Config;
import dev.rtca.runtime.Metrics;
import dev.rtca.store.DynamoContactStore;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * template.yaml and the code agree: every handler exists, routes and runtime are what the API needs, and the
 * settings the README's promises rest on are there: partial-batch failures, bounded retries, failure
 * destinations, dead-letter queues, read-only readers, the TTL attribute the store writes, and API Gateway's own
 * errors in the service's wire format.
 */
class TemplateTest {
    private static final Template TEMPLATE = Template.load(Path.of("template.yaml"));
    private static final JsonNode ROOT = yaml();

    private static JsonNode yaml() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(Path.of("template.yaml").toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode resource(String logicalId) {
        JsonNode resource = ROOT.path("Resources").path(logicalId);
        assertFalse(resource.isMissingNode(), logicalId + " is declared");
        return resource;
    }

    /** The one event of a function's Events of the given type. */
    private static JsonNode event(String function, String type) {
        for (JsonNode event : resource(function).path("Properties").path("Events")) {
            if (type.equals(event.path("Type").asText())) {
                return event.path("Properties");
            }
        }
        throw new AssertionError(function + " has no " + type + " event");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void theKinesisWriterReportsRecordFailuresBisectsRetriesBoundedlyThenSendsToItsFailureQueue() {
        JsonNode kinesis = event("KinesisIngestFunction", "Kinesis");
        assertTrue(texts(kinesis.path("FunctionResponseTypes")).contains("ReportBatchItemFailures"),
                "without it one failed record would replay the whole batch, applied records included");
        assertTrue(kinesis.path("BisectBatchOnFunctionError").asBoolean(), "a poison record is isolated");
        assertEquals(5, kinesis.path("MaximumRetryAttempts").asInt(-1), "5 retries (never forever), as the README says");
        assertEquals("IngestFailureQueue.Arn", kinesis.path("DestinationConfig").path("OnFailure").path("Destination").asText());
        assertEquals("SQS", kinesis.path("DestinationConfig").path("OnFailure").path("Type").asText());
        assertEquals("TRIM_HORIZON", kinesis.path("StartingPosition").asText(), "nothing published before the deploy is lost");
    }

    @Test
    void theFanOutReportsContactFailuresBisectsRetriesBoundedlyThenSendsToItsFailureQueue() {
        JsonNode stream = event("FanOutFunction", "DynamoDB");
        assertTrue(texts(stream.path("FunctionResponseTypes")).contains("ReportBatchItemFailures"),
                "without it one failed contact would push every contact of the batch again");
        assertTrue(stream.path("BisectBatchOnFunctionError").asBoolean());
        assertEquals(5, stream.path("MaximumRetryAttempts").asInt(-1), "5 retries (never forever), as the README says");
        assertEquals("FanOutFailureQueue.Arn", stream.path("DestinationConfig").path("OnFailure").path("Destination").asText());
        assertEquals("SegmentsTable.StreamArn", stream.path("Stream").asText());
        assertEquals("KEYS_ONLY", resource("SegmentsTable").path("Properties").path("StreamSpecification").path("StreamViewType").asText(),
                "the fan-out reads what it sends through the read path: the stream carries no segment data");
    }

    /**
     * Push is bounded deployed as locally: the live API's stage throttles messages (so subscribes), the table's stream
     * runs one fan-out invocation per shard at a time, and the fan-out keeps as many connections as it posts at once
     * (16); the live function, which posts to one subscriber at a time, keeps the default.
     */
    @Test
    void pushIsBoundedByTheStageTheStreamAndTheFanOutsConnections() {
        JsonNode routes = resource("LiveStage").path("Properties").path("DefaultRouteSettings");
        assertTrue(routes.has("ThrottlingRateLimit") && routes.has("ThrottlingBurstLimit"), routes.toString());
        JsonNode stream = event("FanOutFunction", "DynamoDB");
        assertTrue(stream.path("ParallelizationFactor").asInt(1) == 1, "one batch per shard at a time");
        assertTrue(resource("FanOutFunction").path("Properties").path("Environment").path("Variables")
                .path("JAVA_TOOL_OPTIONS").asText().contains("-Dhttp.maxConnections=16"));
        assertFalse(resource("LiveFunction").path("Properties").path("Environment").path("Variables")
                .path("JAVA_TOOL_OPTIONS").asText().contains("maxConnections"));
    }

    /**
     * The REST API's stage throttles every method at ApiThrottlingRateLimit requests a second with bursts of
     * ApiThrottlingBurstLimit, 50 and 100 unless the deploy says otherwise; the live API's stage takes the same two.
     */
    @Test
    void everyMethodIsThrottledAtFiftyRequestsASecondWithBurstsOfOneHundredByDefault() {
        assertEquals(50, ROOT.path("Parameters").path("ApiThrottlingRateLimit").path("Default").asInt(-1));
        assertEquals(100, ROOT.path("Parameters").path("ApiThrottlingBurstLimit").path("Default").asInt(-1));
        JsonNode settings = resource("SegmentsApi").path("Properties").path("MethodSettings");
        assertEquals(1, settings.size(), "one setting for every method: " + settings);
        JsonNode every = settings.path(0);
        assertEquals("/*", every.path("ResourcePath").asText());
        assertEquals("*", every.path("HttpMethod").asText());
        assertEquals("ApiThrottlingRateLimit", every.path("ThrottlingRateLimit").asText(), "!Ref ApiThrottlingRateLimit");
        assertEquals("ApiThrottlingBurstLimit", every.path("ThrottlingBurstLimit").asText(), "!Ref ApiThrottlingBurstLimit");
        JsonNode routes = resource("LiveStage").path("Properties").path("DefaultRouteSettings");
        assertEquals("ApiThrottlingRateLimit", routes.path("ThrottlingRateLimit").asText());
        assertEquals("ApiThrottlingBurstLimit", routes.path("ThrottlingBurstLimit").asText());
    }

    /**
     * The retention period (24 hours: the items' TTL and a NextToken's lifetime) reaches every function as
     * RETENTION_HOURS; the NextToken key, 64 characters, rotates every 30 days, longer than a token lives.
     */
    @Test
    void itemsAndTokensLiveTwentyFourHoursAndTheKeyRotatesEveryThirtyDays() {
        assertEquals(24, ROOT.path("Parameters").path("RetentionHours").path("Default").asInt(-1));
        assertEquals("RetentionHours", ROOT.path("Globals").path("Function").path("Environment").path("Variables")
                .path(Config.RETENTION_HOURS).asText(), "!Ref RetentionHours");
        assertEquals(30, ROOT.path("Parameters").path("TokenKeyRotationDays").path("Default").asInt(-1));
        assertEquals("rate(${TokenKeyRotationDays} days)", resource("TokenKeyRotationSchedule").path("Properties")
                .path("RotationRules").path("ScheduleExpression").asText());
        assertEquals(64, resource("TokenKeySecret").path("Properties").path("GenerateSecretString").path("PasswordLength").asInt(-1));
    }

    @Test
    void theSqsWriterReportsMessageFailuresAndItsQueueDeadLettersAfterBoundedReceives() {
        JsonNode sqs = event("SqsIngestFunction", "SQS");
        assertTrue(texts(sqs.path("FunctionResponseTypes")).contains("ReportBatchItemFailures"));
        assertEquals("AnalysisJobQueue.Arn", sqs.path("Queue").asText());
        JsonNode queue = resource("AnalysisJobQueue").path("Properties");
        assertTrue(queue.path("FifoQueue").asBoolean(), "FIFO keeps one contact's events in order");
        assertEquals(5, queue.path("RedrivePolicy").path("maxReceiveCount").asInt(-1), "5 receives, then the dead-letter queue");
        assertEquals("AnalysisJobDeadLetterQueue.Arn", queue.path("RedrivePolicy").path("deadLetterTargetArn").asText());
        assertTrue(queue.path("VisibilityTimeout").asInt() >= 6 * ROOT.path("Globals").path("Function").path("Timeout").asInt(),
                "visibility timeout of at least six function timeouts, as Lambda recommends");
    }

    @Test
    void theEventBridgeWriterRetriesBoundedlyThenDeadLetters() {
        JsonNode rule = event("EventBridgeIngestFunction", "EventBridgeRule");
        assertEquals("EventBridgeDeadLetterQueue.Arn", rule.path("DeadLetterConfig").path("Arn").asText());
        JsonNode invoke = resource("EventBridgeIngestFunction").path("Properties").path("EventInvokeConfig");
        assertEquals("EventBridgeDeadLetterQueue.Arn", invoke.path("DestinationConfig").path("OnFailure").path("Destination").asText());
        int retries = invoke.path("MaximumRetryAttempts").asInt(-1);
        assertTrue(retries >= 0 && retries <= 2, "Lambda's async retries are bounded: " + retries);
    }

    @Test
    void theReadersMayOnlyReadAndTheWritersNeverDeleteOrScan() {
        for (String reader : List.of("ListSegmentsV1Function", "ListSegmentsV2Function")) {
            assertEquals(java.util.Set.of("dynamodb:GetItem", "dynamodb:Query"), TEMPLATE.function(reader).dynamodbActions(), reader);
        }
        for (String writer : List.of("KinesisIngestFunction", "SqsIngestFunction", "EventBridgeIngestFunction")) {
            java.util.Set<String> actions = TEMPLATE.function(writer).dynamodbActions();
            assertTrue(actions.stream().noneMatch(a -> a.contains("Delete") || a.contains("Scan") || a.equals("dynamodb:*")),
                    writer + ": " + actions);
        }
    }

    @Test
    void noKeyMaterialInTheTemplateOrAnyFunctionsEnvironment() throws Exception {
        String text = java.nio.file.Files.readString(Path.of("template.yaml"));
        assertFalse(text.contains("{{resolve:"), "no dynamic reference resolves a secret into the template");
        for (Template.Function function : TEMPLATE.functions()) {
            java.util.Map<String, JsonNode> variables = new java.util.HashMap<>();
            ROOT.path("Globals").path("Function").path("Environment").path("Variables").fields()
                    .forEachRemaining(v -> variables.put(v.getKey(), v.getValue()));
            resource(function.logicalId()).path("Properties").path("Environment").path("Variables").fields()
                    .forEachRemaining(v -> variables.put(v.getKey(), v.getValue()));
            assertFalse(variables.containsKey("TOKEN_KEY"), function.logicalId());
            variables.forEach((name, value) -> assertFalse(name.contains("KEY") && !value.asText().isEmpty(),
                    function.logicalId() + " sets " + name));
        }
        // The readers name the secret and may read it; only the rotation function may write it.
        for (String reader : List.of("ListSegmentsV1Function", "ListSegmentsV2Function")) {
            assertEquals("TokenKeySecret", resource(reader).path("Properties").path("Environment").path("Variables")
                    .path(Config.TOKEN_SECRET_ID).asText(), reader + " reads the key from the secret");
            assertEquals(java.util.Set.of("secretsmanager:GetSecretValue"), TEMPLATE.function(reader).actions("secretsmanager:"));
        }
        assertEquals(java.util.Optional.of("TokenKeyRotationFunction"), TEMPLATE.rotationFunction());
        assertEquals(java.util.Set.of("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue",
                "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"),
                TEMPLATE.function("TokenKeyRotationFunction").actions("secretsmanager:"));
        for (String writer : List.of("KinesisIngestFunction", "SqsIngestFunction", "EventBridgeIngestFunction")) {
            assertTrue(TEMPLATE.function(writer).actions("secretsmanager:").isEmpty(), writer);
        }
    }

    @Test
    void theTableExpiresItemsByTheAttributeTheStoreWrites() {
        JsonNode table = resource("SegmentsTable").path("Properties");
        assertEquals(DynamoContactStore.TTL_ATTRIBUTE, table.path("TimeToLiveSpecification").path("AttributeName").asText());
        assertTrue(table.path("TimeToLiveSpecification").path("Enabled").asBoolean());
        assertTrue(table.path("PointInTimeRecoverySpecification").path("PointInTimeRecoveryEnabled").asBoolean());
        assertEquals("Retain", resource("SegmentsTable").path("DeletionPolicy").asText(), "the only copy of the segments");
    }

    @Test
    void apiGatewaysOwnErrorsAreTheServicesModelledErrors() {
        java.util.Map<String, String> expected = java.util.Map.of(
                "ACCESS_DENIED", "AccessDeniedException", "INVALID_SIGNATURE", "AccessDeniedException",
                "EXPIRED_TOKEN", "AccessDeniedException", "MISSING_AUTHENTICATION_TOKEN", "AccessDeniedException",
                "THROTTLED", "ThrottlingException", "QUOTA_EXCEEDED", "ThrottlingException",
                "REQUEST_TOO_LARGE", "InvalidRequestException", "DEFAULT_4XX", "InvalidRequestException",
                "DEFAULT_5XX", "InternalServiceException");
        expected.forEach((type, error) -> {
            Template.GatewayResponse response = TEMPLATE.gatewayResponses().get(type);
            assertTrue(response != null, "gateway response " + type);
            assertEquals(error, response.headers().get("X-Amzn-ErrorType"), type);
            JsonNode body = yamlJson(response.body("a message"));
            assertEquals(error, body.path("__type").asText(), type + " body " + response.body("m"));
            assertEquals("a message", body.path("Message").asText(), type);
            assertFalse(body.has("code"), "no code member: JS v3 would prefer it");
        });
        assertEquals(403, TEMPLATE.gatewayResponses().get("ACCESS_DENIED").status());
        assertEquals(429, TEMPLATE.gatewayResponses().get("THROTTLED").status());
        assertEquals(413, TEMPLATE.gatewayResponses().get("REQUEST_TOO_LARGE").status());
        assertEquals(0, TEMPLATE.gatewayResponses().get("DEFAULT_4XX").status(), "each 4xx keeps its own status");
    }

    @Test
    void noLogLevelTheStackOffersDropsAMetric() {
        // Metrics are log lines at Metrics.LEVEL; Lambda drops lines below the application log level.
        List<String> order = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");
        JsonNode parameter = ROOT.path("Parameters").path("LogLevel");
        for (String allowed : texts(parameter.path("AllowedValues"))) {
            assertTrue(order.indexOf(allowed) >= 0 && order.indexOf(allowed) <= order.indexOf(Metrics.LEVEL),
                    "LogLevel " + allowed + " would drop the metrics (level " + Metrics.LEVEL + ")");
        }
        assertEquals("JSON", ROOT.path("Globals").path("Function").path("LoggingConfig").path("LogFormat").asText(),
                "the filter reads the level member of JSON lines");
    }

    private static JsonNode yamlJson(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    @Test
    void everyHandlerNamedInTheTemplateIsAStreamHandlerLambdaAndTheLocalRuntimeCanBuild() throws Exception {
        assertFalse(TEMPLATE.functions().isEmpty());
        for (Template.Function function : TEMPLATE.functions()) {
            String[] parts = function.handler().split("::");
            Class<?> type = Class.forName(parts[0]);
            assertTrue(RequestStreamHandler.class.isAssignableFrom(type), function.handler() + " is a RequestStreamHandler");
            type.getConstructor(); // Lambda's, configured from the environment
            type.getConstructor(Config.class); // the local runtime's
            assertTrue(List.of(type.getMethods()).stream().map(Method::getName).anyMatch(parts[1]::equals), function.handler());
        }
    }

    @Test
    void theApiRoutesAreTheServicePaths() {
        assertEquals(List.of(new Template.Route("POST", "/realtime-contact-analysis/analysis-segments")),
                TEMPLATE.function("ListSegmentsV1Function").routes());
        assertEquals(List.of(new Template.Route("POST", "/contact/list-real-time-analysis-segments-v2/{InstanceId}/{ContactId}")),
                TEMPLATE.function("ListSegmentsV2Function").routes());
    }

    @Test
    void functionsRunOnJava25WithSnapStartAndDeployTheShadedJar() throws Exception {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Path.of("template.yaml").toFile());
        JsonNode globals = root.path("Globals").path("Function");
        assertEquals("java25", globals.path("Runtime").asText());
        assertEquals("PublishedVersions", globals.path("SnapStart").path("ApplyOn").asText());
        root.path("Resources").forEach(resource -> {
            if ("AWS::Serverless::Function".equals(resource.path("Type").asText())) {
                String codeUri = resource.path("Properties").path("CodeUri").asText(globals.path("CodeUri").asText());
                assertEquals("target/rtca-segments-lambda.jar", codeUri);
            }
        });
        assertEquals("AWS_IAM", root.path("Resources").path("SegmentsApi").path("Properties").path("Auth").path("DefaultAuthorizer").asText());
    }
}
