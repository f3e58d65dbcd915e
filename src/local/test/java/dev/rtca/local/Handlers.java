package dev.rtca.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Invokes a stream handler with an event of the events library as Lambda delivers it: the object is written as
 * the JSON the Lambda service sends (the runtime's own event serializers), and the handler's JSON answer is
 * read back into the library's response type.
 */
public final class Handlers {
    private Handlers() {
    }

    /** A list handler answering an API Gateway proxy event. */
    public static APIGatewayProxyResponseEvent api(RequestStreamHandler handler, APIGatewayProxyRequestEvent event) {
        return invoke(handler, event, APIGatewayProxyResponseEvent.class);
    }

    public static <O> O invoke(RequestStreamHandler handler, Object event, Class<O> responseType) {
        return read(invoke(handler, json(event)), responseType);
    }

    /** Invokes with raw event bytes; returns the raw response bytes. */
    public static byte[] invoke(RequestStreamHandler handler, byte[] event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event), out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The event as the Lambda service sends it. */
    @SuppressWarnings("unchecked")
    public static byte[] json(Object event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ((PojoSerializer<Object>) serializer(event.getClass())).toJson(event, out);
        return out.toByteArray();
    }

    public static <O> O read(byte[] json, Class<O> type) {
        return serializer(type).fromJson(new ByteArrayInputStream(json));
    }

    private static <T> PojoSerializer<T> serializer(Class<T> type) {
        return LambdaEventSerializers.serializerFor(type, Handlers.class.getClassLoader());
    }
}
