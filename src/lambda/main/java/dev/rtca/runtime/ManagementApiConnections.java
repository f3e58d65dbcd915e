package dev.rtca.runtime;

import dev.rtca.push.Connections;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/** Frames to WebSocket connections through API Gateway's management API ({@code POST @connections/{id}}). */
public final class ManagementApiConnections implements Connections {
    private final ApiGatewayManagementApiClient client;

    public ManagementApiConnections(ApiGatewayManagementApiClient client) {
        this.client = client;
    }

    @Override
    public boolean post(String connectionId, byte[] frame) {
        try {
            client.postToConnection(r -> r.connectionId(connectionId).data(SdkBytes.fromByteArrayUnsafe(frame)));
            return true;
        } catch (GoneException gone) {
            return false; // 410: the client went away
        }
    }
}
