package dev.rtca.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import dev.rtca.access.Deployment;
import dev.rtca.runtime.Events;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The request a list function answers once before SnapStart takes the snapshot, through the path a real request
 * takes (the proxy event's bytes bound to the library's type, validation, the policy read and evaluation, the contact
 * read and the Query, error rendering, the response written back), so the restored function starts with those classes
 * loaded and the mapper's binders for both types built. It comes from a principal of the deployment's account, which the default
 * policy lets read Redacted, and asks for a contact that does not exist, so it reads nothing and writes nothing.
 */
final class ApiPriming {
    static final String CONTACT = "snapstart-priming";

    private ApiPriming() {
    }

    /** Answers the priming request, as the Lambda service would read the answer: ResourceNotFoundException. */
    static String run(ListHandler handler, Map<String, String> pathParameters, String body) {
        Deployment deployment = handler.authorizer().deployment();
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent()
                .withHttpMethod("POST")
                .withPathParameters(pathParameters)
                .withBody(body)
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext()
                        .withIdentity(new APIGatewayProxyRequestEvent.RequestIdentity()
                                .withUserArn("arn:" + deployment.partition() + ":iam::" + deployment.account()
                                        + ":role/snapstart-priming")));
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(Events.json(event).getBytes(StandardCharsets.UTF_8)), response, null);
        return response.toString(StandardCharsets.UTF_8);
    }
}
