package dev.rtca.store;

import dev.rtca.local.LocalDynamo;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The store integration suite on DynamoDB Local, in process. */
class DynamoDbLocalStoreTest extends StoreIntegrationTest {
    private static final String TABLE = LocalDynamo.shared().table("rtca-store-it");
    private static final DynamoDbClient CLIENT = LocalDynamo.shared().client();

    @Override
    DynamoDbClient client() {
        return CLIENT;
    }

    @Override
    String table() {
        return TABLE;
    }
}
