package dev.rtca.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/start-api}: the two list operations and the Lambda Invoke API on 127.0.0.1, over DynamoDB Local
 * in this process, with demo contacts loaded through the writers unless {@code --empty} is given.
 */
public final class LocalApi {
    private LocalApi() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "3000"));
        boolean demo = true;
        double throttleRate = 0;
        int throttleBurst = 0;
        List<SigV4.Credential> iam = List.of();
        Map<String, String> policies = Map.of();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--empty" -> demo = false;
                case "--throttle-rate" -> throttleRate = Double.parseDouble(value(args, ++i, "--throttle-rate"));
                case "--throttle-burst" -> throttleBurst = Integer.parseInt(value(args, ++i, "--throttle-burst"));
                case "--iam" -> iam = LocalFiles.credentials(Path.of(value(args, ++i, "--iam")));
                case "--policy" -> policies = LocalFiles.policies(Path.of(value(args, ++i, "--policy")));
                case "--access-key-id" -> throw new IllegalArgumentException(
                        "--access-key-id was replaced by --iam FILE, which verifies signatures (try --help)");
                case "-h", "--help" -> {
                    System.out.println("""
                            usage: bin/start-api [--port N] [--empty] [--throttle-rate R --throttle-burst B] [--iam FILE] [--policy FILE]
                              --port N            listen on 127.0.0.1:N (default: $PORT or 3000)
                              --empty             start without the demo contacts
                              --throttle-rate R   emulate the API stage throttle: R requests/s (default: off)
                              --throttle-burst B  ... with a burst of B requests
                              --iam FILE          verify SigV4 as API Gateway's AWS_IAM does (service execute-api, us-east-1);
                                                  FILE: [{"accessKeyId": ..., "secretAccessKey": ..., "arn": ...}, ...]
                                                  (without it, any request passes as a local principal allowed everything)
                              --policy FILE       authorization policies: {"<principal ARN>": <IAM policy document>, ...}""");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        if (!Files.exists(Path.of("template.yaml"))) {
            throw new IllegalStateException("run from the project directory (template.yaml not found)");
        }
        LocalDynamo dynamo = LocalDynamo.start();
        LocalRuntime runtime;
        try {
            runtime = LocalRuntime.start(
                    LocalRuntime.Options.defaults(port).withThrottle(throttleRate, throttleBurst).withIam(iam, policies), dynamo);
        } catch (RuntimeException e) {
            // A port in use, say: say so and end, rather than leave this process alive with nothing listening (what
            // was started before the failure has threads of its own).
            System.err.println("error: " + e.getMessage());
            dynamo.close();
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.close();
            dynamo.close();
            System.out.println("Local API stopped.");
            stopped.countDown();
        }));
        if (demo) {
            DemoData.load(runtime, Path.of("events"));
        }
        System.out.println("Local API ready on " + runtime.endpoint() + "  (functions: " + String.join(", ", runtime.functionNames()) + ")");
        stopped.await();
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
