package dev.rtca.store;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import dev.rtca.push.Cursor;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

/**
 * A stream's fan-out cursor (the contact's partition / {@code PUSH#<stream>}): position, version, and the lease of the
 * fan-out under way ({@code lease} owner, {@code leaseUntil} in epoch milliseconds; absent when free). Read through the
 * schema; written only by update expressions (ADR 0012), so the schema names the attributes those expressions use.
 */
record CursorItem(String pk, String sk, long position, long version, String lease, Long leaseUntil, long expiresAt) {
    static final String POSITION = "position";
    static final String VERSION = "version";
    static final String LEASE = "lease";
    static final String LEASE_UNTIL = "leaseUntil";

    static final TableSchema<CursorItem> SCHEMA = StaticImmutableTableSchema.builder(CursorItem.class, Builder.class)
            .newItemBuilder(Builder::new, Builder::build)
            .addAttribute(String.class, a -> a.name("pk").getter(CursorItem::pk).setter(Builder::pk).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("sk").getter(CursorItem::sk).setter(Builder::sk).tags(primarySortKey()))
            .addAttribute(Long.class, a -> a.name(POSITION).getter(CursorItem::position).setter(Builder::position))
            .addAttribute(Long.class, a -> a.name(VERSION).getter(CursorItem::version).setter(Builder::version))
            .addAttribute(String.class, a -> a.name(LEASE).getter(CursorItem::lease).setter(Builder::lease))
            .addAttribute(Long.class, a -> a.name(LEASE_UNTIL).getter(CursorItem::leaseUntil).setter(Builder::leaseUntil))
            .addAttribute(Long.class, a -> a.name(DynamoContactStore.TTL_ATTRIBUTE).getter(CursorItem::expiresAt)
                    .setter(Builder::expiresAt))
            .build();

    Cursor cursor() {
        return new Cursor(position, version);
    }

    static final class Builder {
        private String pk;
        private String sk;
        private long position;
        private long version;
        private String lease;
        private Long leaseUntil;
        private long expiresAt;

        Builder pk(String value) {
            pk = value;
            return this;
        }

        Builder sk(String value) {
            sk = value;
            return this;
        }

        Builder position(Long value) {
            position = value == null ? 0 : value;
            return this;
        }

        Builder version(Long value) {
            version = value == null ? 0 : value;
            return this;
        }

        Builder lease(String value) {
            lease = value;
            return this;
        }

        Builder leaseUntil(Long value) {
            leaseUntil = value;
            return this;
        }

        Builder expiresAt(Long value) {
            expiresAt = value == null ? 0 : value;
            return this;
        }

        CursorItem build() {
            return new CursorItem(pk, sk, position, version, lease, leaseUntil, expiresAt);
        }
    }
}
