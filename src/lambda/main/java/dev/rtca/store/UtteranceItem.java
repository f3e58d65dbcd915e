package dev.rtca.store;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import dev.rtca.segments.Utterance;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

/**
 * A voice Utterance kept for its open transcript ({@code U#<stream>#<length>#<TranscriptId>#=<Utterance Id>}, see
 * {@link Keys#utterance}): the Utterance's members, one attribute each (the key may be a digest, so the Ids are
 * attributes too). {@code partialContent} may be empty (DynamoDB takes empty strings outside keys).
 */
record UtteranceItem(String pk, String sk, String utteranceId, String transcriptId, String participantId,
                     String participantRole, String partialContent, long beginOffsetMillis, long endOffsetMillis,
                     long expiresAt) {

    static final TableSchema<UtteranceItem> SCHEMA = StaticImmutableTableSchema.builder(UtteranceItem.class, Builder.class)
            .newItemBuilder(Builder::new, Builder::build)
            .addAttribute(String.class, a -> a.name("pk").getter(UtteranceItem::pk).setter(Builder::pk).tags(primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("sk").getter(UtteranceItem::sk).setter(Builder::sk).tags(primarySortKey()))
            .addAttribute(String.class, a -> a.name("utteranceId").getter(UtteranceItem::utteranceId).setter(Builder::utteranceId))
            .addAttribute(String.class, a -> a.name("transcriptId").getter(UtteranceItem::transcriptId).setter(Builder::transcriptId))
            .addAttribute(String.class, a -> a.name("participantId").getter(UtteranceItem::participantId)
                    .setter(Builder::participantId))
            .addAttribute(String.class, a -> a.name("participantRole").getter(UtteranceItem::participantRole)
                    .setter(Builder::participantRole))
            .addAttribute(String.class, a -> a.name("partialContent").getter(UtteranceItem::partialContent)
                    .setter(Builder::partialContent))
            .addAttribute(Long.class, a -> a.name("beginOffsetMillis").getter(UtteranceItem::beginOffsetMillis)
                    .setter(Builder::beginOffsetMillis))
            .addAttribute(Long.class, a -> a.name("endOffsetMillis").getter(UtteranceItem::endOffsetMillis)
                    .setter(Builder::endOffsetMillis))
            .addAttribute(Long.class, a -> a.name(DynamoContactStore.TTL_ATTRIBUTE).getter(UtteranceItem::expiresAt)
                    .setter(Builder::expiresAt))
            .build();

    static UtteranceItem of(String pk, String sk, Utterance utterance, long expiresAt) {
        return new UtteranceItem(pk, sk, utterance.id(), utterance.transcriptId(), utterance.participantId(),
                utterance.participantRole(), utterance.partialContent(), utterance.beginOffsetMillis(),
                utterance.endOffsetMillis(), expiresAt);
    }

    Utterance utterance() {
        return new Utterance(utteranceId, transcriptId, participantId, participantRole,
                partialContent == null ? "" : partialContent, beginOffsetMillis, endOffsetMillis);
    }

    static final class Builder {
        private String pk;
        private String sk;
        private String utteranceId;
        private String transcriptId;
        private String participantId;
        private String participantRole;
        private String partialContent;
        private long beginOffsetMillis;
        private long endOffsetMillis;
        private long expiresAt;

        Builder pk(String value) {
            pk = value;
            return this;
        }

        Builder sk(String value) {
            sk = value;
            return this;
        }

        Builder utteranceId(String value) {
            utteranceId = value;
            return this;
        }

        Builder transcriptId(String value) {
            transcriptId = value;
            return this;
        }

        Builder participantId(String value) {
            participantId = value;
            return this;
        }

        Builder participantRole(String value) {
            participantRole = value;
            return this;
        }

        Builder partialContent(String value) {
            partialContent = value;
            return this;
        }

        Builder beginOffsetMillis(Long value) {
            beginOffsetMillis = value == null ? 0 : value;
            return this;
        }

        Builder endOffsetMillis(Long value) {
            endOffsetMillis = value == null ? 0 : value;
            return this;
        }

        Builder expiresAt(Long value) {
            expiresAt = value == null ? 0 : value;
            return this;
        }

        UtteranceItem build() {
            return new UtteranceItem(pk, sk, utteranceId, transcriptId, participantId, participantRole, partialContent,
                    beginOffsetMillis, endOffsetMillis, expiresAt);
        }
    }
}
