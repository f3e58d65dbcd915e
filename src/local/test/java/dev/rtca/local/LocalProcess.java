package dev.rtca.local;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A main class of the local module in a JVM of its own, in the project directory, as bin/run-local runs it (the test
 * class path instead of the jar): its output (stdout and stderr) kept, its "Local API ready on URL" line awaited.
 */
final class LocalProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("Local API ready on (http://\\S+)");
    final Process process;
    private final List<String> output = new ArrayList<>();
    private final CompletableFuture<URI> ready = new CompletableFuture<>();
    private final Thread reader;

    LocalProcess(Class<?> main, Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("PORT");
        builder.environment().putAll(environment);
        process = builder.start();
        reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    synchronized (output) {
                        output.add(line);
                    }
                    Matcher matcher = READY.matcher(line);
                    if (matcher.find()) {
                        ready.complete(URI.create(matcher.group(1)));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            ready.completeExceptionally(new AssertionError("the process ended without being ready:\n" + output()));
        });
    }

    URI awaitReady() throws Exception {
        return ready.get(120, TimeUnit.SECONDS);
    }

    int awaitExit() throws InterruptedException {
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the process did not end:\n" + output());
        reader.join(TimeUnit.SECONDS.toMillis(10)); // its last lines read
        return process.exitValue();
    }

    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /**
     * SIGTERM, as Ctrl-C or bin/start-api's users stop it; then its exit status. Through the process handle: {@code
     * Process.destroy()} also closes the pipes, and what the process prints as it stops would be lost.
     */
    int stop() throws InterruptedException {
        process.toHandle().destroy();
        return awaitExit();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
