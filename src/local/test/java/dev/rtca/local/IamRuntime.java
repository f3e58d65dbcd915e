package dev.rtca.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthSchemeOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.connect.ConnectClientBuilder;
import software.amazon.awssdk.services.connectcontactlens.ConnectContactLensClient;
import software.amazon.awssdk.services.connectcontactlens.ConnectContactLensClientBuilder;

/**
 * A second local runtime, on the shared table, started as {@code bin/start-api --iam events/local-iam.json --policy
 * events/local-policies.json} would be (demo contacts included), plus principals of its own for the authorization suite: every API request must
 * carry a SigV4 signature scoped to execute-api, and the caller it proves is authorized by the stored policies.
 */
public final class IamRuntime {
    /** An account that is not the deployment's. */
    public static final String OTHER_ACCOUNT = "210987654321";
    /** A second instance, named by the test principals' policies. */
    public static final String INSTANCE_B = "a1b2c3d4-5678-90ab-cdef-EXAMPLE99999";

    /** A caller: the credentials in the --iam file, the ARN API Gateway reports for them. */
    public record Principal(String accessKeyId, String secretAccessKey, String arn) {
        SigV4.Credential credential() {
            return new SigV4.Credential(accessKeyId, secretAccessKey, arn);
        }

        public Principal withSecret(String secret) {
            return new Principal(accessKeyId, secret, arn);
        }
    }

    // The README's three roles and a developer without a policy of their own, from events/local-iam.json.
    public static final Principal SUPERVISOR = shipped("AKIDSUPERVISOR");
    public static final Principal QA_ANALYST = shipped("AKIDQAANALYST");
    public static final Principal TENANT = shipped("AKIDTENANT");
    public static final Principal DEVELOPER = shipped("AKIDDEVELOPER");

    /** Another session of the supervisor's role: the same policy applies. */
    public static final Principal NIGHT_SHIFT = new Principal("AKIDNIGHTSHIFT", "night-secret",
            "arn:aws:sts::" + LocalRuntime.ACCOUNT + ":assumed-role/SupervisorDashboard/night-shift");
    /** A role of the deployment's account without a policy: the default applies. */
    public static final Principal UNLISTED_ROLE = new Principal("AKIDUNLISTED", "unlisted-secret",
            "arn:aws:sts::" + LocalRuntime.ACCOUNT + ":assumed-role/Unlisted/s1");
    /** A user of the deployment's account whose own (empty) policy replaces the default. */
    public static final Principal NOTHING = new Principal("AKIDNOTHING", "nothing-secret",
            "arn:aws:iam::" + LocalRuntime.ACCOUNT + ":user/nothing");
    public static final Principal OUTSIDER = new Principal("AKIDOUTSIDER", "outsider-secret",
            "arn:aws:iam::" + OTHER_ACCOUNT + ":user/outsider");
    /** A role of another account, granted Redacted on the demo instance by a policy of its own. */
    public static final Principal PARTNER = new Principal("AKIDPARTNER", "partner-secret",
            "arn:aws:sts::" + OTHER_ACCOUNT + ":assumed-role/Partner/p1");
    public static final Principal WILDCARD = new Principal("AKIDWILDCARD", "wildcard-secret",
            "arn:aws:iam::" + LocalRuntime.ACCOUNT + ":user/wildcard");
    public static final Principal TRANSCRIPTS = new Principal("AKIDTRANSCRIPTS", "transcripts-secret",
            "arn:aws:iam::" + LocalRuntime.ACCOUNT + ":user/transcripts-only");
    public static final Principal EVENTS = new Principal("AKIDEVENTS", "events-secret",
            "arn:aws:iam::" + LocalRuntime.ACCOUNT + ":user/event-watcher");
    public static final Principal NO_RAW_IN_B = new Principal("AKIDNORAWB", "norawb-secret",
            "arn:aws:iam::" + LocalRuntime.ACCOUNT + ":user/no-raw-in-b");
    public static final Principal V2_ONLY = new Principal("AKIDV2ONLY", "v2only-secret",
            "arn:aws:iam::" + LocalRuntime.ACCOUNT + ":user/v2-only");

    private static final Map<String, String> TEST_POLICIES = Map.of(
            "arn:aws:iam::" + LocalRuntime.ACCOUNT + ":user/nothing", """
                    {"Version":"2012-10-17","Statement":[]}""",
            "arn:aws:iam::" + OTHER_ACCOUNT + ":role/Partner", """
                    {"Statement":{"Effect":"Allow","Action":"connect:ListRealtimeContactAnalysisSegmentsV2",
                     "Resource":"arn:aws:connect:us-east-1:123456789012:instance/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111/*",
                     "Condition":{"StringEquals":{"connect:ListRealtimeContactAnalysisSegmentsByOutputType":"Redacted"}}}}""",
            "arn:aws:iam::" + LocalRuntime.ACCOUNT + ":user/wildcard", """
                    {"Statement":[{"Effect":"Allow","Action":"connect:listrealtime*",
                     "Resource":"arn:aws:connect:us-east-1:123456789012:instance/*/contact/*",
                     "Condition":{"StringLike":{"connect:ListRealtimeContactAnalysisSegmentsByOutputType":"Red*"}}}]}""",
            "arn:aws:iam::" + LocalRuntime.ACCOUNT + ":user/transcripts-only", """
                    {"Statement":[{"Effect":"Allow","Action":"connect:ListRealtimeContactAnalysisSegmentsV2","Resource":"*",
                     "Condition":{"ForAllValues:StringEquals":
                       {"connect:ListRealtimeContactAnalysisSegmentsBySegmentType":["Transcript","Categories"]}}}]}""",
            "arn:aws:iam::" + LocalRuntime.ACCOUNT + ":user/event-watcher", """
                    {"Statement":[{"Effect":"Allow","Action":"connect:ListRealtimeContactAnalysisSegmentsV2","Resource":"*",
                     "Condition":{"ForAnyValue:StringEquals":{"connect:ListRealtimeContactAnalysisSegmentsBySegmentType":"Event"}}}]}""",
            "arn:aws:iam::" + LocalRuntime.ACCOUNT + ":user/no-raw-in-b", """
                    {"Statement":[{"Effect":"Allow","Action":"connect:*","Resource":"*"},
                     {"Effect":"Deny","Action":"connect:ListRealtimeContactAnalysisSegments*",
                      "Resource":"arn:aws:connect:us-east-1:123456789012:instance/a1b2c3d4-5678-90ab-cdef-EXAMPLE99999/*",
                      "Condition":{"StringEquals":{"connect:ListRealtimeContactAnalysisSegmentsByOutputType":"Raw"}}}]}""",
            "arn:aws:iam::" + LocalRuntime.ACCOUNT + ":user/v2-only", """
                    {"Statement":[{"Effect":"Allow","Action":"connect:ListRealtimeContactAnalysisSegmentsV2","Resource":"*"}]}""");

    private static final List<Principal> TEST_PRINCIPALS = List.of(NIGHT_SHIFT, UNLISTED_ROLE, NOTHING, OUTSIDER, PARTNER,
            WILDCARD, TRANSCRIPTS, EVENTS, NO_RAW_IN_B, V2_ONLY);

    private static IamRuntime shared;

    private final LocalRuntime runtime;

    private IamRuntime() {
        List<SigV4.Credential> credentials = new ArrayList<>(shippedCredentials());
        TEST_PRINCIPALS.forEach(p -> credentials.add(p.credential()));
        Map<String, String> policies = new LinkedHashMap<>(read(() -> LocalFiles.policies(Path.of("events/local-policies.json"))));
        policies.putAll(TEST_POLICIES);
        runtime = LocalRuntime.start(LocalRuntime.Options.defaults(0).withIam(credentials, policies), LocalDynamo.shared());
        try {
            DemoData.load(runtime, Path.of("events")); // idempotent: the writers drop what they already stored
        } catch (Exception e) {
            throw new IllegalStateException("demo data did not load", e);
        }
    }

    public static synchronized IamRuntime shared() {
        if (shared == null) {
            TestRuntime.shared(); // the table and the demo instance's first runtime
            shared = new IamRuntime();
        }
        return shared;
    }

    public URI endpoint() {
        return runtime.endpoint();
    }

    /** The official Connect client, signing as execute-api (the README's recipe). */
    public ConnectClient connect(Principal principal) {
        return signedAsExecuteApi(ConnectClient.builder(), principal)
                .authSchemeProvider(params -> List.of(executeApi()))
                .build();
    }

    /** The official Connect client as it comes: it signs as {@code connect}. */
    public ConnectClient connectSignedAsConnect(Principal principal) {
        return signedAsExecuteApi(ConnectClient.builder(), principal).build();
    }

    /** The official Contact Lens client, signing as execute-api. */
    public ConnectContactLensClient contactLens(Principal principal) {
        return signedAsExecuteApi(ConnectContactLensClient.builder(), principal)
                .authSchemeProvider(params -> List.of(executeApi()))
                .build();
    }

    /** The execute-api scope API Gateway's AWS_IAM requires, in the region the stack is deployed to. */
    public static AuthSchemeOption executeApi() {
        return AuthSchemeOption.builder()
                .schemeId(AwsV4AuthScheme.SCHEME_ID)
                .putSignerProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                .putSignerProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .build();
    }

    private <B extends ConnectClientBuilder> B signedAsExecuteApi(B builder, Principal principal) {
        configure(builder, principal);
        return builder;
    }

    private <B extends ConnectContactLensClientBuilder> B signedAsExecuteApi(B builder, Principal principal) {
        configure(builder, principal);
        return builder;
    }

    private void configure(software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<?, ?> builder, Principal principal) {
        builder.endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(principal.accessKeyId(), principal.secretAccessKey())))
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1)));
        if (builder instanceof software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?> sync) {
            sync.httpClient(UrlConnectionHttpClient.create());
        }
    }

    private static Principal shipped(String accessKeyId) {
        return shippedCredentials().stream().filter(c -> c.accessKeyId().equals(accessKeyId))
                .map(c -> new Principal(c.accessKeyId(), c.secretAccessKey(), c.arn()))
                .findFirst().orElseThrow(() -> new IllegalStateException(accessKeyId + " is not in events/local-iam.json"));
    }

    private static List<SigV4.Credential> shippedCredentials() {
        return read(() -> LocalFiles.credentials(Path.of("events/local-iam.json")));
    }

    private interface Reader<T> {
        T read() throws IOException;
    }

    private static <T> T read(Reader<T> reader) {
        try {
            return reader.read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
