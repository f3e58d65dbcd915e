package dev.rtca.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtca.fixtures.Access;
import dev.rtca.fixtures.Envelopes;
import dev.rtca.fixtures.Samples;
import dev.rtca.local.LocalDynamo;
import dev.rtca.push.Pusher;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.TokenCodec;
import dev.rtca.store.DynamoContactStore;
import dev.rtca.store.DynamoPushStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The life of push delivery's items on DynamoDB Local: connection and subscription items carry the table's TTL
 * attribute past API Gateway's two-hour connection limit (a lost $disconnect leaves nothing forever), and a connection
 * API Gateway reports gone (410) is forgotten with its subscriptions at the next push.
 */
class PushLifecycleTest {
    private static final String TABLE = "rtca-push-lifecycle";
    private static final String PRINCIPAL = "arn:aws:iam::123456789012:user/lifecycle";

    private final DynamoDbClient client = client();
    private final DynamoContactStore contacts = new DynamoContactStore(client, TABLE, Duration.ofHours(24), Clock.systemUTC());
    private final DynamoPushStore store = new DynamoPushStore(client, TABLE, Clock.systemUTC());
    private final TokenCodec tokens = new TokenCodec("push-lifecycle-test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8),
            Duration.ofHours(24), Clock.systemUTC());

    private static synchronized DynamoDbClient client() {
        LocalDynamo.shared().table(TABLE);
        return LocalDynamo.shared().client();
    }

    private static byte[] subscribe(ContactKey contact) {
        return ("{\"action\":\"subscribe\",\"InstanceId\":\"" + contact.instanceId() + "\",\"ContactId\":\""
                + contact.contactId() + "\",\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"]}").getBytes(StandardCharsets.UTF_8);
    }

    private Map<String, AttributeValue> item(String pk, String sk) {
        return client.getItem(r -> r.tableName(TABLE).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk)))).item();
    }

    /** The item expires 3 hours (10,800 s) after it was written, some time between {@code from} and {@code to}. */
    private static void assertExpiresThreeHoursAfter(Instant from, Instant to, Map<String, AttributeValue> item) {
        long expires = Long.parseLong(item.get(DynamoContactStore.TTL_ATTRIBUTE).n());
        assertTrue(expires >= from.getEpochSecond() + 10_800 && expires <= to.getEpochSecond() + 10_800,
                "expires " + (expires - from.getEpochSecond()) + " s after the write began");
    }

    @Test
    void connectionsAndSubscriptionsExpireAndAGoneConnectionIsForgotten() {
        ContactKey contact = Envelopes.newContact();
        contacts.open(contact, Channel.CHAT, Set.of(OutputType.Raw));
        contacts.append(contact, Channel.CHAT, OutputType.Raw, "first", List.of(Samples.v2Transcript(0, "AGENT")));
        boolean[] gone = {false};
        Pusher pusher = new Pusher(new SegmentLister(contacts, tokens), tokens, Access.allowAll(), store,
                (id, frame) -> !gone[0]);
        Instant from = Instant.now();
        pusher.connected("c-life", PRINCIPAL);
        pusher.subscribe("c-life", subscribe(contact), Instant.now().plusSeconds(30));
        Instant to = Instant.now();

        assertExpiresThreeHoursAfter(from, to, item("K#c-life", "CONNECTION"));
        String partition = "C#" + contact.instanceId().length() + "#" + contact.instanceId() + "#" + contact.contactId();
        assertExpiresThreeHoursAfter(from, to, item(partition, "W#Raw#c-life"));
        assertExpiresThreeHoursAfter(from, to, item(partition, "PUSH#Raw")); // the stream's fan-out cursor
        assertEquals(1, store.live(contact, OutputType.Raw).size());

        gone[0] = true; // the client went away without a $disconnect: the next post answers 410
        contacts.append(contact, Channel.CHAT, OutputType.Raw, "second", List.of(Samples.v2Transcript(1, "CUSTOMER")));
        pusher.fanOut(contact, Set.of(OutputType.Raw), Instant.now().plusSeconds(30));

        assertEquals(List.of(), store.live(contact, OutputType.Raw), "the subscription is removed");
        assertEquals(Optional.empty(), store.principal("c-life"), "and the connection");
        assertTrue(item(partition, "W#Raw#c-life").isEmpty() && item("K#c-life", "CONNECTION").isEmpty());
    }
}
