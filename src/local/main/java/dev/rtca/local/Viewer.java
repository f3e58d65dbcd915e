package dev.rtca.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.local.HttpFront.HttpReply;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What the local runtime serves to browsers: the live transcript viewer's static files (src/viewer, in the local
 * module's jar) at {@code /}, and, for its contact picker, the contacts of the local table at {@code /local/contacts}
 * (a local convenience: the deployed stack has no such route).
 */
final class Viewer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png", "json", "application/json");

    private Viewer() {
    }

    /** The file or the contact list a GET asks for; null when the path is neither. */
    static HttpReply serve(String rawPath, DynamoDbClient dynamo, String table) {
        if (rawPath.equals("/local/contacts")) {
            return contacts(dynamo, table);
        }
        String name = rawPath.equals("/") ? "index.html" : rawPath.substring(1);
        if (!name.matches("[a-z0-9-]+\\.(html|js|css|svg|png)")) {
            return null;
        }
        try (InputStream file = Viewer.class.getClassLoader().getResourceAsStream("viewer/" + name)) {
            if (file == null) {
                return null;
            }
            String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
            return new HttpReply(200, Map.of("Content-Type", type, "Cache-Control", "no-cache"), file.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every contact of the table: IDs, channel, status and its streams' lengths, newest first. */
    private static HttpReply contacts(DynamoDbClient dynamo, String table) {
        ArrayNode contacts = JSON.createArrayNode();
        dynamo.scanPaginator(r -> r.tableName(table).filterExpression("sk = :meta")
                        .expressionAttributeValues(Map.of(":meta", AttributeValue.fromS("META"))))
                .items().stream()
                .filter(item -> item.containsKey("instanceId"))
                .sorted((a, b) -> text(b, "updatedAt").compareTo(text(a, "updatedAt")))
                .forEach(item -> {
                    ObjectNode contact = contacts.addObject();
                    contact.put("InstanceId", text(item, "instanceId"));
                    contact.put("ContactId", text(item, "contactId"));
                    contact.put("Channel", text(item, "channel"));
                    contact.put("Status", text(item, "status"));
                    ArrayNode outputs = contact.putArray("OutputTypes");
                    if (item.containsKey("outputTypes")) {
                        item.get("outputTypes").ss().stream().sorted().forEach(outputs::add);
                    }
                    contact.put("Segments", number(item, "nextRaw") + number(item, "nextRedacted"));
                });
        try {
            return new HttpReply(200, Map.of("Content-Type", "application/json"), JSON.writeValueAsBytes(contacts));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.s() == null ? "" : value.s();
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }
}
