package dev.rtca.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * One function of template.yaml, run as the Lambda Java runtime runs it: the handler class is created once
 * through its no-arg constructor (a warm container), and each invocation's JSON payload is deserialized to
 * the handler's input type with the runtime's own event serializers.
 */
public final class LambdaFunction {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final String className;
    private Object handler;

    public LambdaFunction(String name, String handlerSpec) {
        this.name = name;
        int separator = handlerSpec.indexOf("::");
        this.className = separator < 0 ? handlerSpec : handlerSpec.substring(0, separator);
    }

    public String name() {
        return name;
    }

    /** Invokes the handler; its exceptions propagate (the caller reports them as Lambda does). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public byte[] invoke(byte[] payload, String requestId) throws Exception {
        Object target = handler();
        Context context = context(requestId);
        if (target instanceof RequestStreamHandler streamHandler) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            streamHandler.handleRequest(new ByteArrayInputStream(payload), out, context);
            return out.toByteArray();
        }
        RequestHandler requestHandler = (RequestHandler) target;
        Type[] types = handlerTypes(target.getClass());
        Object input = serializer((Class<?>) types[0]).fromJson(new ByteArrayInputStream(payload));
        Object output = requestHandler.handleRequest(input, context);
        if (output == null) {
            return "null".getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ((PojoSerializer<Object>) serializer(output.getClass())).toJson(output, out);
        return out.toByteArray();
    }

    private synchronized Object handler() throws ReflectiveOperationException {
        if (handler == null) {
            handler = Class.forName(className).getConstructor().newInstance();
        }
        return handler;
    }

    private static Type[] handlerTypes(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Type candidate : c.getGenericInterfaces()) {
                if (candidate instanceof ParameterizedType parameterized && parameterized.getRawType() == RequestHandler.class) {
                    return parameterized.getActualTypeArguments();
                }
            }
        }
        throw new IllegalStateException(type + " does not implement RequestHandler<I, O> with concrete types");
    }

    @SuppressWarnings("unchecked")
    private static <T> PojoSerializer<T> serializer(Class<T> type) {
        if (LambdaEventSerializers.isLambdaSupportedEvent(type.getName())) {
            return LambdaEventSerializers.serializerFor(type, LambdaFunction.class.getClassLoader());
        }
        return new PojoSerializer<>() {
            @Override
            public T fromJson(java.io.InputStream input) {
                try {
                    return JSON.readValue(input, type);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public T fromJson(String input) {
                return fromJson(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            }

            @Override
            public void toJson(T value, java.io.OutputStream output) {
                try {
                    JSON.writeValue(output, value);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    private Context context(String requestId) {
        String functionName = name;
        return new Context() {
            @Override public String getAwsRequestId() { return requestId; }
            @Override public String getLogGroupName() { return "/aws/lambda/" + functionName; }
            @Override public String getLogStreamName() { return "local"; }
            @Override public String getFunctionName() { return functionName; }
            @Override public String getFunctionVersion() { return "$LATEST"; }
            @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:" + functionName; }
            @Override public CognitoIdentity getIdentity() { return null; }
            @Override public ClientContext getClientContext() { return null; }
            @Override public int getRemainingTimeInMillis() { return 15_000; }
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
