package dev.rtca.ingest;

import dev.rtca.local.LocalDynamo;
import dev.rtca.store.DynamoContactStore;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Stores on DynamoDB Local (the real engine) for tests that drive the handlers directly. */
final class TestStores {
    static final String TABLE = "rtca-ingest-tests";
    private static DynamoDbClient client;

    private TestStores() {
    }

    static synchronized DynamoDbClient client() {
        if (client == null) {
            LocalDynamo.shared().table(TABLE);
            client = LocalDynamo.shared().client();
        }
        return client;
    }

    static DynamoContactStore store() {
        return store(client());
    }

    /** A store on the test table through the given client (for example one that injects faults). */
    static DynamoContactStore store(DynamoDbClient through) {
        client();
        return new DynamoContactStore(through, TABLE, Duration.ofHours(24), Clock.systemUTC());
    }
}
