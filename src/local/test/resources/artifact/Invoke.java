import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

/**
 * Invokes one handler as the Lambda Java runtime does: built by its no-arg constructor from the environment, the
 * event streamed to it from stdin, the response to stdout. Run with only the Lambda artifact on the class path.
 */
public class Invoke {
    public static void main(String[] args) throws Exception {
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(args[0]).getConstructor().newInstance();
        handler.handleRequest(System.in, System.out, null);
        System.out.flush();
    }
}
