package dev.rtca.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.rtca.model.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Before SnapStart takes the snapshot, one request runs the whole read path (event parsing, validation, the policy
 * read and evaluation, the contact read and the Query, error rendering), so the restored function starts with those
 * classes loaded. It comes from a principal of the deployment's account, which the default policy lets read Redacted,
 * and asks for a contact that does not exist, so it reads nothing and writes nothing.
 */
final class ApiPriming {
    static final String CONTACT = "snapstart-priming";

    private ApiPriming() {
    }

    static void run(ListHandler handler, Map<String, String> pathParameters, String body) {
        ByteArrayOutputStream event = new ByteArrayOutputStream();
        try (JsonGenerator json = Json.FACTORY.createGenerator(event)) {
            json.writeStartObject();
            json.writeStringField("httpMethod", "POST");
            json.writeObjectFieldStart("pathParameters");
            for (Map.Entry<String, String> parameter : pathParameters.entrySet()) {
                json.writeStringField(parameter.getKey(), parameter.getValue());
            }
            json.writeEndObject();
            json.writeStringField("body", body);
            json.writeObjectFieldStart("requestContext");
            json.writeObjectFieldStart("identity");
            json.writeStringField("userArn", "arn:" + handler.authorizer().deployment().partition() + ":iam::"
                    + handler.authorizer().deployment().account() + ":role/snapstart-priming");
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        handler.respond(new ByteArrayInputStream(event.toByteArray()), null);
    }
}
