package dev.rtca.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.rtca.fixtures.Access;
import dev.rtca.fixtures.MemoryStore;
import dev.rtca.runtime.Events;
import dev.rtca.runtime.Wiring;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.TokenCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * SnapStart priming of the list functions: one request through the path a real one takes (a proxy event's bytes bound,
 * validation, the authorizer, the contact read, the response written), answered as a client's request for a contact
 * that does not exist would be.
 */
class ListPrimingTest {
    private static final MemoryStore STORE = new MemoryStore();
    private static final Wiring.Reader READER = new Wiring.Reader(new SegmentLister(STORE,
            new TokenCodec("list-priming-test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8), Duration.ofHours(24),
                    Clock.systemUTC())), Access.allowAll());

    private static void assertNotFound(String written) {
        APIGatewayProxyResponseEvent response = Events.read(written.getBytes(StandardCharsets.UTF_8),
                APIGatewayProxyResponseEvent.class);
        assertEquals(404, response.getStatusCode(), response.getBody());
        assertEquals("ResourceNotFoundException", response.getHeaders().get("X-Amzn-ErrorType"));
        assertTrue(response.getBody().contains(ApiPriming.CONTACT), response.getBody());
    }

    @Test
    void bothListFunctionsPrimeWithAValidRequestForAContactThatDoesNotExist() {
        assertNotFound(new ListSegmentsV1Handler(READER).prime());
        assertNotFound(new ListSegmentsV2Handler(READER).prime());
        assertTrue(STORE.find(new ContactKey(ApiPriming.CONTACT, ApiPriming.CONTACT)).isEmpty(), "priming writes nothing");
    }
}
