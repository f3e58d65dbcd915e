package dev.rtca.store;

import dev.rtca.local.LocalDynamo;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The store integration suite on DynamoDB Local, in process. */
class DynamoDbLocalStoreTest extends StoreIntegrationTest {
    private static final String TABLE = LocalDynamo.shared().table("rtca-store-it");

    @Override
    DynamoDbClient client(ExecutionInterceptor... interceptors) {
        return LocalDynamo.client(LocalDynamo.shared().endpoint(), interceptors);
    }

    @Override
    String table() {
        return TABLE;
    }
}
