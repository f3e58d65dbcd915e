package dev.rtca.live;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.model.Json;
import dev.rtca.push.Pusher;
import dev.rtca.runtime.Config;
import dev.rtca.runtime.Log;
import dev.rtca.runtime.Wiring;
import dev.rtca.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The WebSocket API's routes: {@code $connect} (the caller API Gateway's IAM authorizer proved owns the connection),
 * {@code $disconnect}, {@code subscribe} and {@code $default} (an unknown action, or a binary frame: an Error frame).
 * Frames go back through the management API, so every route answers API Gateway with a plain 200. A message whose
 * handling fails (DynamoDB throttling, an internal error, the function's time running out) is answered with an Error
 * frame by the function itself: API Gateway sends the client nothing for a failed integration.
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
            default -> message(event, route, connectionId, context);
        }
        output.write("{\"statusCode\":200}".getBytes(StandardCharsets.UTF_8));
    }

    /** A client's message: answered with frames, an Error frame whatever goes wrong. */
    private void message(JsonNode event, String route, String connectionId, Context context) {
        byte[] body = event.path("body").asText("").getBytes(StandardCharsets.UTF_8);
        String requestId = context.getAwsRequestId();
        try {
            if (event.path("isBase64Encoded").asBoolean(false)) {
                pusher.binaryMessage(connectionId);
            } else if (route.equals("subscribe")) {
                pusher.subscribe(connectionId, body, Wiring.liveDeadline(context));
            } else {
                pusher.unknownAction(connectionId);
            }
        } catch (RuntimeException e) {
            boolean throttled = e instanceof StoreException store && store.throttled();
            Log.error("message failed", e, "requestId", requestId, "connectionId", connectionId, "route", route);
            try {
                pusher.failed(connectionId, body, throttled ? "ThrottlingException" : "InternalServiceException",
                        (throttled ? "Rate exceeded" : e instanceof Pusher.OutOfTime ? "The subscription did not complete in time"
                                : "An internal error occurred") + " (request ID " + requestId
                                + "). Subscribe again, with the NextToken of the last frame you hold.");
            } catch (RuntimeException unanswered) {
                Log.error("the Error frame could not be posted", unanswered, "requestId", requestId, "connectionId", connectionId);
            }
        }
    }
}
