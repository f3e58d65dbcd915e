package dev.rtca.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketCreator;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The local runtime's HTTP side, on one loopback port (Jetty): each request is read whole and handed over as an
 * {@link HttpCall} with its path and query exactly as sent (a malformed escape is the handler's business, as it is
 * API Gateway's), and the {@link HttpReply} is written back.
 *
 * <p>Hostile clients cannot starve it: every request runs on a virtual thread, so clients that send headers and
 * stall their bodies hold nothing but their own connection, which is closed when it has been idle for
 * {@link #IDLE_TIMEOUT_MS} or sends its body slower than {@link #MIN_BYTES_PER_SECOND}.
 */
final class HttpFront implements AutoCloseable {
    static final long IDLE_TIMEOUT_MS = 10_000;
    static final long MIN_BYTES_PER_SECOND = 1_024;

    /** One request: method, raw path and query, headers by case-insensitive name (in arrival order), body. */
    record HttpCall(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, String remoteAddress,
                    String protocol, byte[] body) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    record HttpReply(int status, Map<String, String> headers, byte[] body) {
    }

    private final Server server;

    private HttpFront(Server server) {
        this.server = server;
    }

    /**
     * @param maxBody the most body bytes read; a longer body arrives cut to {@code maxBody + 1} bytes, for the handler
     *                to refuse
     */
    /**
     * @param protocolErrors the reply to a request the HTTP layer refuses before any handler sees it (a malformed
     *                       request line, path escape or header), given its status and reason
     */
    static HttpFront start(int port, int maxBody, Function<HttpCall, HttpReply> handler,
                           BiFunction<Integer, String, HttpReply> protocolErrors, Map<String, WebSocketCreator> webSockets) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("local-api");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        // The raw path reaches the handler whatever it holds (a malformed escape included), as API Gateway passes it on.
        http.setUriCompliance(UriCompliance.from(EnumSet.allOf(UriCompliance.Violation.class)));
        http.setSendServerVersion(false);
        http.setMinRequestDataRate(MIN_BYTES_PER_SECOND);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT_MS);
        server.addConnector(connector);
        Handler.Abstract calls = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws IOException {
                HttpReply reply = handler.apply(call(request, maxBody));
                response.setStatus(reply.status());
                reply.headers().forEach(response.getHeaders()::put);
                response.write(true, ByteBuffer.wrap(reply.body()), callback);
                return true;
            }
        };
        if (webSockets.isEmpty()) {
            server.setHandler(calls);
        } else {
            WebSocketUpgradeHandler upgrades = WebSocketUpgradeHandler.from(server, container -> {
                container.setIdleTimeout(java.time.Duration.ofMinutes(10)); // API Gateway's idle timeout
                container.setMaxTextMessageSize(128 * 1024); // API Gateway's message limit
                webSockets.forEach(container::addMapping);
            });
            upgrades.setHandler(calls);
            server.setHandler(upgrades);
        }
        server.setErrorHandler(new ErrorHandler() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Object status = request.getAttribute(ERROR_STATUS);
                Object message = request.getAttribute(ERROR_MESSAGE);
                HttpReply reply = protocolErrors.apply(status instanceof Integer code ? code : 400,
                        message == null ? "Bad Request" : message.toString());
                response.setStatus(reply.status());
                reply.headers().forEach(response.getHeaders()::put);
                response.write(true, ByteBuffer.wrap(reply.body()), callback);
                return true;
            }

            @Override
            public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
                HttpReply reply = protocolErrors.apply(status, reason == null ? "Bad Request" : reason);
                reply.headers().forEach(fields::put);
                return ByteBuffer.wrap(reply.body());
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        return new HttpFront(server);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    }

    private static HttpCall call(Request request, int maxBody) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getName(), k -> new ArrayList<>()).add(field.getValue());
        }
        byte[] body;
        try (InputStream in = Request.asInputStream(request)) {
            body = in.readNBytes(maxBody + 1);
            if (body.length > maxBody) {
                // Read (and drop) the rest of a body a client is still sending, up to a bound, so that it reads the
                // refusal instead of failing to write: an SDK that sends a 11 MB body then gets its typed 413.
                long rest = Math.min(request.getLength() - body.length, 4L * maxBody); // -1 (chunked): nothing
                byte[] drop = new byte[64 * 1024];
                for (int n; rest > 0 && (n = in.read(drop, 0, (int) Math.min(drop.length, rest))) > 0; rest -= n) {
                    // dropped
                }
            }
        }
        String remote = request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress address
                ? address.getAddress().getHostAddress() : "127.0.0.1";
        return new HttpCall(request.getMethod(), request.getHttpURI().getPath(), request.getHttpURI().getQuery(), headers,
                remote, request.getConnectionMetaData().getProtocol(), body);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping is best effort
        }
    }
}
