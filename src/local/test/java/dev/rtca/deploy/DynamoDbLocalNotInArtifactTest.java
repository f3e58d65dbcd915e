package dev.rtca.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.dynamodb.services.local.main.ServerRunner;

/**
 * DynamoDB Local is not open source (AWS's own licence terms): the build fetches it for the tests and the local runtime
 * only, and the Lambda artifact must hold none of it. Checked against the DynamoDB Local jar on this classpath, class
 * by class, so a new version's packages are covered too (LambdaArtifactIT forbids its known packages by prefix).
 */
class DynamoDbLocalNotInArtifactTest {
    private static final Path ARTIFACT = Path.of(System.getProperty("rtca.lambda.artifact", "target/rtca-segments-lambda.jar"));

    private static Set<String> classes(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(JarEntry::getName).filter(name -> name.endsWith(".class"))
                    .filter(name -> !name.startsWith("META-INF/")).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void noClassOfTheDynamoDbLocalJarIsInTheLambdaArtifact() throws IOException, URISyntaxException {
        assertTrue(Files.exists(ARTIFACT), ARTIFACT + " is built by ./mvnw package");
        Path dynamoDbLocal = Path.of(ServerRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> engine = classes(dynamoDbLocal);
        assertTrue(engine.stream().anyMatch(name -> name.startsWith("com/amazonaws/services/dynamodbv2/")),
                dynamoDbLocal + " is DynamoDB Local's jar (its engine classes are in com/amazonaws/services/dynamodbv2)");
        Set<String> shipped = new TreeSet<>(classes(ARTIFACT));
        shipped.retainAll(engine);
        assertEquals(Set.of(), shipped, "classes of " + dynamoDbLocal.getFileName() + " in the Lambda artifact");
    }
}
