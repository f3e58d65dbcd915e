package dev.rtca.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.rtca.fixtures.MutableClock;
import dev.rtca.fixtures.Samples;
import dev.rtca.local.Handlers;
import dev.rtca.local.LocalDynamo;
import dev.rtca.local.TestRuntime;
import dev.rtca.runtime.Config;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import dev.rtca.store.DynamoContactStore;
import dev.rtca.store.DynamoPolicyStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The list handlers as Lambda builds them, from an environment that sets only what template.yaml must set (no
 * RETENTION_HOURS), with a clock the test moves: the lifetimes the README states, written out here as numbers.
 */
class ListWiringTest {
    private static final String ACCOUNT = "123456789012";
    private static final String ALLOW_ALL =
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"}]}";
    private static final String ALLOW_NOTHING = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";

    private final Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final MutableClock clock = new MutableClock(start);
    private final Config local = TestRuntime.shared().runtime().config();
    private final ListSegmentsV2Handler v2 = new ListSegmentsV2Handler(Config.fromEnvironment(Map.of(
                    Config.TABLE_NAME, local.tableName(),
                    Config.AWS_REGION, "us-east-1",
                    Config.DYNAMODB_ENDPOINT, local.dynamoEndpoint().orElseThrow().toString(),
                    Config.TOKEN_SECRET_ID, local.tokenSecretId(),
                    Config.SECRETS_MANAGER_ENDPOINT, local.secretsManagerEndpoint().orElseThrow().toString(),
                    Config.ACCOUNT_ID, ACCOUNT))
            .withCredentials(local.credentials()).withClock(clock));
    private final String bob = "arn:aws:iam::" + ACCOUNT + ":user/list-wiring-" + UUID.randomUUID();
    private final ContactKey contact = new ContactKey("list-wiring-" + UUID.randomUUID(), "contact-" + UUID.randomUUID());

    {
        DynamoContactStore store = TestRuntime.shared().store();
        store.open(contact, Channel.CHAT, Set.of(OutputType.Raw));
        store.append(contact, Channel.CHAT, OutputType.Raw, "e1", IntStream.range(0, 3).mapToObj(i -> Samples.v2Transcript(i, "AGENT")).toList());
    }

    private APIGatewayProxyResponseEvent page(String caller, String token) {
        APIGatewayProxyRequestEvent event = ApiTestSupport.v2Event(contact.instanceId(), contact.contactId(),
                "{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"],\"MaxResults\":1"
                        + (token == null ? "" : ",\"NextToken\":" + ApiTestSupport.quote(token)) + "}");
        event.getRequestContext().setIdentity(new APIGatewayProxyRequestEvent.RequestIdentity());
        event.getRequestContext().getIdentity().setUserArn(caller);
        return Handlers.api(v2, event);
    }

    private static void putPolicy(String principal, String document) {
        try (DynamoDbClient client = LocalDynamo.shared().client()) {
            new DynamoPolicyStore(client, TestRuntime.shared().runtime().config().tableName()).put(principal, document);
        }
    }

    @Test
    void aNextTokenOpensForTwentyFourHoursAndNotASecondMore() {
        putPolicy(bob, ALLOW_ALL);
        String token = ApiTestSupport.body(page(bob, null)).path("NextToken").asText(null);
        assertNotNull(token);

        clock.set(start.plus(Duration.ofHours(24)).minusSeconds(1));
        APIGatewayProxyResponseEvent justInTime = page(bob, token);
        assertEquals(200, justInTime.getStatusCode(), justInTime.getBody());
        assertEquals("t-1", ApiTestSupport.body(justInTime).path("Segments").path(0).path("Transcript").path("Id").asText());

        clock.set(start.plus(Duration.ofHours(24)).plusSeconds(1));
        APIGatewayProxyResponseEvent expired = page(bob, token);
        assertEquals(400, expired.getStatusCode(), expired.getBody());
        assertEquals("InvalidRequestException", ApiTestSupport.body(expired).path("__type").asText());
    }

    @Test
    void aPolicyChangeTakesEffectAfterSixtySecondsAndNotBefore() {
        putPolicy(bob, ALLOW_ALL);
        assertEquals(200, page(bob, null).getStatusCode());
        putPolicy(bob, ALLOW_NOTHING);

        clock.set(start.plusSeconds(59));
        assertEquals(200, page(bob, null).getStatusCode(), "for 59 s the instance keeps the document it read");
        clock.set(start.plusSeconds(60));
        APIGatewayProxyResponseEvent refused = page(bob, null);
        assertEquals(403, refused.getStatusCode(), refused.getBody());
        assertEquals("AccessDeniedException", ApiTestSupport.body(refused).path("__type").asText());
    }
}
