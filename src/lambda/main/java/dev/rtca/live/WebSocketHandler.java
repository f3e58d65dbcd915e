package dev.rtca.live;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import dev.rtca.push.Pusher;
import dev.rtca.runtime.Config;
import dev.rtca.runtime.Events;
import dev.rtca.runtime.Log;
import dev.rtca.runtime.Wiring;
import dev.rtca.store.StoreException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

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

    /** The local runtime's constructor (it configures every function itself). */
    public WebSocketHandler(Config config) {
        this(Wiring.live(config).pusher());
    }

    public WebSocketHandler(Pusher pusher) {
        this.pusher = pusher;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        Events.write(output, handle(Events.read(input, APIGatewayV2WebSocketEvent.class), context));
    }

    /** Handles one route's event; the answer to API Gateway is always 200 (the client hears through frames). */
    public APIGatewayV2WebSocketResponse handle(APIGatewayV2WebSocketEvent event, Context context) {
        APIGatewayV2WebSocketEvent.RequestContext request = Objects.requireNonNullElseGet(event.getRequestContext(),
                APIGatewayV2WebSocketEvent.RequestContext::new);
        String route = Objects.requireNonNullElse(request.getRouteKey(), "");
        String connectionId = Objects.requireNonNullElse(request.getConnectionId(), "");
        switch (route) {
            case "$connect" -> {
                String principal = request.getIdentity() == null ? ""
                        : Objects.requireNonNullElse(request.getIdentity().getUserArn(), "");
                pusher.connected(connectionId, principal);
                Log.info("connected", "connectionId", connectionId, "principal", principal);
            }
            case "$disconnect" -> pusher.disconnected(connectionId);
            default -> message(event, route, connectionId, context);
        }
        APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(200);
        return response;
    }

    /** A client's message: answered with frames, an Error frame whatever goes wrong. */
    private void message(APIGatewayV2WebSocketEvent event, String route, String connectionId, Context context) {
        byte[] body = Objects.requireNonNullElse(event.getBody(), "").getBytes(StandardCharsets.UTF_8);
        String requestId = context.getAwsRequestId();
        try {
            if (event.isIsBase64Encoded()) {
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
