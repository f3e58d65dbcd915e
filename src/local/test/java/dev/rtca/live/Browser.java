package dev.rtca.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium driven through chromedriver's W3C WebDriver protocol (plain JSON over HTTP, no client library):
 * open a page, run a script in it, take a screenshot. {@link #find()} locates Debian's {@code chromium} and
 * {@code chromium-driver} (or {@code CHROMIUM}, {@code CHROMEDRIVER}); tests skip where there are none.
 */
final class Browser implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process driver;
    private final URI endpoint;
    private final String session;

    private Browser(Process driver, URI endpoint, String session) {
        this.driver = driver;
        this.endpoint = endpoint;
        this.session = session;
    }

    /** The browser and its driver, when both are installed. */
    static Optional<Path[]> find() {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        Path driver = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
        return Files.isExecutable(chromium) && Files.isExecutable(driver) ? Optional.of(new Path[] {chromium, driver}) : Optional.empty();
    }

    /** A browser for a test class, which is skipped (not failed) where Chromium or chromedriver is not installed. */
    static Browser startOrSkip(int width, int height) throws Exception {
        Path[] found = find().orElse(null);
        Assumptions.assumeTrue(found != null, "no Chromium and chromedriver installed (apt-get install chromium chromium-driver)");
        return start(found[0], found[1], width, height);
    }

    static Browser start(Path chromium, Path chromedriver, int width, int height) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process driver = new ProcessBuilder(chromedriver.toString(), "--port=" + port).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        for (int i = 0; i < 100; i++) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(endpoint.resolve("/status")).build(), HttpResponse.BodyHandlers.ofString())
                        .body().contains("\"ready\":true")) {
                    break;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        ObjectNode capabilities = JSON.createObjectNode();
        ObjectNode always = capabilities.putObject("capabilities").putObject("alwaysMatch");
        always.put("browserName", "chrome");
        ObjectNode options = always.putObject("goog:chromeOptions");
        options.put("binary", chromium.toString());
        options.putArray("args").add("--headless=new").add("--no-sandbox").add("--disable-gpu").add("--disable-dev-shm-usage")
                .add("--window-size=" + width + "," + height).add("--force-device-scale-factor=1");
        JsonNode created = post(endpoint, "/session", capabilities);
        return new Browser(driver, endpoint, created.path("value").path("sessionId").asText());
    }

    private static JsonNode post(URI endpoint, String path, JsonNode body) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(endpoint.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(response.body());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("WebDriver " + path + ": " + response.statusCode() + " " + json.path("value"));
        }
        return json;
    }

    void open(URI page) throws IOException, InterruptedException {
        post(endpoint, "/session/" + session + "/url", JSON.createObjectNode().put("url", page.toString()));
    }

    /** Runs a script in the page; its return value. */
    JsonNode run(String script, Object... args) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("script", script);
        body.set("args", JSON.valueToTree(List.of(args)));
        return post(endpoint, "/session/" + session + "/execute/sync", body).path("value");
    }

    /** Polls a script until it returns true. */
    void await(String condition, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!run("return !!(" + condition + ");").asBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the page never showed " + condition + "; it shows: "
                        + run("return document.body.innerText.slice(0, 2000);").asText());
            }
            Thread.sleep(20);
        }
    }

    byte[] screenshot() throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(endpoint.resolve("/session/" + session + "/screenshot")).build(),
                HttpResponse.BodyHandlers.ofString());
        return Base64.getDecoder().decode(JSON.readTree(response.body()).path("value").asText());
    }

    @Override
    public void close() {
        try {
            HTTP.send(HttpRequest.newBuilder(endpoint.resolve("/session/" + session)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        } catch (Exception ignored) {
            // the driver goes anyway
        }
        driver.destroy();
    }
}
