package dev.rtca.store;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import dev.rtca.segments.OutputType;
import java.util.Set;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/**
 * The contact item: lifecycle, available streams, one sequence counter per stream, and a version that
 * every write checks and bumps (optimistic concurrency between writers of one contact).
 */
final class ContactItem {
    static final StaticTableSchema<ContactItem> SCHEMA = StaticTableSchema.builder(ContactItem.class)
            .newItemSupplier(ContactItem::new)
            .addAttribute(String.class, a -> a.name("pk").getter(i -> i.pk).setter((i, v) -> i.pk = v).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("sk").getter(i -> i.sk).setter((i, v) -> i.sk = v).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name("instanceId").getter(i -> i.instanceId).setter((i, v) -> i.instanceId = v))
            .addAttribute(String.class, a -> a.name("contactId").getter(i -> i.contactId).setter((i, v) -> i.contactId = v))
            .addAttribute(String.class, a -> a.name("channel").getter(i -> i.channel).setter((i, v) -> i.channel = v))
            .addAttribute(String.class, a -> a.name("status").getter(i -> i.status).setter((i, v) -> i.status = v))
            .addAttribute(EnhancedType.setOf(String.class), a -> a.name("outputTypes")
                    .getter(i -> i.outputTypes == null || i.outputTypes.isEmpty() ? null : i.outputTypes)
                    .setter((i, v) -> i.outputTypes = v))
            .addAttribute(Long.class, a -> a.name("nextRaw").getter(i -> i.nextRaw).setter((i, v) -> i.nextRaw = v))
            .addAttribute(Long.class, a -> a.name("nextRedacted").getter(i -> i.nextRedacted).setter((i, v) -> i.nextRedacted = v))
            .addAttribute(Long.class, a -> a.name("version").getter(i -> i.version).setter((i, v) -> i.version = v))
            .addAttribute(String.class, a -> a.name("createdAt").getter(i -> i.createdAt).setter((i, v) -> i.createdAt = v))
            .addAttribute(String.class, a -> a.name("updatedAt").getter(i -> i.updatedAt).setter((i, v) -> i.updatedAt = v))
            .addAttribute(Long.class, a -> a.name(DynamoContactStore.TTL_ATTRIBUTE).getter(i -> i.expiresAt).setter((i, v) -> i.expiresAt = v))
            .build();

    String pk;
    String sk;
    /** The IDs, for whoever has only the key (a digest when the IDs are long): the fan-out reading the table's stream. */
    String instanceId;
    String contactId;
    String channel;
    String status;
    Set<String> outputTypes;
    Long nextRaw;
    Long nextRedacted;
    Long version;
    String createdAt;
    String updatedAt;
    Long expiresAt;

    long next(OutputType stream) {
        Long value = stream == OutputType.Raw ? nextRaw : nextRedacted;
        return value == null ? 0 : value;
    }

    void next(OutputType stream, long value) {
        if (stream == OutputType.Raw) {
            nextRaw = value;
        } else {
            nextRedacted = value;
        }
    }
}
