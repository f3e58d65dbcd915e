package dev.rtca.bench;

import dev.rtca.segments.ContactKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cold starts side by side: each side in JVMs of its own ({@link ColdStart}), the sides alternated round after round,
 * medians reported, so machine noise hits every side alike. JVM start → first V2 page of 100 segments, with Lambda's
 * JVM options (C1 only, serial GC). With {@code --classes DIR} it also writes each side's loaded classes, for finding
 * where a side's extra classes come from.
 */
public final class ColdStartBench {
    private static final List<String> SIDES = List.of("handler", "given", "floor", "primed");
    /** The budgets: the handler's time and classes loaded, each against the floor's. */
    private static final double TIME_BUDGET = 1.15;
    private static final double CLASSES_BUDGET = 1.15;

    private ColdStartBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 && !args[0].startsWith("--") ? Integer.parseInt(args[0]) : 10;
        Path classes = args.length > 1 && args[args.length - 2].equals("--classes") ? Path.of(args[args.length - 1]) : null;
        try (BenchStack stack = new BenchStack()) {
            ContactKey contact = stack.chatContact(100);
            String event = BenchStack.v2Event(contact, 100, null);
            Map<String, List<long[]>> runs = new LinkedHashMap<>();
            SIDES.forEach(side -> runs.put(side, new ArrayList<>()));
            for (String side : SIDES) {
                run(side, stack.environment(), event, null); // warms the OS's file cache for every side
            }
            for (int round = 0; round < rounds; round++) {
                for (String side : SIDES) {
                    runs.get(side).add(run(side, stack.environment(), event, null));
                }
            }
            if (classes != null) {
                Files.createDirectories(classes);
                for (String side : SIDES) {
                    run(side, stack.environment(), event, classes.resolve(side + ".classes"));
                }
            }
            long floorMs = BenchStack.median(column(runs.get("floor"), 0));
            long floorClasses = BenchStack.median(column(runs.get("floor"), 1));
            System.out.printf("cold start, JVM start -> first V2 page of 100 segments; %d rounds, sides alternated, medians%n", rounds);
            for (String side : SIDES.subList(0, 3)) {
                long ms = BenchStack.median(column(runs.get(side), 0));
                long loaded = BenchStack.median(column(runs.get(side), 1));
                System.out.printf("  %-52s %6d ms  x%.2f   %,6d classes  x%.2f%n", describe(side), ms, (double) ms / floorMs,
                        loaded, (double) loaded / floorClasses);
            }
            System.out.printf("  %-52s %6d ms          %,6d classes loaded by it%n", describe("primed"),
                    BenchStack.median(column(runs.get("primed"), 0)), BenchStack.median(column(runs.get("primed"), 1)));
            double time = (double) BenchStack.median(column(runs.get("handler"), 0)) / floorMs;
            double loaded = (double) BenchStack.median(column(runs.get("handler"), 1)) / floorClasses;
            System.out.printf("  handler vs floor: x%.2f time (budget x%.2f: %s), x%.2f classes (budget x%.2f: %s)%n", time,
                    TIME_BUDGET, WarmBench.met(time <= TIME_BUDGET), loaded, CLASSES_BUDGET, WarmBench.met(loaded <= CLASSES_BUDGET));
        }
    }

    private static String describe(String side) {
        return switch (side) {
            case "handler" -> "ListSegmentsV2Handler (key from Secrets Manager)";
            case "given" -> "ListSegmentsV2Handler (key handed over)";
            case "primed" -> "after SnapStart priming: the first page alone";
            default -> "floor: raw GetItem and Query at once + render";
        };
    }

    private static long[] run(String side, Map<String, String> environment, String event, Path classLog)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        if (classLog != null) {
            command.add("-Xlog:class+load=info:file=" + classLog);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ColdStart.class.getName(), side, event));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(side + " failed: " + output);
        }
        String[] last = output.lines().reduce((a, b) -> b).orElse("").split(" ");
        return new long[] {Long.parseLong(last[0]), Long.parseLong(last[1])};
    }

    private static long[] column(List<long[]> runs, int index) {
        return runs.stream().mapToLong(r -> r[index]).toArray();
    }

    /** Classes one side loaded that the other did not, counted by package (for finding where cold start goes). */
    static Map<String, Integer> extraByPackage(Path mine, Path theirs) throws IOException {
        List<String> a = classNames(mine);
        java.util.Set<String> b = new java.util.HashSet<>(classNames(theirs));
        Map<String, Integer> out = new TreeMap<>();
        for (String name : a) {
            if (!b.contains(name)) {
                int dot = name.lastIndexOf('.');
                out.merge(dot < 0 ? "" : name.substring(0, dot), 1, Integer::sum);
            }
        }
        return out;
    }

    private static List<String> classNames(Path log) throws IOException {
        return Files.readAllLines(log).stream().map(l -> l.replaceAll("^.*\\] ", "").split(" ")[0]).toList();
    }
}
