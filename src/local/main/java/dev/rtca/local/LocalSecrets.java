package dev.rtca.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

/**
 * The part of Secrets Manager the stack uses, on a loopback port (the awsJson1.1 protocol the SDK speaks):
 * {@code GetSecretValue}, {@code PutSecretValue}, {@code DescribeSecret}, {@code UpdateSecretVersionStage} with
 * their staging-label rules (moving {@code AWSCURRENT} labels the old version {@code AWSPREVIOUS}), and
 * {@code RotateSecret}, which runs the template's rotation function through its four steps as Secrets Manager does.
 */
public final class LocalSecrets implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CURRENT = "AWSCURRENT";
    private static final String PREVIOUS = "AWSPREVIOUS";
    private static final String PENDING = "AWSPENDING";

    /** Invokes the rotation function with one step's event. */
    public interface Rotation {
        void invoke(byte[] event) throws Exception;
    }

    private static final class Version {
        final String id;
        String value;
        final List<String> stages = new ArrayList<>();

        Version(String id, String value) {
            this.id = id;
            this.value = value;
        }
    }

    private static final class Secret {
        final String name;
        final String arn;
        final Map<String, Version> versions = new LinkedHashMap<>();
        Rotation rotation;

        Secret(String name, String arn) {
            this.name = name;
            this.arn = arn;
        }

        Optional<Version> staged(String stage) {
            return versions.values().stream().filter(v -> v.stages.contains(stage)).findFirst();
        }

        /** Puts the stage on one version only; moving AWSCURRENT makes the version that had it AWSPREVIOUS. */
        void stage(String stage, Version to) {
            Optional<Version> from = staged(stage);
            from.ifPresent(v -> v.stages.remove(stage));
            if (stage.equals(CURRENT) && from.isPresent() && from.get() != to) {
                versions.values().forEach(v -> v.stages.remove(PREVIOUS));
                from.get().stages.add(PREVIOUS);
            }
            if (!to.stages.contains(stage)) {
                to.stages.add(stage);
            }
        }
    }

    /** A client error of the Secrets Manager protocol. */
    private static final class Refusal extends RuntimeException {
        final String type;

        Refusal(String type, String message) {
            super(message);
            this.type = type;
        }
    }

    private final Map<String, Secret> secrets = new LinkedHashMap<>();
    private final String region;
    private final String account;
    private final HttpServer server;
    private final ExecutorService executor = BoundedPool.of("local-secrets", 4);

    private LocalSecrets(String region, String account) throws IOException {
        this.region = region;
        this.account = account;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static LocalSecrets start(String region, String account) {
        try {
            return new LocalSecrets(region, account);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on a loopback port: " + e.getMessage(), e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Creates a secret whose first version holds a random key, rotated by {@code rotation} (null: not rotatable). */
    public synchronized String createTokenKeySecret(String name, Rotation rotation) {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        Secret secret = new Secret(name, "arn:aws:secretsmanager:" + region + ":" + account + ":secret:" + name + "-" + suffix);
        byte[] key = new byte[48];
        new SecureRandom().nextBytes(key);
        Version first = new Version(UUID.randomUUID().toString(), Base64.getUrlEncoder().withoutPadding().encodeToString(key));
        secret.versions.put(first.id, first);
        secret.stage(CURRENT, first);
        secret.rotation = rotation;
        secrets.put(name, secret);
        return secret.arn;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
            ObjectNode response;
            try {
                response = switch (target.substring(target.indexOf('.') + 1)) {
                    case "GetSecretValue" -> get(request);
                    case "PutSecretValue" -> put(request);
                    case "DescribeSecret" -> describe(request);
                    case "UpdateSecretVersionStage" -> updateStage(request);
                    case "RotateSecret" -> rotate(request);
                    default -> throw new Refusal("InvalidRequestException", "The local Secrets Manager does not serve " + target);
                };
            } catch (Refusal e) {
                send(exchange, 400, JSON.createObjectNode().put("__type", e.type).put("Message", e.getMessage()));
                return;
            }
            send(exchange, 200, response);
        } catch (RuntimeException e) {
            send(exchange, 500, JSON.createObjectNode().put("__type", "InternalServiceError").put("Message", String.valueOf(e)));
        }
    }

    private synchronized Secret secret(JsonNode request) {
        String id = request.path("SecretId").asText();
        Secret secret = secrets.values().stream().filter(s -> s.name.equals(id) || s.arn.equals(id)).findFirst().orElse(null);
        if (secret == null) {
            throw new Refusal("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        }
        return secret;
    }

    private synchronized ObjectNode get(JsonNode request) {
        Secret secret = secret(request);
        String versionId = request.path("VersionId").asText(null);
        String stage = request.path("VersionStage").asText(versionId == null ? CURRENT : null);
        Version version = versionId != null ? secret.versions.get(versionId) : secret.staged(stage).orElse(null);
        if (version == null || version.value == null || (stage != null && !version.stages.contains(stage))) {
            throw new Refusal("ResourceNotFoundException", "Secrets Manager can't find the specified secret value for "
                    + (versionId != null ? "VersionId: " + versionId : "staging label: " + stage));
        }
        ObjectNode out = JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name).put("VersionId", version.id)
                .put("SecretString", version.value).put("CreatedDate", System.currentTimeMillis() / 1000.0);
        version.stages.forEach(out.putArray("VersionStages")::add);
        return out;
    }

    private synchronized ObjectNode put(JsonNode request) {
        Secret secret = secret(request);
        String id = request.path("ClientRequestToken").asText(UUID.randomUUID().toString());
        String value = request.path("SecretString").asText(null);
        if (value == null) {
            throw new Refusal("InvalidParameterException", "You must provide a SecretString.");
        }
        Version version = secret.versions.computeIfAbsent(id, k -> new Version(k, value));
        if (version.value != null && !version.value.equals(value)) {
            throw new Refusal("ResourceExistsException", "A version with this ID already exists with another value.");
        }
        version.value = value;
        List<String> stages = new ArrayList<>();
        request.path("VersionStages").forEach(s -> stages.add(s.asText()));
        for (String stage : stages.isEmpty() ? List.of(CURRENT) : stages) {
            secret.stage(stage, version);
        }
        ObjectNode out = JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name).put("VersionId", version.id);
        version.stages.forEach(out.putArray("VersionStages")::add);
        return out;
    }

    private synchronized ObjectNode describe(JsonNode request) {
        Secret secret = secret(request);
        ObjectNode out = JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name)
                .put("RotationEnabled", secret.rotation != null);
        ObjectNode versions = out.putObject("VersionIdsToStages");
        secret.versions.values().stream().filter(v -> !v.stages.isEmpty())
                .forEach(v -> v.stages.forEach(versions.putArray(v.id)::add));
        return out;
    }

    private synchronized ObjectNode updateStage(JsonNode request) {
        Secret secret = secret(request);
        String stage = request.path("VersionStage").asText();
        String to = request.path("MoveToVersionId").asText(null);
        String from = request.path("RemoveFromVersionId").asText(null);
        Optional<Version> holder = secret.staged(stage);
        if (holder.isPresent() && to != null && !holder.get().id.equals(to) && !holder.get().id.equals(from)) {
            throw new Refusal("InvalidParameterException", "The staging label " + stage + " is attached to version "
                    + holder.get().id + ", not " + from + ".");
        }
        if (to == null) {
            holder.filter(v -> v.id.equals(from)).ifPresent(v -> v.stages.remove(stage));
        } else {
            Version version = secret.versions.get(to);
            if (version == null) {
                throw new Refusal("ResourceNotFoundException", "Secrets Manager can't find the specified version " + to);
            }
            secret.stage(stage, version);
        }
        return JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name);
    }

    /** As Secrets Manager does: a new version labelled AWSPENDING, then the four steps, each with that version's ID. */
    private ObjectNode rotate(JsonNode request) {
        Secret secret = secret(request);
        String id;
        synchronized (this) {
            if (secret.rotation == null) {
                throw new Refusal("InvalidRequestException", "The secret has no rotation function.");
            }
            id = request.path("ClientRequestToken").asText(UUID.randomUUID().toString());
            Version pending = new Version(id, null);
            secret.versions.put(id, pending);
            secret.stage(PENDING, pending);
        }
        for (String step : List.of("createSecret", "setSecret", "testSecret", "finishSecret")) {
            ObjectNode event = JSON.createObjectNode().put("Step", step).put("SecretId", secret.arn).put("ClientRequestToken", id);
            try {
                secret.rotation.invoke(JSON.writeValueAsBytes(event));
            } catch (Exception e) {
                throw new Refusal("InvalidRequestException", "The rotation function failed at " + step + ": " + e);
            }
        }
        synchronized (this) {
            Version rotated = secret.versions.get(id);
            rotated.stages.remove(PENDING);
        }
        return JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name).put("VersionId", id);
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        if (status != 200) {
            exchange.getResponseHeaders().set("X-Amzn-ErrorType", body.path("__type").asText());
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
