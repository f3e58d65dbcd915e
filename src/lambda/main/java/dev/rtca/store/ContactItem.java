package dev.rtca.store;

import dev.rtca.segments.OutputType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The contact item: lifecycle, available streams, one sequence counter per stream, and a version that
 * every write checks and bumps (optimistic concurrency between writers of one contact).
 */
final class ContactItem {
    String pk;
    /** The IDs, for whoever has only the key (a digest when the IDs are long): the fan-out reading the table's stream. */
    String instanceId;
    String contactId;
    String channel;
    String status;
    Set<String> outputTypes = new HashSet<>();
    long nextRaw;
    long nextRedacted;
    long version;
    String createdAt;
    String updatedAt;
    long expiresAt;

    /** The attribute holding a stream's counter (the next sequence; the position a caught-up read reaches). */
    static String counter(OutputType stream) {
        return stream == OutputType.Raw ? "nextRaw" : "nextRedacted";
    }

    long next(OutputType stream) {
        return stream == OutputType.Raw ? nextRaw : nextRedacted;
    }

    void next(OutputType stream, long value) {
        if (stream == OutputType.Raw) {
            nextRaw = value;
        } else {
            nextRedacted = value;
        }
    }

    static ContactItem from(Map<String, AttributeValue> item) {
        ContactItem contact = new ContactItem();
        contact.pk = string(item, "pk");
        contact.instanceId = string(item, "instanceId");
        contact.contactId = string(item, "contactId");
        contact.channel = string(item, "channel");
        contact.status = string(item, "status");
        AttributeValue outputs = item.get("outputTypes");
        if (outputs != null && outputs.hasSs()) {
            contact.outputTypes.addAll(outputs.ss());
        }
        contact.nextRaw = number(item, counter(OutputType.Raw));
        contact.nextRedacted = number(item, counter(OutputType.Redacted));
        contact.version = number(item, "version");
        contact.createdAt = string(item, "createdAt");
        contact.updatedAt = string(item, "updatedAt");
        contact.expiresAt = number(item, DynamoContactStore.TTL_ATTRIBUTE);
        return contact;
    }

    /** The item as stored: absent values are left out (DynamoDB has no empty string set). */
    Map<String, AttributeValue> toItem() {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS(pk));
        item.put("sk", AttributeValue.fromS(Keys.CONTACT_SK));
        put(item, "instanceId", instanceId);
        put(item, "contactId", contactId);
        put(item, "channel", channel);
        put(item, "status", status);
        if (!outputTypes.isEmpty()) {
            item.put("outputTypes", AttributeValue.fromSs(outputTypes.stream().sorted().toList()));
        }
        put(item, counter(OutputType.Raw), nextRaw);
        put(item, counter(OutputType.Redacted), nextRedacted);
        put(item, "version", version);
        put(item, "createdAt", createdAt);
        put(item, "updatedAt", updatedAt);
        put(item, DynamoContactStore.TTL_ATTRIBUTE, expiresAt);
        return item;
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    /** A number attribute; 0 when absent (a counter not started yet, an item written before the attribute existed). */
    static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }

    private static void put(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, AttributeValue.fromS(value));
        }
    }

    private static void put(Map<String, AttributeValue> item, String name, long value) {
        item.put(name, AttributeValue.fromN(Long.toString(value)));
    }
}
