package dev.rtca.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtca.access.InvalidPolicyException;
import dev.rtca.access.Policy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The files {@code bin/start-api} reads: {@code --iam} credentials and {@code --policy} documents, checked at start. */
final class LocalFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalFiles() {
    }

    /** {@code [{"accessKeyId": ..., "secretAccessKey": ..., "arn": ...}, ...]}. */
    static List<SigV4.Credential> credentials(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        if (!root.isArray() || root.isEmpty()) {
            throw new IllegalArgumentException(file + ": --iam takes a JSON list of {\"accessKeyId\", \"secretAccessKey\", \"arn\"}");
        }
        List<SigV4.Credential> out = new ArrayList<>();
        for (JsonNode entry : root) {
            for (String member : List.of("accessKeyId", "secretAccessKey", "arn")) {
                if (!entry.path(member).isTextual() || entry.path(member).asText().isBlank()) {
                    throw new IllegalArgumentException(file + ": every credential needs a non-empty \"" + member + "\"");
                }
            }
            out.add(new SigV4.Credential(entry.get("accessKeyId").asText(), entry.get("secretAccessKey").asText(), entry.get("arn").asText()));
        }
        return out;
    }

    /** {@code {"<principal ARN or default>": <IAM policy document>, ...}}; every document must parse. */
    static Map<String, String> policies(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        if (!root.isObject()) {
            throw new IllegalArgumentException(file + ": --policy takes a JSON object of principal ARN to policy document");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String document = JSON.writeValueAsString(entry.getValue());
            try {
                Policy.parse(document);
            } catch (InvalidPolicyException e) {
                throw new IllegalArgumentException(file + ": the policy of " + entry.getKey() + " is invalid: " + e.getMessage());
            }
            out.put(entry.getKey(), document);
        }
        return out;
    }
}
