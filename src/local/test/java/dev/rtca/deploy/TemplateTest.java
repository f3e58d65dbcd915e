package dev.rtca.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rtca.local.Template;
import dev.rtca.runtime.Config;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** template.yaml and the code agree: every handler exists, routes and runtime are what the API needs. */
class TemplateTest {
    private static final Template TEMPLATE = Template.load(Path.of("template.yaml"));

    @Test
    void everyHandlerNamedInTheTemplateIsAStreamHandlerLambdaAndTheLocalRuntimeCanBuild() throws Exception {
        assertFalse(TEMPLATE.functions().isEmpty());
        for (Template.Function function : TEMPLATE.functions()) {
            String[] parts = function.handler().split("::");
            Class<?> type = Class.forName(parts[0]);
            assertTrue(RequestStreamHandler.class.isAssignableFrom(type), function.handler() + " is a RequestStreamHandler");
            type.getConstructor(); // Lambda's, configured from the environment
            type.getConstructor(Config.class); // the local runtime's
            assertTrue(List.of(type.getMethods()).stream().map(Method::getName).anyMatch(parts[1]::equals), function.handler());
        }
    }

    @Test
    void theApiRoutesAreTheServicePaths() {
        assertEquals(List.of(new Template.Route("POST", "/realtime-contact-analysis/analysis-segments")),
                TEMPLATE.function("ListSegmentsV1Function").routes());
        assertEquals(List.of(new Template.Route("POST", "/contact/list-real-time-analysis-segments-v2/{InstanceId}/{ContactId}")),
                TEMPLATE.function("ListSegmentsV2Function").routes());
    }

    @Test
    void functionsRunOnJava25WithSnapStartAndDeployTheShadedJar() throws Exception {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Path.of("template.yaml").toFile());
        JsonNode globals = root.path("Globals").path("Function");
        assertEquals("java25", globals.path("Runtime").asText());
        assertEquals("PublishedVersions", globals.path("SnapStart").path("ApplyOn").asText());
        root.path("Resources").forEach(resource -> {
            if ("AWS::Serverless::Function".equals(resource.path("Type").asText())) {
                String codeUri = resource.path("Properties").path("CodeUri").asText(globals.path("CodeUri").asText());
                assertEquals("target/rtca-segments-lambda.jar", codeUri);
            }
        });
        assertEquals("AWS_IAM", root.path("Resources").path("SegmentsApi").path("Properties").path("Auth").path("DefaultAuthorizer").asText());
    }
}
