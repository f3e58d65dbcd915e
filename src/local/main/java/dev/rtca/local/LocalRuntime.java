package dev.rtca.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.local.HttpFront.HttpCall;
import dev.rtca.local.HttpFront.HttpReply;
import dev.rtca.runtime.Config;
import dev.rtca.store.DynamoPolicyStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The local runtime: what API Gateway and Lambda do for template.yaml, on one loopback port, without Docker.
 *
 * <ul>
 *   <li>API routes: each request becomes the API Gateway REST proxy event (path parameters decoded per
 *       segment, headers, body, requestContext) and goes to the handler template.yaml names for the route. A body
 *       whose Content-Type is one of the API's BinaryMediaTypes is passed base64-encoded, as the client's bytes; any
 *       other body as text (bytes that are not UTF-8 become U+FFFD, as API Gateway has already decoded a text body).
 *   <li>The Lambda Invoke API, {@code POST /2015-03-31/functions/{FunctionName}/invocations}, for every
 *       function by logical ID, as {@code sam local start-lambda} serves it.
 * </ul>
 *
 * Every handler is built with one {@link Config}: the variables template.yaml sets, with local values (this
 * runtime's table on DynamoDB Local or the endpoint given, its own Secrets Manager holding the token key secret, made at start and rotated by
 * the template's rotation function), and local credentials.
 */
public final class LocalRuntime implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INVOKE = Pattern.compile("^/2015-03-31/functions/([^/]+)/invocations$");
    /** API Gateway's limit on a request body (REST APIs: "10 MB", counted as 10,485,760 bytes), and how it says so. */
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    static final String BODY_TOO_LARGE = "HTTP content length exceeded " + MAX_BODY_BYTES + " bytes.";
    /** Lambda's limits on a synchronous invocation's payload and on its response, in bytes. */
    static final int LAMBDA_REQUEST_LIMIT = 6 * 1024 * 1024;
    static final int LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024 + 100;
    /** The status of API Gateway's gateway response types the runtime emits, where the template sets none. */
    private static final Map<String, Integer> GATEWAY_DEFAULT_STATUS = Map.of(
            "MISSING_AUTHENTICATION_TOKEN", 403, "INVALID_SIGNATURE", 403, "THROTTLED", 429, "REQUEST_TOO_LARGE", 413,
            "INTEGRATION_FAILURE", 504);
    /** The account and region the local stack is deployed in (contact ARNs name them). */
    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";
    /** The name of the secret holding the NextToken keys, on the runtime's own Secrets Manager. */
    public static final String TOKEN_SECRET = "rtca-local-token-key";
    /** Without {@code --iam}, every request comes from this principal, whose policy allows everything. */
    public static final String LOCAL_PRINCIPAL = "arn:aws:iam::" + ACCOUNT + ":user/local";

    /**
     * @param tableName    the table the functions use (created if needed)
     * @param throttleRate requests per second the emulated stage allows (0: no throttling)
     * @param iam          when not empty, API requests must be signed (SigV4, service execute-api) with one of these
     *                     credentials, as API Gateway's AWS_IAM requires; when empty, any request passes as the
     *                     local principal, whose policy allows everything
     * @param policies     authorization policy documents by principal ARN (or "default"), stored at start
     */
    public record Options(int port, Path template, String tableName, double throttleRate, int throttleBurst,
                          List<SigV4.Credential> iam, Map<String, String> policies) {
        public static final String TABLE = "rtca-local";

        public Options {
            iam = List.copyOf(iam);
            policies = Map.copyOf(policies);
        }

        public static Options defaults(int port) {
            return new Options(port, Path.of("template.yaml"), TABLE, 0, 0, List.of(), Map.of());
        }

        public Options withIam(List<SigV4.Credential> credentials, Map<String, String> documents) {
            return new Options(port, template, tableName, throttleRate, throttleBurst, credentials, documents);
        }

        public Options withThrottle(double rate, int burst) {
            return new Options(port, template, tableName, rate, burst, iam, policies);
        }

        public Options withTable(String table) {
            return new Options(port, template, table, throttleRate, throttleBurst, iam, policies);
        }
    }

    /** The caller API Gateway reports in {@code requestContext.identity}. */
    private record ApiRoute(Template.Route route, LambdaFunction function, String[] segments) {
    }

    private final HttpFront front;
    private final Map<String, LambdaFunction> functions = new LinkedHashMap<>();
    private final List<ApiRoute> routes;
    private final Options options;
    private final Config config;
    private final Map<String, PolicyProxy> policies = new LinkedHashMap<>();
    private final Map<String, Template.GatewayResponse> gatewayResponses;
    private final Map<String, String> corsPreflight;
    private final Set<String> binaryMediaTypes;
    private final TokenBucket throttle;
    private final SigV4 verifier;
    private final LocalSecrets secrets;
    private final LocalLive live;
    private final StreamPoller poller;
    private final DynamoDbClient dynamo;

    private LocalRuntime(Options options, LocalDynamo dynamo) throws IOException {
        this.options = options;
        Template template = Template.load(options.template());
        this.secrets = LocalSecrets.start(REGION, ACCOUNT);
        String tokenSecret = secrets.createTokenKeySecret(TOKEN_SECRET, template.rotationFunction()
                .<LocalSecrets.Rotation>map(name -> event -> functions.get(name).invoke(event, LambdaFunction.newRequestId()))
                .orElse(null));
        // The port is known before the functions are configured: the live API's functions post back to it.
        int port = options.port() == 0 ? LocalDynamo.freePort() : options.port();
        this.config = configure(options, dynamo, secrets.endpoint(), tokenSecret)
                .withEnvironment(Config.WEBSOCKET_ENDPOINT, "http://127.0.0.1:" + port + LocalLive.PATH);
        this.dynamo = dynamo.client();
        this.gatewayResponses = template.gatewayResponses();
        this.corsPreflight = template.corsPreflight();
        this.binaryMediaTypes = template.binaryMediaTypes();
        for (Template.Function f : template.functions()) {
            // Each function reaches DynamoDB through its own IAM policy, as deployed.
            PolicyProxy policy = PolicyProxy.start(f.logicalId(), f.dynamodbActions(), dynamo.endpoint(), dynamo.resign());
            policies.put(f.logicalId(), policy);
            functions.put(f.logicalId(), new LambdaFunction(f.logicalId(), f.handler(),
                    config.withEnvironment(Config.DYNAMODB_ENDPOINT, policy.endpoint().toString())));
        }
        this.routes = template.functions().stream()
                .flatMap(f -> f.routes().stream().map(r -> new ApiRoute(r, functions.get(f.logicalId()), r.path().split("/", -1))))
                .toList();
        this.throttle = options.throttleRate() > 0 ? new TokenBucket(options.throttleRate(), options.throttleBurst()) : null;
        this.verifier = options.iam().isEmpty() ? null : new SigV4(options.iam(), REGION);
        Map<String, LambdaFunction> webSocketRoutes = new LinkedHashMap<>();
        boolean connectIam = false;
        for (Template.WebSocketRoute route : template.webSocketRoutes()) {
            webSocketRoutes.put(route.routeKey(), functions.get(route.function()));
            connectIam |= route.routeKey().equals("$connect") && route.iam();
        }
        boolean iamOnConnect = connectIam;
        this.live = new LocalLive(webSocketRoutes, call -> authenticate(call, iamOnConnect, LambdaFunction.newRequestId()));
        this.front = HttpFront.start(port, MAX_BODY_BYTES, this::handle, this::protocolError,
                live.enabled() ? Map.of(LocalLive.PATH, live.creator()) : Map.of());
        this.poller = template.tableStream().map(stream -> new StreamPoller(dynamo, options.tableName(),
                functions.get(stream.function()), stream.filterPattern() == null ? null : readTree(stream.filterPattern())))
                .orElse(null);
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("template.yaml: a filter pattern is not JSON: " + json, e);
        }
    }

    /**
     * API Gateway's AWS_IAM check of a REST call or a WebSocket handshake: who signed it, or API Gateway's refusal.
     * Without {@code --iam} (or on a route without AWS_IAM) every caller is the local principal.
     */
    private LocalLive.Caller authenticate(HttpCall call, boolean iam, String requestId) {
        if (verifier == null || !iam) {
            return new LocalLive.Caller(LOCAL_PRINCIPAL, accessKey(call.header("Authorization")), null);
        }
        SigV4.Result result = verifier.verify(new SigV4.Request(call.method(), call.rawPath(), call.rawQuery(), call.headers(),
                call.body()), java.time.Instant.now());
        if (result instanceof SigV4.Refused refused) {
            return new LocalLive.Caller(null, null, gatewayResponse(refused.type(), refused.message(), requestId));
        }
        SigV4.Credential credential = ((SigV4.Verified) result).credential();
        return new LocalLive.Caller(credential.arn(), credential.accessKeyId(), null);
    }

    public static LocalRuntime start(Options options, LocalDynamo dynamo) {
        try {
            return new LocalRuntime(options, dynamo);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + options.port() + ": " + e.getMessage(), e);
        }
    }

    /** The functions' configuration: the variables template.yaml sets, with local values. */
    private static Config configure(Options options, LocalDynamo dynamo, URI secretsManager, String tokenSecret) {
        dynamo.table(options.tableName());
        Config config = Config.fromEnvironment(Map.of(
                        Config.TABLE_NAME, options.tableName(),
                        Config.AWS_REGION, REGION,
                        Config.RETENTION_HOURS, "24",
                        Config.TOKEN_SECRET_ID, tokenSecret,
                        Config.SECRETS_MANAGER_ENDPOINT, secretsManager.toString(),
                        Config.DYNAMODB_ENDPOINT, dynamo.endpoint().toString(),
                        Config.ACCOUNT_ID, ACCOUNT,
                        Config.PARTITION, "aws"))
                .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        try (DynamoDbClient client = dynamo.client()) {
            DynamoPolicyStore store = new DynamoPolicyStore(client, options.tableName());
            store.put(LOCAL_PRINCIPAL,
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"}]}");
            options.policies().forEach(store::put);
        }
        return config;
    }

    /** The configuration the functions of this runtime share (each reaches DynamoDB through its own policy). */
    public Config config() {
        return config;
    }

    /** The DynamoDB actions a function has used so far. */
    public Set<String> dynamodbActionsUsed(String function) {
        return policies.get(function).used();
    }

    public URI endpoint() {
        return front.endpoint();
    }

    /** The runtime's Secrets Manager (GetSecretValue, PutSecretValue, DescribeSecret, UpdateSecretVersionStage, RotateSecret). */
    public URI secretsManagerEndpoint() {
        return secrets.endpoint();
    }

    public Set<String> functionNames() {
        return functions.keySet();
    }

    /** Every function's next invocation runs in a new handler instance, as after a deploy or a scale-out. */
    public void recycleFunctions() {
        functions.values().forEach(LambdaFunction::recycle);
    }

    /** Invokes a function directly, as the Invoke API does; its exception propagates. */
    public byte[] invoke(String functionName, byte[] payload) throws Exception {
        LambdaFunction function = functions.get(functionName);
        if (function == null) {
            throw new IllegalArgumentException("no function " + functionName + " in template.yaml");
        }
        return function.invoke(payload, LambdaFunction.newRequestId());
    }

    @Override
    public void close() {
        front.close();
        if (poller != null) {
            poller.close();
        }
        policies.values().forEach(PolicyProxy::close);
        secrets.close();
        dynamo.close();
    }

    private HttpReply handle(HttpCall call) {
        try {
            if (call.body().length > MAX_BODY_BYTES) {
                return gatewayResponse("REQUEST_TOO_LARGE", BODY_TOO_LARGE, LambdaFunction.newRequestId());
            }
            Matcher invoke = INVOKE.matcher(call.rawPath());
            if (invoke.matches() && "POST".equals(call.method())) {
                return invokeApi(call, percentDecode(invoke.group(1)));
            }
            if (LocalLive.managementApi(call.rawPath()) && live.enabled()) {
                return live.manage(call);
            }
            if ("GET".equals(call.method())) {
                HttpReply local = Viewer.serve(call.rawPath(), dynamo, options.tableName());
                if (local != null) {
                    return local;
                }
            }
            return apiGateway(call);
        } catch (RuntimeException e) {
            System.err.println("local runtime: " + e);
            e.printStackTrace();
            return new HttpReply(500, Map.of("Content-Type", "application/json"),
                    "{\"message\":\"Internal server error\"}".getBytes(StandardCharsets.UTF_8));
        }
    }

    // ---- Lambda Invoke API -------------------------------------------------------------------------------

    private HttpReply invokeApi(HttpCall call, String name) {
        LambdaFunction function = functions.get(functionName(name));
        String requestId = LambdaFunction.newRequestId();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("x-amzn-RequestId", requestId);
        if (function == null) {
            headers.put("x-amzn-ErrorType", "ResourceNotFoundException");
            return new HttpReply(404, headers, json(JSON.createObjectNode().put("Type", "User")
                    .put("Message", "Function not found: " + name + " (functions: " + functions.keySet() + ")")));
        }
        if (call.body().length > LAMBDA_REQUEST_LIMIT) {
            headers.put("x-amzn-ErrorType", "RequestEntityTooLargeException");
            return new HttpReply(413, headers, json(JSON.createObjectNode().put("Type", "User")
                    .put("message", "Request must be smaller than " + LAMBDA_REQUEST_LIMIT + " bytes for the InvokeFunction operation")));
        }
        String invocationType = call.header("X-Amz-Invocation-Type");
        if ("DryRun".equals(invocationType)) {
            return new HttpReply(204, headers, new byte[0]);
        }
        try {
            byte[] result = function.invoke(call.body(), requestId);
            headers.put("X-Amz-Executed-Version", "$LATEST");
            if ("Event".equals(invocationType)) {
                return new HttpReply(202, headers, new byte[0]);
            }
            if (result.length > LAMBDA_RESPONSE_LIMIT) {
                headers.put("X-Amz-Function-Error", "Unhandled");
                return new HttpReply(200, headers, json(JSON.createObjectNode().put("errorType", "Function.ResponseSizeTooLarge")
                        .put("errorMessage", "Response payload size exceeded maximum allowed payload size ("
                                + LAMBDA_RESPONSE_LIMIT + " bytes).")));
            }
            return new HttpReply(200, headers, result);
        } catch (Throwable e) {
            // An unhandled error is still HTTP 200 for the Invoke API; the header tells the SDK it failed.
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
            headers.put("X-Amz-Function-Error", "Unhandled");
            ObjectNode error = JSON.createObjectNode()
                    .put("errorMessage", String.valueOf(cause.getMessage()))
                    .put("errorType", cause.getClass().getName());
            ArrayNode trace = error.putArray("stackTrace");
            for (StackTraceElement element : cause.getStackTrace()) {
                trace.add(element.toString());
            }
            StringWriter log = new StringWriter();
            cause.printStackTrace(new PrintWriter(log));
            System.err.println("function " + function.name() + " failed: " + log);
            return new HttpReply(200, headers, json(error));
        }
    }

    /** A function name, partial ARN or full ARN (with an optional qualifier) to the logical ID. */
    private static String functionName(String name) {
        int at = name.indexOf("function:");
        String rest = at >= 0 ? name.substring(at + "function:".length()) : name;
        int qualifier = rest.indexOf(':');
        return qualifier >= 0 ? rest.substring(0, qualifier) : rest;
    }

    // ---- API Gateway (REST API, Lambda proxy integration) --------------------------------------------------

    private HttpReply apiGateway(HttpCall call) {
        String requestId = LambdaFunction.newRequestId();
        String[] segments = call.rawPath().split("/", -1);
        for (ApiRoute route : routes) {
            Map<String, String> pathParameters = match(route.segments(), segments);
            if (pathParameters == null) {
                continue;
            }
            if ("OPTIONS".equals(call.method()) && !corsPreflight.isEmpty()) {
                // The CORS preflight: a mock integration, no authorizer (AddDefaultAuthorizerToCorsPreflight: false).
                return new HttpReply(200, corsPreflight, new byte[0]);
            }
            if (!route.route().method().equals(call.method()) && !"ANY".equals(route.route().method())) {
                continue;
            }
            LocalLive.Caller caller = authenticate(call, true, requestId); // DefaultAuthorizer: AWS_IAM
            if (caller.refusal() != null) {
                return caller.refusal();
            }
            if (throttle != null && !throttle.tryAcquire()) {
                return gatewayResponse("THROTTLED", "Rate exceeded", requestId);
            }
            byte[] event = json(proxyEvent(call, route, pathParameters, requestId, caller));
            if (event.length > LAMBDA_REQUEST_LIMIT) {
                // Lambda refuses the invocation; API Gateway answers it as a request too large.
                return gatewayResponse("REQUEST_TOO_LARGE", "Request Too Long", requestId);
            }
            try {
                byte[] result = route.function().invoke(event, requestId);
                if (result.length > LAMBDA_RESPONSE_LIMIT) {
                    System.err.println("function " + route.function().name() + ": response of " + result.length
                            + " bytes exceeds Lambda's " + LAMBDA_RESPONSE_LIMIT);
                    return gatewayResponse("INTEGRATION_FAILURE", "Internal server error", requestId);
                }
                return apiResponse(JSON.readTree(result));
            } catch (Exception e) {
                System.err.println("function " + route.function().name() + " failed: " + e);
                e.printStackTrace();
                return gatewayResponse("INTEGRATION_FAILURE", "Internal server error", requestId);
            }
        }
        // API Gateway answers a method or path the API does not have as a missing authentication token.
        return gatewayResponse("MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token", requestId);
    }

    /**
     * API Gateway's own answer: the gateway response the template configures for {@code type}, else its DEFAULT_4XX or
     * DEFAULT_5XX (by the type's default status), with the status a DEFAULT_ response sets overriding the type's.
     */
    private HttpReply gatewayResponse(String type, String message, String requestId) {
        return gatewayResponse(type, GATEWAY_DEFAULT_STATUS.getOrDefault(type, 500), message, requestId);
    }

    /** A request the HTTP layer refused (a malformed request line, escape or header): API Gateway's DEFAULT_4XX/5XX. */
    private HttpReply protocolError(int status, String message) {
        return gatewayResponse(status < 500 ? "DEFAULT_4XX" : "DEFAULT_5XX", status, message, LambdaFunction.newRequestId());
    }

    private HttpReply gatewayResponse(String type, int status, String message, String requestId) {
        Template.GatewayResponse response = gatewayResponses.get(type);
        if (response == null) {
            response = gatewayResponses.get(status < 500 ? "DEFAULT_4XX" : "DEFAULT_5XX");
        }
        if (response == null) {
            throw new IllegalStateException("template.yaml configures no gateway response for " + type);
        }
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        headers.put("Content-Type", "application/json");
        headers.put("x-amzn-RequestId", requestId);
        return new HttpReply(response.status() > 0 ? response.status() : status, headers,
                response.body(message).getBytes(StandardCharsets.UTF_8));
    }

    static String accessKey(String authorization) {
        if (authorization == null) {
            return null;
        }
        Matcher credential = Pattern.compile("Credential=([^/,\\s]+)/").matcher(authorization);
        return credential.find() ? credential.group(1) : null;
    }

    private ObjectNode proxyEvent(HttpCall call, ApiRoute route, Map<String, String> pathParameters, String requestId,
                                  LocalLive.Caller caller) {
        ObjectNode event = JSON.createObjectNode();
        event.put("resource", route.route().path());
        event.put("path", call.rawPath());
        event.put("httpMethod", call.method());
        ObjectNode headers = event.putObject("headers");
        ObjectNode multiValueHeaders = event.putObject("multiValueHeaders");
        call.headers().forEach((name, values) -> {
            headers.put(name, values.get(values.size() - 1));
            ArrayNode all = multiValueHeaders.putArray(name);
            values.forEach(all::add);
        });
        String query = call.rawQuery();
        if (query == null) {
            event.putNull("queryStringParameters");
            event.putNull("multiValueQueryStringParameters");
        } else {
            ObjectNode single = event.putObject("queryStringParameters");
            ObjectNode multi = event.putObject("multiValueQueryStringParameters");
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                String key = percentDecode(kv[0]);
                String value = kv.length > 1 ? percentDecode(kv[1]) : "";
                single.put(key, value);
                (multi.has(key) ? (ArrayNode) multi.get(key) : multi.putArray(key)).add(value);
            }
        }
        ObjectNode path = event.putObject("pathParameters");
        pathParameters.forEach(path::put);
        event.putNull("stageVariables");
        ObjectNode context = event.putObject("requestContext");
        context.put("resourcePath", route.route().path());
        context.put("httpMethod", call.method());
        context.put("path", "/local" + call.rawPath());
        context.put("stage", "local");
        context.put("requestId", requestId);
        context.put("accountId", ACCOUNT);
        context.put("apiId", "local");
        context.put("protocol", call.protocol());
        context.put("requestTimeEpoch", System.currentTimeMillis());
        ObjectNode identity = context.putObject("identity");
        identity.put("sourceIp", call.remoteAddress());
        identity.put("userAgent", call.header("User-Agent"));
        identity.put("accessKey", caller.accessKey());
        identity.put("accountId", caller.accountId());
        identity.put("caller", caller.accessKey());
        identity.put("user", caller.accessKey());
        identity.put("userArn", caller.userArn());
        boolean binary = binary(call.header("Content-Type"));
        event.put("body", call.body().length == 0 ? null
                : binary ? Base64.getEncoder().encodeToString(call.body()) : new String(call.body(), StandardCharsets.UTF_8));
        event.put("isBase64Encoded", binary && call.body().length > 0);
        return event;
    }

    /** Whether a body of this Content-Type (its media type, parameters aside) is one of the API's binary media types. */
    private boolean binary(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        String anySubtype = type.replaceAll("/.*", "/*");
        return binaryMediaTypes.contains(type) || binaryMediaTypes.contains(anySubtype) || binaryMediaTypes.contains("*/*");
    }

    /** Path parameters of a matching route, or null. The raw path is split on '/' before any decoding. */
    private static Map<String, String> match(String[] template, String[] path) {
        if (template.length != path.length) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            String part = template[i];
            if (part.startsWith("{") && part.endsWith("}")) {
                if (path[i].isEmpty()) {
                    return null;
                }
                parameters.put(part.substring(1, part.length() - 1), percentDecode(path[i]));
            } else if (!part.equals(path[i])) {
                return null;
            }
        }
        return parameters;
    }

    /** RFC 3986 percent-decoding (no '+' to space: that is a form encoding, not a path one). */
    static String percentDecode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int hi = c == '%' && i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
            if (lo >= 0) {
                out.write(hi * 16 + lo);
                i += 2;
            } else { // not an escape: kept as written, as API Gateway does
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static HttpReply apiResponse(JsonNode response) {
        Map<String, String> headers = new LinkedHashMap<>();
        response.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
        String body = response.path("body").isNull() ? "" : response.path("body").asText("");
        byte[] bytes = response.path("isBase64Encoded").asBoolean(false)
                ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        return new HttpReply(response.path("statusCode").asInt(200), headers, bytes);
    }

    private static byte[] json(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stage's throttle: a token bucket of {@code burst} tokens refilled at {@code rate} per second. */
    private static final class TokenBucket {
        private final double rate;
        private final double burst;
        private double tokens;
        private long last = System.nanoTime();

        TokenBucket(double rate, int burst) {
            this.rate = rate;
            this.burst = Math.max(1, burst);
            this.tokens = this.burst;
        }

        synchronized boolean tryAcquire() {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
