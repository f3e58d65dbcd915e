package dev.rtca.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The functions template.yaml declares: logical ID, handler, and the API routes wired to each. */
public record Template(List<Function> functions) {

    /** An {@code Api} event of a function: method and path template such as {@code /a/{Id}}. */
    public record Route(String method, String path) {
    }

    public record Function(String logicalId, String handler, List<Route> routes) {
    }

    public static Template load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<Function> functions = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("Resources").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> resource = it.next();
            if (!"AWS::Serverless::Function".equals(resource.getValue().path("Type").asText())) {
                continue;
            }
            JsonNode properties = resource.getValue().path("Properties");
            List<Route> routes = new ArrayList<>();
            for (JsonNode event : properties.path("Events")) {
                if ("Api".equals(event.path("Type").asText())) {
                    routes.add(new Route(event.path("Properties").path("Method").asText().toUpperCase(),
                            event.path("Properties").path("Path").asText()));
                }
            }
            functions.add(new Function(resource.getKey(), properties.path("Handler").asText(), routes));
        }
        return new Template(List.copyOf(functions));
    }

    public Function function(String logicalId) {
        return functions.stream().filter(f -> f.logicalId().equals(logicalId)).findFirst().orElse(null);
    }
}
