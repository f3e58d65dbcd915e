package dev.rtca.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code bin/start-api}: the two list operations and the Lambda Invoke API on 127.0.0.1, over DynamoDB Local
 * in this process (or any DynamoDB-compatible endpoint, {@code --dynamodb-endpoint URL}), with demo contacts loaded
 * through the writers and the demo voice call playing ({@link DemoCall}) unless {@code --empty} is given. Bad options,
 * an endpoint that does not answer as DynamoDB and a port in use end it with one "error: ..." line and exit status 1.
 */
public final class LocalApi {
    /** The ContactId the demo call's plays are numbered from: demo-call-1, demo-call-2, ... */
    public static final String DEMO_CALL = "demo-call";

    private LocalApi() {
    }

    private record Options(int port, boolean demo, double throttleRate, int throttleBurst, List<SigV4.Credential> iam,
                           Map<String, String> policies, String dynamodbEndpoint, String table) {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException | IllegalStateException e) {
            fail(e.getMessage());
            return;
        }
        if (options == null) {
            return; // --help
        }
        LocalDynamo dynamo;
        try {
            dynamo = options.dynamodbEndpoint() == null ? LocalDynamo.start() : LocalDynamo.external(options.dynamodbEndpoint());
        } catch (RuntimeException e) {
            // A URL that is not an endpoint's, an AWS profile file that does not parse, DynamoDB Local not starting.
            fail(e.getMessage());
            return;
        }
        LocalRuntime runtime;
        boolean created;
        try {
            created = dynamo.open(options.table());
            System.out.println("DynamoDB: " + dynamo.describe() + ", table " + options.table() + (created ? " created" : " (existing)"));
            runtime = LocalRuntime.start(LocalRuntime.Options.defaults(options.port()).withTable(options.table())
                    .withThrottle(options.throttleRate(), options.throttleBurst()).withIam(options.iam(), options.policies()), dynamo);
        } catch (RuntimeException e) {
            // A port in use, an endpoint that is not DynamoDB, say: say so and end, rather than leave this process
            // alive with nothing listening (what was started before the failure has threads of its own).
            dynamo.close();
            fail(e.getMessage());
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicReference<DemoCall> demoCall = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            DemoCall call = demoCall.get();
            if (call != null) {
                call.close();
            }
            runtime.close();
            dynamo.close();
            System.out.println("Local API stopped.");
            stopped.countDown();
        }));
        if (options.demo()) {
            DemoData.load(runtime, Path.of("events"));
            // A table kept from an earlier start holds that start's demo calls: number this start's apart from them.
            String contactBase = created ? DEMO_CALL : DEMO_CALL + "-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
                    .withZone(ZoneOffset.UTC).format(Instant.now());
            try {
                demoCall.set(DemoCall.start(runtime, Path.of("events"), contactBase, 1, System.out));
                System.out.println("demo call: a scripted voice call plays now as " + contactBase + "-1 (then -2, -3, ... as it "
                        + "loops), through " + Replay.KINESIS_WRITER + "; open " + runtime.endpoint() + "/ to watch it");
            } catch (Replay.BadInput e) {
                System.out.println("demo call: skipped: " + e.getMessage());
            }
        }
        System.out.println("Local API ready on " + runtime.endpoint() + "  (functions: " + String.join(", ", runtime.functionNames()) + ")");
        stopped.await();
    }

    private static void fail(String message) {
        System.err.println("error: " + message);
        System.exit(1);
    }

    /** The options, or null after printing the usage (--help). */
    private static Options parse(String[] args) {
        int port = number("$PORT", System.getenv().getOrDefault("PORT", "3000"));
        boolean demo = true;
        double throttleRate = 0;
        int throttleBurst = 0;
        List<SigV4.Credential> iam = List.of();
        Map<String, String> policies = Map.of();
        String dynamodbEndpoint = null;
        String table = LocalRuntime.Options.TABLE;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = number("--port", value(args, ++i, "--port"));
                case "--empty" -> demo = false;
                case "--throttle-rate" -> throttleRate = rate(value(args, ++i, "--throttle-rate"));
                case "--throttle-burst" -> throttleBurst = number("--throttle-burst", value(args, ++i, "--throttle-burst"));
                case "--iam" -> iam = read("--iam", value(args, ++i, "--iam"), LocalFiles::credentials);
                case "--policy" -> policies = read("--policy", value(args, ++i, "--policy"), LocalFiles::policies);
                case "--dynamodb-endpoint" -> dynamodbEndpoint = value(args, ++i, "--dynamodb-endpoint");
                case "--table" -> table = tableName(value(args, ++i, "--table"));
                case "--access-key-id" -> throw new IllegalArgumentException(
                        "--access-key-id was replaced by --iam FILE, which verifies signatures (try --help)");
                case "-h", "--help" -> {
                    System.out.println("""
                            usage: bin/start-api [--port N] [--empty] [--throttle-rate R --throttle-burst B] [--iam FILE] [--policy FILE]
                                                 [--dynamodb-endpoint URL] [--table NAME]
                              --port N            listen on 127.0.0.1:N (default: $PORT or 3000; 0: a free port)
                              --empty             start without the demo contacts and the demo call
                              --throttle-rate R   emulate the API stage throttle: R requests/s (default: off)
                              --throttle-burst B  ... with a burst of B requests
                              --iam FILE          verify SigV4 as API Gateway's AWS_IAM does (service execute-api, us-east-1);
                                                  FILE: [{"accessKeyId": ..., "secretAccessKey": ..., "arn": ...}, ...]
                                                  (without it, any request passes as a local principal allowed everything)
                              --policy FILE       authorization policies: {"<principal ARN>": <IAM policy document>, ...}
                              --dynamodb-endpoint URL
                                                  use this DynamoDB-compatible endpoint (LocalStack, an emulator, DynamoDB)
                                                  instead of DynamoDB Local in this process; the table is created there if
                                                  missing, used as it is if present. Credentials: AWS_ACCESS_KEY_ID,
                                                  AWS_SECRET_ACCESS_KEY (AWS_SESSION_TOKEN), or AWS_PROFILE's, else dummy
                                                  ones; region: AWS_REGION or AWS_DEFAULT_REGION, else us-east-1
                              --table NAME        the table's name (default: rtca-local)""");
                    return null;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        if (!Files.exists(Path.of("template.yaml"))) {
            throw new IllegalStateException("run from the project directory (template.yaml not found)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port: " + port + " is not a port (0 to 65535)");
        }
        return new Options(port, demo, throttleRate, throttleBurst, iam, policies, dynamodbEndpoint, table);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private interface Reader<T> {
        T read(Path file) throws IOException;
    }

    /** A file an option names, read and checked; a file that cannot be read or parsed is a bad option. */
    private static <T> T read(String option, String file, Reader<T> reader) {
        try {
            return reader.read(Path.of(file));
        } catch (IOException e) {
            throw new IllegalArgumentException(option + ": cannot read " + file + ": " + e.getMessage());
        }
    }

    private static int number(String option, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": not a whole number: " + text);
        }
    }

    private static double rate(String text) {
        try {
            double rate = Double.parseDouble(text.trim());
            if (!(rate >= 0) || Double.isInfinite(rate)) {
                throw new NumberFormatException();
            }
            return rate;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--throttle-rate: not a number of requests per second: " + text);
        }
    }

    /** DynamoDB's table names: 3 to 255 of a-z, A-Z, 0-9, '_', '-' and '.'. */
    private static String tableName(String name) {
        if (!name.matches("[A-Za-z0-9_.-]{3,255}")) {
            throw new IllegalArgumentException("--table: not a DynamoDB table name (3 to 255 letters, digits, '_', '-', '.'): " + name);
        }
        return name;
    }
}
