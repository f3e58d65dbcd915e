package dev.rtca.store;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import dev.rtca.segments.AppendPlan.Counters;
import dev.rtca.segments.OutputType;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

/**
 * The contact item ({@code META}): lifecycle, available streams, one sequence counter per stream, and a version that
 * every write checks and bumps (optimistic concurrency between writers of one contact). Immutable: a write builds the
 * next version with {@link #toBuilder()}.
 *
 * @param instanceId  the IDs, for whoever has only the key (a digest when the IDs are long): the fan-out reading the
 *                    table's stream
 * @param outputTypes the streams' names (a string set; never empty when stored, DynamoDB has no empty set)
 * @param nextRaw     the next sequence of the Raw stream (0 when absent: a counter not started yet)
 * @param loggedRaw   the version whose append wrote the Raw stream's latest Id log (0 when absent: none yet)
 */
record ContactItem(String pk, String instanceId, String contactId, String channel, String status, Set<String> outputTypes,
                   long nextRaw, long nextRedacted, long version, String createdAt, String updatedAt, long expiresAt,
                   long loggedRaw, long loggedRedacted) {

    static final String VERSION = "version";

    ContactItem {
        outputTypes = outputTypes == null ? Set.of() : Set.copyOf(outputTypes);
    }

    /** The item's attributes, named as stored; nulls are left out of every write. */
    static final TableSchema<ContactItem> SCHEMA = StaticImmutableTableSchema.builder(ContactItem.class, Builder.class)
            .newItemBuilder(Builder::new, Builder::build)
            .addAttribute(String.class, a -> a.name("pk").getter(ContactItem::pk).setter(Builder::pk).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("sk").getter(i -> Keys.CONTACT_SK).setter((b, v) -> { }).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name("instanceId").getter(ContactItem::instanceId).setter(Builder::instanceId))
            .addAttribute(String.class, a -> a.name("contactId").getter(ContactItem::contactId).setter(Builder::contactId))
            .addAttribute(String.class, a -> a.name("channel").getter(ContactItem::channel).setter(Builder::channel))
            .addAttribute(String.class, a -> a.name("status").getter(ContactItem::status).setter(Builder::status))
            .addAttribute(EnhancedType.setOf(String.class), a -> a.name("outputTypes")
                    .getter(i -> i.outputTypes().isEmpty() ? null : new TreeSet<>(i.outputTypes())).setter(Builder::outputTypes))
            .addAttribute(Long.class, a -> a.name(counter(OutputType.Raw)).getter(ContactItem::nextRaw).setter(Builder::nextRaw))
            .addAttribute(Long.class, a -> a.name(counter(OutputType.Redacted)).getter(ContactItem::nextRedacted)
                    .setter(Builder::nextRedacted))
            .addAttribute(Long.class, a -> a.name(VERSION).getter(ContactItem::version).setter(Builder::version))
            .addAttribute(String.class, a -> a.name("createdAt").getter(ContactItem::createdAt).setter(Builder::createdAt))
            .addAttribute(String.class, a -> a.name("updatedAt").getter(ContactItem::updatedAt).setter(Builder::updatedAt))
            .addAttribute(Long.class, a -> a.name(DynamoContactStore.TTL_ATTRIBUTE).getter(ContactItem::expiresAt)
                    .setter(Builder::expiresAt))
            .addAttribute(Long.class, a -> a.name("loggedRaw").getter(i -> i.loggedRaw() == 0 ? null : i.loggedRaw())
                    .setter(Builder::loggedRaw))
            .addAttribute(Long.class, a -> a.name("loggedRedacted").getter(i -> i.loggedRedacted() == 0 ? null : i.loggedRedacted())
                    .setter(Builder::loggedRedacted))
            .build();

    /** The attribute holding a stream's counter (the next sequence; the position a caught-up read reaches). */
    static String counter(OutputType stream) {
        return stream == OutputType.Raw ? "nextRaw" : "nextRedacted";
    }

    long next(OutputType stream) {
        return counters().next(stream);
    }

    Counters counters() {
        return new Counters(nextRaw, nextRedacted);
    }

    /** The version whose append wrote the stream's latest Id log; 0: none yet. */
    long logged(OutputType stream) {
        return stream == OutputType.Raw ? loggedRaw : loggedRedacted;
    }

    Builder toBuilder() {
        return new Builder().pk(pk).instanceId(instanceId).contactId(contactId).channel(channel).status(status)
                .outputTypes(outputTypes).nextRaw(nextRaw).nextRedacted(nextRedacted).version(version).createdAt(createdAt)
                .updatedAt(updatedAt).expiresAt(expiresAt).loggedRaw(loggedRaw).loggedRedacted(loggedRedacted);
    }

    static final class Builder {
        String pk;
        String instanceId;
        String contactId;
        String channel;
        String status;
        Set<String> outputTypes = Set.of();
        long nextRaw;
        long nextRedacted;
        long version;
        String createdAt;
        String updatedAt;
        long expiresAt;
        long loggedRaw;
        long loggedRedacted;

        Builder pk(String value) {
            pk = value;
            return this;
        }

        Builder instanceId(String value) {
            instanceId = value;
            return this;
        }

        Builder contactId(String value) {
            contactId = value;
            return this;
        }

        Builder channel(String value) {
            channel = value;
            return this;
        }

        Builder status(String value) {
            status = value;
            return this;
        }

        Builder outputTypes(Set<String> value) {
            outputTypes = value;
            return this;
        }

        /** The output types with these streams' names added. */
        Builder withStreams(Collection<OutputType> streams) {
            Set<String> names = new HashSet<>(outputTypes);
            streams.forEach(stream -> names.add(stream.name()));
            outputTypes = names;
            return this;
        }

        Builder nextRaw(Long value) {
            nextRaw = value == null ? 0 : value;
            return this;
        }

        Builder nextRedacted(Long value) {
            nextRedacted = value == null ? 0 : value;
            return this;
        }

        Builder counters(Counters counters) {
            return nextRaw(counters.raw()).nextRedacted(counters.redacted());
        }

        /** The streams whose Id logs this version's append writes. */
        Builder logged(Collection<OutputType> streams) {
            for (OutputType stream : streams) {
                if (stream == OutputType.Raw) {
                    loggedRaw = version;
                } else {
                    loggedRedacted = version;
                }
            }
            return this;
        }

        Builder loggedRaw(Long value) {
            loggedRaw = value == null ? 0 : value;
            return this;
        }

        Builder loggedRedacted(Long value) {
            loggedRedacted = value == null ? 0 : value;
            return this;
        }

        Builder version(Long value) {
            version = value == null ? 0 : value;
            return this;
        }

        Builder createdAt(String value) {
            createdAt = value;
            return this;
        }

        Builder updatedAt(String value) {
            updatedAt = value;
            return this;
        }

        Builder expiresAt(Long value) {
            expiresAt = value == null ? 0 : value;
            return this;
        }

        ContactItem build() {
            return new ContactItem(pk, instanceId, contactId, channel, status, outputTypes, nextRaw, nextRedacted, version,
                    createdAt, updatedAt, expiresAt,
                    loggedRaw, loggedRedacted);
        }
    }
}
