package dev.rtca.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtca.local.Template;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Runs after {@code package}: the jar template.yaml deploys holds the handlers and nothing of tests or local runs. */
class LambdaArtifactIT {
    private static final Path JAR = Path.of("target/rtca-segments-lambda.jar");
    private static final List<String> FORBIDDEN = List.of(
            "software/amazon/dynamodb/services/local/", // DynamoDB Local
            "com/almworks/sqlite4java/",
            "org/eclipse/jetty/",
            "dev/rtca/local/", // the local runtime
            "dev/rtca/contract/",
            "org/junit/",
            "org/testcontainers/",
            "software/amazon/awssdk/services/connect/", // the SDK clients only the contract tests use
            "software/amazon/awssdk/services/connectcontactlens/",
            "io/netty/",
            "org/apache/http/");

    @Test
    void theArtifactHasEveryHandlerAndNoTestOrLocalClasses() throws IOException {
        assertTrue(Files.exists(JAR), JAR + " is built by the package phase");
        Set<String> entries;
        try (JarFile jar = new JarFile(JAR.toFile())) {
            entries = jar.stream().map(e -> e.getName()).collect(Collectors.toSet());
        }
        for (String entry : entries) {
            for (String prefix : FORBIDDEN) {
                assertTrue(!entry.startsWith(prefix), "the Lambda artifact must not contain " + entry);
            }
            assertTrue(!entry.endsWith("Test.class") && !entry.endsWith("IT.class"), "test class in the artifact: " + entry);
        }
        for (Template.Function function : Template.load(Path.of("template.yaml")).functions()) {
            String handlerClass = function.handler().split("::")[0].replace('.', '/') + ".class";
            assertTrue(entries.contains(handlerClass), function.logicalId() + " handler " + handlerClass + " is in the artifact");
        }
        System.out.printf("Lambda artifact %s: %.1f MB, %d entries%n", JAR, Files.size(JAR) / 1e6, entries.size());
    }
}
