package dev.rtca.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.Settings;
import dev.rtca.segments.TokenCodec;
import dev.rtca.store.DynamoClients;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * The collaborators the list handlers' no-arg (Lambda) constructors use, built once per JVM so that a
 * SnapStart snapshot or a warm container reuses the DynamoDB client, schemas and JSON mappers.
 */
final class ApiContext {
    private ApiContext() {
    }

    private static final class Holder {
        static final SegmentLister LISTER = new SegmentLister(DynamoClients.storeFromEnvironment(),
                new TokenCodec(Settings.require("TOKEN_KEY").getBytes(StandardCharsets.UTF_8),
                        Settings.retention(), Clock.systemUTC()));
        /** Held strongly: CRaC keeps only weak references to registered resources. */
        static final Resource PRIMING = new Priming();

        static {
            Core.getGlobalContext().register(PRIMING);
        }
    }

    static SegmentLister lister() {
        return Holder.LISTER;
    }

    /**
     * Before SnapStart takes the snapshot, one request runs the whole read path (JSON parsing, validation, a
     * DynamoDB GetItem over HTTP, error rendering) so the restored function starts with those classes loaded
     * and initialised. It asks for a contact that does not exist, so it reads nothing and writes nothing.
     */
    private static final class Priming implements Resource {
        @Override
        public void beforeCheckpoint(Context<? extends Resource> context) {
            APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent()
                    .withHttpMethod("POST")
                    .withPathParameters(Map.of("InstanceId", "snapstart-priming", "ContactId", "snapstart-priming"))
                    .withBody("{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"],\"MaxResults\":1}");
            new ListSegmentsV2Handler(Holder.LISTER).handleRequest(event, null);
        }

        @Override
        public void afterRestore(Context<? extends Resource> context) {
            // nothing to refresh: the clients hold no per-instance state that expires
        }
    }
}
