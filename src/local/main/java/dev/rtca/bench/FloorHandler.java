package dev.rtca.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The floor a V2 page cannot go below: the least a Lambda stream handler can do for it. It reads the API Gateway
 * event with Jackson's streaming parser (path parameters, MaxResults), sends GetItem of the contact item and the
 * page's Query at once through the raw SDK client (URLConnection HTTP client, credentials from the environment), as
 * the handler does, renders the page and wraps it as a proxy response. No validation, authorization, token or error
 * handling: only the I/O every page needs.
 */
public final class FloorHandler implements RequestStreamHandler {
    private static final JsonFactory JSON = new JsonFactory();
    /** The contact read beside the Query: a virtual thread each, as the handler's store does. */
    private static final Executor BESIDE = Executors.newVirtualThreadPerTaskExecutor();

    private final DynamoDbClient dynamo;
    private final String table;

    /** As Lambda builds it, from the function's environment. */
    public FloorHandler() {
        Map<String, String> env = System.getenv();
        var builder = DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(env.getOrDefault("AWS_REGION", "us-east-1")))
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create());
        String endpoint = env.get("DYNAMODB_ENDPOINT");
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        this.dynamo = builder.build();
        this.table = env.get("TABLE_NAME");
    }

    /** In-process, over a given client (the warm benchmark). */
    FloorHandler(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String instance = null;
        String contact = null;
        String body = null;
        try (JsonParser json = JSON.createParser(input)) {
            json.nextToken();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                json.nextToken();
                if (name.equals("pathParameters") && json.currentToken() == JsonToken.START_OBJECT) {
                    while (json.nextToken() == JsonToken.FIELD_NAME) {
                        String parameter = json.currentName();
                        json.nextToken();
                        if (parameter.equals("InstanceId")) {
                            instance = json.getText();
                        } else if (parameter.equals("ContactId")) {
                            contact = json.getText();
                        }
                    }
                } else if (name.equals("body")) {
                    body = json.getText();
                } else {
                    json.skipChildren();
                }
            }
        }
        int max = 100;
        try (JsonParser json = JSON.createParser(body)) {
            json.nextToken();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                json.nextToken();
                if (name.equals("MaxResults")) {
                    max = json.getIntValue();
                }
                json.skipChildren();
            }
        }
        String pk = "C#" + instance.length() + "#" + instance + "#" + contact;
        CompletableFuture<GetItemResponse> contactItem = CompletableFuture.supplyAsync(() -> dynamo.getItem(r -> r.tableName(table)
                .consistentRead(true).key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("META")))), BESIDE);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", AttributeValue.fromS(pk));
        values.put(":from", AttributeValue.fromS("S#Raw#000000000000"));
        values.put(":to", AttributeValue.fromS("S#Raw#999999999999"));
        int limit = max;
        QueryResponse page = dynamo.query(r -> r.tableName(table).consistentRead(true).limit(limit)
                .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to").expressionAttributeValues(values));
        GetItemResponse item = contactItem.join();

        ByteArrayOutputStream rendered = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(rendered)) {
            json.writeStartObject();
            json.writeStringField("Channel", item.item().get("channel").s());
            json.writeStringField("Status", item.item().get("status").s());
            json.writeArrayFieldStart("Segments");
            for (Map<String, AttributeValue> segment : page.items()) {
                json.writeRawValue(segment.get("payload").s());
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        try (JsonGenerator json = JSON.createGenerator(output)) {
            json.writeStartObject();
            json.writeNumberField("statusCode", 200);
            json.writeObjectFieldStart("headers");
            json.writeStringField("Content-Type", "application/json");
            json.writeEndObject();
            json.writeStringField("body", rendered.toString(java.nio.charset.StandardCharsets.UTF_8));
            json.writeEndObject();
        }
    }
}
