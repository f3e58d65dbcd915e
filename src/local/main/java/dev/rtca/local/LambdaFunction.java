package dev.rtca.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.rtca.runtime.Config;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.Semaphore;

/**
 * One function of template.yaml, run as the Lambda Java runtime runs it: one handler instance per function (a
 * warm container), each invocation's payload streamed to it as bytes. The handler is built through its
 * {@code (Config)} constructor with the local runtime's configuration, where Lambda uses the no-arg constructor
 * and the function's environment.
 *
 * <p>At most {@link #CONCURRENCY} invocations of a function run at once, as a function's reserved concurrency bounds
 * it deployed; more wait their turn. A thousand WebSocket messages arriving together then queue instead of each
 * holding threads and connections to DynamoDB Local.
 */
public final class LambdaFunction {
    static final int CONCURRENCY = 16;
    private final String name;
    private final String className;
    private final Config config;
    private final Semaphore running = new Semaphore(CONCURRENCY, true);
    private RequestStreamHandler handler;

    public LambdaFunction(String name, String handlerSpec, Config config) {
        this.name = name;
        int separator = handlerSpec.indexOf("::");
        this.className = separator < 0 ? handlerSpec : handlerSpec.substring(0, separator);
        this.config = config;
    }

    public String name() {
        return name;
    }

    /** Invokes the handler; its exceptions propagate (the caller reports them as Lambda does). */
    public byte[] invoke(byte[] payload, String requestId) throws Exception {
        running.acquire();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler().handleRequest(new ByteArrayInputStream(payload), out, context(requestId));
            return out.toByteArray();
        } finally {
            running.release();
        }
    }

    /** The next invocation runs in a new handler instance, as when Lambda replaces a container. */
    public synchronized void recycle() {
        handler = null;
    }

    private synchronized RequestStreamHandler handler() throws ReflectiveOperationException {
        if (handler == null) {
            handler = (RequestStreamHandler) Class.forName(className).getConstructor(Config.class).newInstance(config);
        }
        return handler;
    }

    /** template.yaml's Globals: Timeout. */
    private static final long TIMEOUT_MILLIS = 15_000;

    private Context context(String requestId) {
        String functionName = name;
        long started = System.nanoTime();
        return new Context() {
            @Override public String getAwsRequestId() { return requestId; }
            @Override public String getLogGroupName() { return "/aws/lambda/" + functionName; }
            @Override public String getLogStreamName() { return "local"; }
            @Override public String getFunctionName() { return functionName; }
            @Override public String getFunctionVersion() { return "$LATEST"; }
            @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:" + functionName; }
            @Override public CognitoIdentity getIdentity() { return null; }
            @Override public ClientContext getClientContext() { return null; }
            @Override public int getRemainingTimeInMillis() {
                return (int) Math.max(0, TIMEOUT_MILLIS - (System.nanoTime() - started) / 1_000_000);
            }
            @Override public int getMemoryLimitInMB() { return 1024; }
            @Override public LambdaLogger getLogger() {
                return new LambdaLogger() {
                    @Override public void log(String message) { System.out.println(message); }
                    @Override public void log(byte[] message) { System.out.println(new String(message, StandardCharsets.UTF_8)); }
                };
            }
        };
    }

    static String newRequestId() {
        return UUID.randomUUID().toString();
    }
}
