package dev.rtca.live;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.model.Json;
import dev.rtca.push.Pusher;
import dev.rtca.runtime.Config;
import dev.rtca.runtime.Log;
import dev.rtca.runtime.Wiring;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The WebSocket API's routes: {@code $connect} (the caller API Gateway's IAM authorizer proved owns the connection),
 * {@code $disconnect}, {@code subscribe} and {@code $default} (an unknown action: an Error frame). Frames go back
 * through the management API, so every route answers API Gateway with a plain 200.
 */
public final class WebSocketHandler implements RequestStreamHandler {
    private final Pusher pusher;

    /** Lambda's constructor: configured from the function's environment. */
    public WebSocketHandler() {
        this(Config.fromEnvironment(System.getenv()));
    }

    public WebSocketHandler(Config config) {
        this(Wiring.live(config));
    }

    private WebSocketHandler(Wiring.Live live) {
        this.pusher = live.pusher();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.tree(input);
        JsonNode request = event.path("requestContext");
        String route = request.path("routeKey").asText("");
        String connectionId = request.path("connectionId").asText("");
        switch (route) {
            case "$connect" -> {
                String principal = request.path("identity").path("userArn").asText("");
                pusher.connected(connectionId, principal);
                Log.info("connected", "connectionId", connectionId, "principal", principal);
            }
            case "$disconnect" -> pusher.disconnected(connectionId);
            case "subscribe" -> pusher.subscribe(connectionId, body(event));
            default -> pusher.unknownAction(connectionId);
        }
        output.write("{\"statusCode\":200}".getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] body(JsonNode event) {
        String body = event.path("body").asText("");
        return event.path("isBase64Encoded").asBoolean(false)
                ? java.util.Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
    }
}
