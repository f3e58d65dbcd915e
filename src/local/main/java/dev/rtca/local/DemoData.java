package dev.rtca.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Loads the demo contacts by invoking the writers with the events/ samples, as their event sources would. */
public final class DemoData {
    /** Sample file → the function template.yaml wires to that event source. */
    static final Map<String, String> SAMPLES = new LinkedHashMap<>();

    static {
        SAMPLES.put("kinesis-voice-stream.json", "KinesisIngestFunction");
        SAMPLES.put("kinesis-chat-stream.json", "KinesisIngestFunction");
        SAMPLES.put("sqs-analysis-job.json", "SqsIngestFunction");
        SAMPLES.put("eventbridge-analysis-job.json", "EventBridgeIngestFunction");
    }

    private DemoData() {
    }

    public static void load(LocalRuntime runtime, Path events) throws Exception {
        for (Map.Entry<String, String> sample : SAMPLES.entrySet()) {
            Path file = events.resolve(sample.getKey());
            if (!Files.exists(file) || !runtime.functionNames().contains(sample.getValue())) {
                System.out.println("demo: skipped " + file + " (no such sample or function)");
                continue;
            }
            byte[] result = runtime.invoke(sample.getValue(), read(file));
            System.out.println("demo: " + sample.getValue() + " <- " + file + ": " + new String(result, StandardCharsets.UTF_8));
        }
    }

    private static byte[] read(Path file) throws IOException {
        return Files.readAllBytes(file);
    }
}
