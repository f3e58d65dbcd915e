package dev.rtca.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs after {@code package}, on every verify: the jar template.yaml deploys holds every handler, the project's
 * classes of the core and Lambda modules and nothing else of the project, no library that only tests or the local
 * runtime use, and it stays within the size the README states (ProGuard shrinks it to what the handlers reach).
 */
class LambdaArtifactIT {
    private static final Path ROOT = Path.of(System.getProperty("rtca.root", "../.."));
    private static final Path JAR = Path.of(System.getProperty("rtca.lambda.artifact", "../../target/rtca-segments-lambda.jar"));
    /** The README states the artifact's size; the build fails above this bound. */
    static final long MAX_BYTES = 7_000_000;
    /** Packages (path prefixes) of libraries the functions never load: tests, the local runtime, other HTTP clients. */
    private static final List<String> FORBIDDEN_LIBRARIES = List.of(
            // DynamoDB Local (not open source; a test and local-runtime dependency only): its server, its engine
            // (com/amazonaws/services/dynamodbv2/datamodel, dbenv, parser, rr, ...; the SDK v1's package tree, which
            // the functions do not use either), PartiQL, its shaded Ion, and SQLite.
            "software/amazon/dynamodb/",
            "com/amazonaws/services/dynamodbv2/",
            "com/amazon/dynamodb/",
            "ddb/partiql/",
            "com/amazon/ion/",
            "com/almworks/sqlite4java/",
            "org/eclipse/jetty/",
            "org/junit/",
            "org/opentest4j/",
            "org/testcontainers/",
            "com/fasterxml/jackson/dataformat/yaml/",
            "software/amazon/awssdk/services/connect/", // the SDK clients only the contract tests use
            "software/amazon/awssdk/services/connectcontactlens/",
            "io/netty/",
            "org/apache/http/");

    private static Set<String> entries() throws IOException {
        assertTrue(Files.exists(JAR), JAR + " is built by the package phase");
        try (JarFile jar = new JarFile(JAR.toFile())) {
            return jar.stream().map(JarEntry::getName).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** The classes a module compiled, as jar entry names. */
    private static Set<String> classesOf(String module) throws IOException {
        Path classes = ROOT.resolve("src").resolve(module).resolve("target/classes");
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> classes.relativize(f).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void theProjectClassesAreExactlyThoseOfTheCoreAndLambdaModules() throws IOException {
        Set<String> project = entries().stream().filter(e -> e.startsWith("dev/rtca/") && e.endsWith(".class"))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>(classesOf("core"));
        expected.addAll(classesOf("lambda"));
        assertEquals(expected, project, "project classes in the artifact (no local, fixture, bench or test class)");
    }

    @Test
    void noLibraryOfTheTestsOrTheLocalRuntimeIsInTheArtifact() throws IOException {
        for (String entry : entries()) {
            for (String prefix : FORBIDDEN_LIBRARIES) {
                assertTrue(!entry.startsWith(prefix), "the Lambda artifact must not contain " + entry);
            }
        }
    }

    @Test
    void theEventsLibraryAndTheEnhancedClientAreInTheArtifactShrunkToWhatTheFunctionsUse() throws IOException {
        Set<String> entries = entries();
        for (String used : List.of("com/amazonaws/services/lambda/runtime/events/APIGatewayProxyRequestEvent.class",
                "com/amazonaws/services/lambda/runtime/events/APIGatewayProxyResponseEvent.class",
                "com/amazonaws/services/lambda/runtime/events/KinesisEvent.class",
                "com/amazonaws/services/lambda/runtime/events/StreamsEventResponse.class",
                "com/amazonaws/services/lambda/runtime/events/SQSEvent.class",
                "com/amazonaws/services/lambda/runtime/events/SQSBatchResponse.class",
                "com/amazonaws/services/lambda/runtime/events/APIGatewayV2WebSocketEvent.class",
                "com/amazonaws/services/lambda/runtime/events/DynamodbEvent.class",
                "com/amazonaws/services/lambda/runtime/events/SecretsManagerRotationEvent.class",
                "software/amazon/awssdk/enhanced/dynamodb/DynamoDbTable.class",
                "software/amazon/awssdk/enhanced/dynamodb/DynamoDbEnhancedClient.class",
                "software/amazon/awssdk/enhanced/dynamodb/mapper/StaticImmutableTableSchema.class")) {
            assertTrue(entries.contains(used), used + " is in the artifact");
        }
        for (String unused : List.of("com/amazonaws/services/lambda/runtime/events/S3Event.class",
                "com/amazonaws/services/lambda/runtime/events/CognitoEvent.class",
                "software/amazon/awssdk/enhanced/dynamodb/DynamoDbAsyncTable.class",
                "software/amazon/awssdk/enhanced/dynamodb/DynamoDbEnhancedAsyncClient.class")) {
            assertTrue(!entries.contains(unused), unused + ": no function uses it, ProGuard leaves it out");
        }
    }

    @Test
    void everyHandlerTheTemplateNamesIsInTheArtifact() throws IOException {
        Matcher handler = Pattern.compile("(?m)^\\s*Handler:\\s*([\\w.$]+)::handleRequest\\s*$")
                .matcher(Files.readString(ROOT.resolve("template.yaml")));
        Set<String> entries = entries();
        int handlers = 0;
        while (handler.find()) {
            handlers++;
            String entry = handler.group(1).replace('.', '/') + ".class";
            assertTrue(entries.contains(entry), "handler " + entry + " is in the artifact");
        }
        assertTrue(handlers >= 5, "template.yaml names the five functions' handlers, found " + handlers);
    }

    @Test
    void theClassesKeepTheirLineNumbersAndLoseOnlyTheLocalVariableTables() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            for (String name : List.of("dev/rtca/api/ListHandler.class", "software/amazon/awssdk/core/internal/http/AmazonSyncHttpClient.class")) {
                String bytes = new String(jar.getInputStream(jar.getEntry(name)).readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertTrue(bytes.contains("LineNumberTable"), name + ": stack traces keep their line numbers");
                assertTrue(!bytes.contains("LocalVariableTable"), name + ": ProGuard dropped the debuggers' local-variable table");
            }
        }
    }

    @Test
    void theArtifactStaysWithinTheSizeTheReadmeStates() throws IOException {
        long size = Files.size(JAR);
        System.out.printf("Lambda artifact %s: %.1f MB, %d entries%n", JAR, size / 1e6, entries().size());
        assertTrue(size <= MAX_BYTES, "the artifact is " + size + " bytes, over the stated " + MAX_BYTES);
    }
}
