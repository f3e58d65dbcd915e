package dev.rtca.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtca.runtime.Config;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A test function: its proxy response is exactly as many bytes as the path asks for (at least 64); for
 * {@code /sized/event}, the response's body is the size in bytes of the proxy event it was invoked with.
 */
public final class SizedResponseHandler implements RequestStreamHandler {
    public SizedResponseHandler(Config config) {
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] payload = input.readAllBytes();
        JsonNode event = new ObjectMapper().readTree(payload);
        if ("event".equals(event.path("pathParameters").path("Bytes").asText())) {
            output.write(("{\"statusCode\":200,\"headers\":{},\"body\":\"" + payload.length + "\"}").getBytes(StandardCharsets.UTF_8));
            return;
        }
        int bytes = Integer.parseInt(event.path("pathParameters").path("Bytes").asText());
        String head = "{\"statusCode\":200,\"headers\":{},\"body\":\"";
        String tail = "\"}";
        output.write((head + "x".repeat(bytes - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8));
    }
}
