package dev.rtca.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.rtca.access.Deployment;
import java.util.Map;

/**
 * The request a list function answers once before SnapStart takes the snapshot, through the typed path (the proxy
 * event, validation, the policy read and evaluation, the contact read and the Query, error rendering), so the restored
 * function starts with those classes loaded. It comes from a principal of the deployment's account, which the default
 * policy lets read Redacted, and asks for a contact that does not exist, so it reads nothing and writes nothing.
 */
final class ApiPriming {
    static final String CONTACT = "snapstart-priming";

    private ApiPriming() {
    }

    /** Answers the priming request; the answer is ResourceNotFoundException. */
    static APIGatewayProxyResponseEvent run(ListHandler handler, Map<String, String> pathParameters, String body) {
        Deployment deployment = handler.authorizer().deployment();
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent()
                .withHttpMethod("POST")
                .withPathParameters(pathParameters)
                .withBody(body)
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext()
                        .withIdentity(new APIGatewayProxyRequestEvent.RequestIdentity()
                                .withUserArn("arn:" + deployment.partition() + ":iam::" + deployment.account()
                                        + ":role/snapstart-priming")));
        return handler.handle(event, null);
    }
}
