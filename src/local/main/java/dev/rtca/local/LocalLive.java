package dev.rtca.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.local.HttpFront.HttpCall;
import dev.rtca.local.HttpFront.HttpReply;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketCreator;

/**
 * The live API (template.yaml's WebSocket API) on the local runtime's port, as API Gateway runs it:
 *
 * <ul>
 *   <li>{@code ws://127.0.0.1:PORT/live}: a handshake is the {@code $connect} route (SigV4-verified with {@code --iam},
 *       by header or presigned query, as API Gateway's AWS_IAM does), each text message goes to the route its
 *       {@code action} names (else {@code $default}), a close is {@code $disconnect}; each invokes the function the
 *       route's integration names, with API Gateway's WebSocket proxy event;
 *   <li>the management API the functions post frames with: {@code POST /live/@connections/{id}} (410 GoneException
 *       for a connection that is gone), {@code DELETE} closes one, {@code GET} describes one.
 * </ul>
 *
 * Connections are registered JVM-wide: local runtimes in one JVM share a table, and any one of them may fan out to
 * a connection another holds, as one deployed API would.
 */
final class LocalLive {
    static final String PATH = "/live";
    private static final String CONNECTIONS_PATH = PATH + "/@connections/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Every open connection of every local runtime of this JVM. */
    private static final Map<String, Session> OPEN = new ConcurrentHashMap<>();

    /** The caller a request or a handshake proved (API Gateway's AWS_IAM), or why it was refused. */
    record Caller(String userArn, String accessKey, HttpReply refusal) {
        String accountId() {
            String[] parts = userArn.split(":");
            return parts.length > 4 ? parts[4] : "";
        }
    }

    private final Map<String, LambdaFunction> routes = new LinkedHashMap<>();
    private final Function<HttpCall, Caller> authenticate;

    /**
     * @param routes       route key to the function its integration invokes
     * @param authenticate the $connect route's check (AWS_IAM, or the local principal)
     */
    LocalLive(Map<String, LambdaFunction> routes, Function<HttpCall, Caller> authenticate) {
        this.routes.putAll(routes);
        this.authenticate = authenticate;
    }

    boolean enabled() {
        return routes.containsKey("$connect");
    }

    /** The handshake: authenticate, invoke $connect, and accept the connection only when it answered 200. */
    WebSocketCreator creator() {
        return (ServerUpgradeRequest request, ServerUpgradeResponse response, org.eclipse.jetty.util.Callback callback) -> {
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            request.getHeaders().forEach(field -> headers.computeIfAbsent(field.getName(), k -> new java.util.ArrayList<>())
                    .add(field.getValue()));
            HttpCall call = new HttpCall("GET", request.getHttpURI().getPath(), request.getHttpURI().getQuery(), headers,
                    org.eclipse.jetty.server.Request.getRemoteAddr(request), "HTTP/1.1", new byte[0]);
            Caller handshake = authenticate.apply(call);
            if (handshake.refusal() != null) {
                refuse(response, callback, handshake.refusal());
                return null;
            }
            String connectionId = connectionId();
            ObjectNode event = event("$connect", "CONNECT", connectionId, handshake, null);
            ObjectNode eventHeaders = event.putObject("headers");
            headers.forEach((name, values) -> eventHeaders.put(name, values.get(values.size() - 1)));
            int status = invoke(routes.get("$connect"), event);
            if (status != 200) {
                refuse(response, callback, new HttpReply(status == 0 ? 500 : status, Map.of("Content-Type", "application/json"),
                        "{\"message\":\"Forbidden\"}".getBytes(StandardCharsets.UTF_8)));
                return null;
            }
            return new Connection(this, connectionId, handshake);
        };
    }

    private static void refuse(ServerUpgradeResponse response, org.eclipse.jetty.util.Callback callback, HttpReply refusal) {
        response.setStatus(refusal.status());
        refusal.headers().forEach(response.getHeaders()::put);
        response.write(true, java.nio.ByteBuffer.wrap(refusal.body()), callback);
    }

    /** One client's connection: its messages and its close go to the routes (public: Jetty binds to it by handles). */
    public static final class Connection implements Session.Listener.AutoDemanding {
        private final LocalLive live;
        private final String id;
        private final Caller caller;

        Connection(LocalLive live, String id, Caller caller) {
            this.live = live;
            this.id = id;
            this.caller = caller;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            OPEN.put(id, session);
        }

        @Override
        public void onWebSocketText(String message) {
            String action = "";
            try {
                action = JSON.readTree(message).path("action").asText("");
            } catch (java.io.IOException notJson) {
                // API Gateway routes what it cannot read to $default
            }
            String route = live.routes.containsKey(action) && !action.startsWith("$") ? action : "$default";
            invoke(live.routes.get(route), event(route, "MESSAGE", id, caller, message));
        }

        /**
         * A binary message goes to {@code $default} flagged base64, as a Lambda proxy integration receives binary, without
         * its bytes (the functions answer any binary message alike); it is read as it arrives and never held whole.
         */
        @Override
        public void onWebSocketPartialBinary(ByteBuffer payload, boolean last, Callback callback) {
            callback.succeed();
            if (last) {
                ObjectNode event = event("$default", "MESSAGE", id, caller, "");
                event.put("isBase64Encoded", true);
                invoke(live.routes.get("$default"), event);
            }
        }

        @Override
        public void onWebSocketClose(int status, String reason) {
            OPEN.remove(id);
            invoke(live.routes.get("$disconnect"), event("$disconnect", "DISCONNECT", id, caller, null));
        }
    }

    /** API Gateway's WebSocket proxy event. */
    private static ObjectNode event(String routeKey, String eventType, String connectionId, Caller caller, String body) {
        ObjectNode event = JSON.createObjectNode();
        ObjectNode context = event.putObject("requestContext");
        context.put("routeKey", routeKey);
        context.put("eventType", eventType);
        context.put("connectionId", connectionId);
        context.put("domainName", "127.0.0.1");
        context.put("stage", "live");
        context.put("apiId", "local");
        context.put("requestId", LambdaFunction.newRequestId());
        context.put("requestTimeEpoch", System.currentTimeMillis());
        ObjectNode identity = context.putObject("identity");
        identity.put("userArn", caller.userArn());
        identity.put("accessKey", caller.accessKey());
        identity.put("sourceIp", "127.0.0.1");
        if (body != null) {
            event.put("body", body);
        }
        event.put("isBase64Encoded", false);
        return event;
    }

    /** Invokes a route's function; its proxy response's status (0 when it failed). */
    private static int invoke(LambdaFunction function, ObjectNode event) {
        if (function == null) {
            return 0;
        }
        try {
            byte[] result = function.invoke(JSON.writeValueAsBytes(event), LambdaFunction.newRequestId());
            return JSON.readTree(result).path("statusCode").asInt(200);
        } catch (Exception e) {
            System.err.println("function " + function.name() + " failed: " + e);
            e.printStackTrace();
            return 0;
        }
    }

    /** Whether the request is for the management API. */
    static boolean managementApi(String rawPath) {
        return rawPath.startsWith(CONNECTIONS_PATH);
    }

    /** {@code POST|DELETE|GET /live/@connections/{id}}. */
    HttpReply manage(HttpCall call) {
        String connectionId = LocalRuntime.percentDecode(call.rawPath().substring(CONNECTIONS_PATH.length()));
        Session session = OPEN.get(connectionId);
        Map<String, String> headers = new LinkedHashMap<>(Map.of("Content-Type", "application/json",
                "x-amzn-RequestId", LambdaFunction.newRequestId()));
        if (session == null || !session.isOpen()) {
            if (call.method().equals("POST")) {
                System.err.println("live: no open connection " + connectionId + " to post to");
            }
            return gone(headers);
        }
        switch (call.method()) {
            case "POST" -> {
                Callback.Completable sent = new Callback.Completable();
                session.sendText(new String(call.body(), StandardCharsets.UTF_8), sent);
                try {
                    sent.get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    System.err.println("live: a frame for connection " + connectionId + " could not be sent: " + e);
                    return gone(headers);
                }
                return new HttpReply(200, headers, new byte[0]);
            }
            case "DELETE" -> {
                session.close(1000, "closed by the API", Callback.NOOP);
                return new HttpReply(204, headers, new byte[0]);
            }
            default -> {
                return new HttpReply(200, headers, ("{\"ConnectedAt\":\"" + java.time.Instant.now() + "\"}").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** 410 GoneException: the connection is closed (or could not take the frame). */
    private static HttpReply gone(Map<String, String> headers) {
        headers.put("x-amzn-ErrorType", "GoneException");
        return new HttpReply(410, headers, "{\"message\":\"Gone\"}".getBytes(StandardCharsets.UTF_8));
    }

    private static String connectionId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
