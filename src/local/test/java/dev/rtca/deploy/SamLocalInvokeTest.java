package dev.rtca.deploy;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rtca.local.Template;
import dev.rtca.runtime.Config;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code sam local invoke <Function> -e events/... --env-vars events/env-vars.json} (the README's recipe; SAM and
 * Docker are not needed here): the file configures every function of template.yaml, sets only variables the
 * template declares for that function (SAM ignores any other), and gives each handler every variable it requires:
 * each handler is built from the file's values alone, as SAM's container would build it.
 */
class SamLocalInvokeTest {
    private static final Path ENV_VARS = Path.of("events/env-vars.json");

    @Test
    void theEnvVarsFileConfiguresEveryFunctionWithWhatItsHandlerNeeds() throws Exception {
        JsonNode file = new ObjectMapper().readTree(ENV_VARS.toFile());
        JsonNode template = new ObjectMapper(new YAMLFactory()).readTree(Path.of("template.yaml").toFile());
        Template functions = Template.load(Path.of("template.yaml"));

        Set<String> named = new TreeSet<>();
        file.fieldNames().forEachRemaining(named::add);
        Set<String> declaredFunctions = new TreeSet<>();
        functions.functions().forEach(f -> declaredFunctions.add(f.logicalId()));
        assertEquals(declaredFunctions, named, "one entry per function of template.yaml, and no other");

        for (Template.Function function : functions.functions()) {
            Map<String, String> environment = new HashMap<>();
            file.path(function.logicalId()).fields().forEachRemaining(v -> environment.put(v.getKey(), v.getValue().asText()));
            Set<String> declared = declaredVariables(template, function.logicalId());
            assertTrue(declared.containsAll(environment.keySet()), () -> function.logicalId() + " sets "
                    + environment.keySet() + " but template.yaml declares only " + declared + " (SAM ignores the rest)");
            if (!function.dynamodbActions().isEmpty()) {
                assertTrue(environment.getOrDefault(Config.DYNAMODB_ENDPOINT, "").startsWith("http://"),
                        function.logicalId() + " reaches DynamoDB Local in Docker");
            }
            if (environment.containsKey(Config.TOKEN_SECRET_ID) || functions.rotationFunction().orElse("").equals(function.logicalId())) {
                assertTrue(environment.getOrDefault(Config.SECRETS_MANAGER_ENDPOINT, "").startsWith("http://"),
                        function.logicalId() + " reaches Secrets Manager (LocalStack) in Docker");
            }

            Class<?> handler = Class.forName(function.handler().split("::")[0]);
            assertDoesNotThrow(() -> handler.getConstructor(Config.class).newInstance(Config.fromEnvironment(environment)),
                    function.logicalId() + " starts with the file's variables alone");
        }
    }

    @Test
    void aMissingVariableIsWhatStopsAHandler() throws IOException {
        // The check above can fail: a reader without its token key secret does not start.
        Map<String, String> withoutKey = Map.of(Config.TABLE_NAME, "t", Config.DYNAMODB_ENDPOINT, "http://dynamodb:8000");
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new dev.rtca.api.ListSegmentsV2Handler(Config.fromEnvironment(withoutKey)));
        assertTrue(e.getMessage().contains(Config.TOKEN_SECRET_ID), e.getMessage());
    }

    /** The variables template.yaml declares for a function: Globals' and its own. */
    private static Set<String> declaredVariables(JsonNode template, String function) {
        Set<String> names = new HashSet<>();
        template.path("Globals").path("Function").path("Environment").path("Variables").fieldNames().forEachRemaining(names::add);
        template.path("Resources").path(function).path("Properties").path("Environment").path("Variables")
                .fieldNames().forEachRemaining(names::add);
        return names;
    }
}
