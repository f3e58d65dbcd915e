package dev.rtca.api;

import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.Settings;
import dev.rtca.segments.TokenCodec;
import dev.rtca.store.DynamoClients;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

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
    }

    static SegmentLister lister() {
        return Holder.LISTER;
    }
}
