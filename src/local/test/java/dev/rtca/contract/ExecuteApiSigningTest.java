package dev.rtca.contract;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtca.local.TestRuntime;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthSchemeOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.connect.model.ResourceNotFoundException;

/** The README's recipe for the deployed AWS_IAM API: the SDK signs as execute-api and still works unchanged. */
class ExecuteApiSigningTest {

    @Test
    void theDocumentedSignerOverrideScopesTheSignatureToExecuteApi() {
        AtomicReference<String> authorization = new AtomicReference<>();
        ExecutionInterceptor capture = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                authorization.set(context.httpRequest().firstMatchingHeader("Authorization").orElse(null));
            }
        };
        try (ConnectClient connect = ConnectClient.builder()
                .endpointOverride(TestRuntime.shared().endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(TestRuntime.ACCESS_KEY, "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .authSchemeProvider(params -> List.of(AuthSchemeOption.builder()
                        .schemeId(AwsV4AuthScheme.SCHEME_ID)
                        .putSignerProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                        .putSignerProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .build()))
                .overrideConfiguration(c -> c.addExecutionInterceptor(capture))
                .build()) {
            assertThrows(ResourceNotFoundException.class, () -> connect.listRealtimeContactAnalysisSegmentsV2(r -> r
                    .instanceId("i").contactId("nobody").outputType("Raw").segmentTypesWithStrings("Transcript")));
        }
        assertTrue(authorization.get().contains("/us-east-1/execute-api/aws4_request"), authorization.get());
    }
}
