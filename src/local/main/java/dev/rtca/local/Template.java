package dev.rtca.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the local runtime takes from template.yaml: the functions (logical ID, handler, the API routes wired to
 * each, the DynamoDB actions their IAM policies allow), the API's gateway responses (how API Gateway answers its own
 * errors: IAM, throttling, unknown routes), its binary media types and the function that rotates the NextToken key
 * secret.
 *
 * @param binaryMediaTypes the media types whose request bodies API Gateway hands the functions base64-encoded (the
 *                         template writes {@code application~1json} for {@code application/json})
 */
public record Template(List<Function> functions, Map<String, GatewayResponse> gatewayResponses,
                       Optional<String> rotationFunction, List<WebSocketRoute> webSocketRoutes, Optional<StreamSource> tableStream,
                       Map<String, String> corsPreflight, Set<String> binaryMediaTypes) {

    /** The function the table's stream invokes, and the filter pattern of its event source mapping (null: none). */
    public record StreamSource(String function, String filterPattern) {
    }

    /**
     * A route of the WebSocket API: its key ({@code $connect}, {@code subscribe}, ...), whether it requires SigV4
     * ({@code AWS_IAM}), and the function its integration invokes.
     */
    public record WebSocketRoute(String routeKey, boolean iam, String function) {
    }

    /** An {@code Api} event of a function: method and path template such as {@code /a/{Id}}. */
    public record Route(String method, String path) {
    }

    /**
     * @param actions the actions the function's IAM policies allow (managed policies of the template it references,
     *                and inline statements)
     */
    public record Function(String logicalId, String handler, List<Route> routes, Set<String> actions) {
        /** The {@code dynamodb:} actions its policies allow. */
        public Set<String> dynamodbActions() {
            return actions("dynamodb:");
        }

        public Set<String> actions(String servicePrefix) {
            return actions.stream().filter(a -> a.startsWith(servicePrefix)).collect(java.util.stream.Collectors.toUnmodifiableSet());
        }
    }

    /**
     * A gateway response of the API, as configured.
     *
     * @param template the body mapping template; {@code $context.error.messageString} is the quoted message
     */
    public record GatewayResponse(int status, Map<String, String> headers, String template) {
        /** The body API Gateway renders for {@code message}. */
        public String body(String message) {
            String quoted = "\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            return template.replace("$context.error.messageString", quoted).replace("$context.error.message", message);
        }
    }

    public static Template load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<Function> functions = new ArrayList<>();
        Map<String, GatewayResponse> gatewayResponses = new LinkedHashMap<>();
        Optional<String> rotationFunction = Optional.empty();
        Optional<StreamSource> tableStream = Optional.empty();
        List<WebSocketRoute> webSocketRoutes = new ArrayList<>();
        Map<String, String> corsPreflight = new LinkedHashMap<>();
        Set<String> binaryMediaTypes = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("Resources").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> resource = it.next();
            JsonNode properties = resource.getValue().path("Properties");
            switch (resource.getValue().path("Type").asText()) {
                case "AWS::Serverless::Function" -> {
                    List<Route> routes = new ArrayList<>();
                    for (JsonNode event : properties.path("Events")) {
                        if ("Api".equals(event.path("Type").asText())) {
                            routes.add(new Route(event.path("Properties").path("Method").asText().toUpperCase(),
                                    event.path("Properties").path("Path").asText()));
                        }
                    }
                    functions.add(new Function(resource.getKey(), properties.path("Handler").asText(), routes,
                            actions(root.path("Resources"), properties.path("Policies"))));
                    for (JsonNode event : properties.path("Events")) {
                        if ("DynamoDB".equals(event.path("Type").asText())) {
                            JsonNode filters = event.path("Properties").path("FilterCriteria").path("Filters");
                            tableStream = Optional.of(new StreamSource(resource.getKey(),
                                    filters.isEmpty() ? null : filters.get(0).path("Pattern").asText()));
                        }
                    }
                }
                case "AWS::Serverless::Api" -> {
                    properties.path("GatewayResponses").fields().forEachRemaining(response -> {
                        Map<String, String> headers = new LinkedHashMap<>();
                        response.getValue().path("ResponseParameters").path("Headers").fields().forEachRemaining(h ->
                                headers.put(h.getKey(), unquoted(h.getValue())));
                        gatewayResponses.put(response.getKey(), new GatewayResponse(
                                response.getValue().path("StatusCode").asInt(),
                                headers,
                                response.getValue().path("ResponseTemplates").path("application/json").asText()));
                    });
                    properties.path("BinaryMediaTypes").forEach(type -> binaryMediaTypes.add(type.asText().replace("~1", "/")));
                    // SAM's Cors: an OPTIONS method on every path, answering with these headers.
                    JsonNode cors = properties.path("Cors");
                    Map.of("AllowOrigin", "Access-Control-Allow-Origin", "AllowMethods", "Access-Control-Allow-Methods",
                            "AllowHeaders", "Access-Control-Allow-Headers", "MaxAge", "Access-Control-Max-Age").forEach((member, header) -> {
                        if (cors.hasNonNull(member)) {
                            corsPreflight.put(header, unquoted(cors.get(member)));
                        }
                    });
                }
                case "AWS::ApiGatewayV2::Route" -> {
                    // Target: integrations/${Integration}; the integration's URI names ${Function.Alias}.
                    String integration = properties.path("Target").asText().replaceAll("^integrations/\\$\\{(.*)}$", "$1");
                    String uri = root.path("Resources").path(integration).path("Properties").path("IntegrationUri").asText();
                    java.util.regex.Matcher function = java.util.regex.Pattern.compile("functions/\\$\\{([A-Za-z0-9]+)\\.Alias}").matcher(uri);
                    if (function.find()) {
                        webSocketRoutes.add(new WebSocketRoute(properties.path("RouteKey").asText(),
                                "AWS_IAM".equals(properties.path("AuthorizationType").asText()), function.group(1)));
                    }
                }
                // RotationLambdaARN: !GetAtt Function.Arn (the YAML reader drops the tag, leaving "Function.Arn")
                case "AWS::SecretsManager::RotationSchedule" -> rotationFunction = Optional.of(
                        properties.path("RotationLambdaARN").asText().replaceAll("\\.Arn$", ""));
                default -> {
                }
            }
        }
        return new Template(List.copyOf(functions), Map.copyOf(gatewayResponses), rotationFunction,
                List.copyOf(webSocketRoutes), tableStream, Map.copyOf(corsPreflight), Set.copyOf(binaryMediaTypes));
    }

    /** A header value in API Gateway's mapping syntax, {@code "'value'"}. */
    private static String unquoted(JsonNode value) {
        return value.asText().replaceAll("^'(.*)'$", "$1");
    }

    private static Set<String> actions(JsonNode resources, JsonNode policies) {
        Set<String> actions = new TreeSet<>();
        for (JsonNode policy : policies.isArray() ? policies : List.of(policies)) {
            JsonNode document = policy.isTextual()
                    && "AWS::IAM::ManagedPolicy".equals(resources.path(policy.asText()).path("Type").asText())
                    ? resources.path(policy.asText()).path("Properties").path("PolicyDocument") : policy;
            JsonNode statements = document.path("Statement");
            for (JsonNode statement : statements.isArray() ? statements : List.of(statements)) {
                if (!"Allow".equals(statement.path("Effect").asText())) {
                    continue;
                }
                JsonNode action = statement.path("Action");
                for (JsonNode name : action.isArray() ? action : List.of(action)) {
                    actions.add(name.asText());
                }
            }
        }
        return Set.copyOf(actions);
    }

    public Function function(String logicalId) {
        return functions.stream().filter(f -> f.logicalId().equals(logicalId)).findFirst().orElse(null);
    }
}
