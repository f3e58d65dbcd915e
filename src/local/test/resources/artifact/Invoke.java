import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Invokes one handler as the Lambda Java runtime does: built by its no-arg constructor from the environment, the
 * event streamed to it from stdin with a context (a request ID, 15 seconds to run), the response to stdout. Run with
 * only the Lambda artifact on the class path.
 */
public class Invoke {
    public static void main(String[] args) throws Exception {
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(args[0]).getConstructor().newInstance();
        handler.handleRequest(System.in, System.out, context(args[0]));
        System.out.flush();
    }

    private static Context context(String function) {
        String requestId = UUID.randomUUID().toString();
        long started = System.nanoTime();
        return new Context() {
            @Override public String getAwsRequestId() { return requestId; }
            @Override public String getLogGroupName() { return "/aws/lambda/" + function; }
            @Override public String getLogStreamName() { return "artifact"; }
            @Override public String getFunctionName() { return function; }
            @Override public String getFunctionVersion() { return "$LATEST"; }
            @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:" + function; }
            @Override public CognitoIdentity getIdentity() { return null; }
            @Override public ClientContext getClientContext() { return null; }
            @Override public int getRemainingTimeInMillis() { return (int) Math.max(0, 15_000 - (System.nanoTime() - started) / 1_000_000); }
            @Override public int getMemoryLimitInMB() { return 1024; }
            @Override public LambdaLogger getLogger() {
                return new LambdaLogger() {
                    @Override public void log(String message) { System.err.println(message); }
                    @Override public void log(byte[] message) { System.err.println(new String(message, StandardCharsets.UTF_8)); }
                };
            }
        };
    }
}
