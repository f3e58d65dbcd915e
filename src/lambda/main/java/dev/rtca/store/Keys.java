package dev.rtca.store;

import dev.rtca.segments.AppendPlan;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OpenTranscript;
import dev.rtca.segments.OutputType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Key encoding of the single table (docs/architecture.md, "Data model"). IDs may hold any character, '#' included, so the
 * instance ID is length-prefixed: the partition key decodes to exactly one (instance, contact) pair.
 * Keys that would pass DynamoDB's size limits are replaced by a SHA-256 digest of the same encoding.
 */
final class Keys {
    static final String CONTACT_SK = "META";
    static final String SEGMENT_PREFIX = "S#";
    private static final int MAX_PARTITION_KEY_BYTES = 2048;
    private static final int MAX_SORT_KEY_BYTES = 1024;
    private static final int SEQUENCE_DIGITS = 12;
    static final long MAX_SEQUENCE = 999_999_999_999L;

    private Keys() {
    }

    /** An item's primary key, as GetItem, DeleteItem and UpdateItem take it. */
    static Map<String, AttributeValue> primaryKey(String pk, String sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
    }

    static String partition(ContactKey key) {
        String encoded = "C#" + key.instanceId().length() + "#" + key.instanceId() + "#" + key.contactId();
        return fit("C#", encoded, MAX_PARTITION_KEY_BYTES);
    }

    /** The contact a partition key names, when it is not a digest (long IDs are stored hashed). */
    static Optional<ContactKey> contact(String partitionKey) {
        if (!partitionKey.startsWith("C#") || partitionKey.startsWith("C#H#")) {
            return Optional.empty();
        }
        int hash = partitionKey.indexOf('#', 2);
        try {
            int length = Integer.parseInt(partitionKey.substring(2, hash));
            int instanceEnd = hash + 1 + length;
            if (instanceEnd >= partitionKey.length() || partitionKey.charAt(instanceEnd) != '#') {
                return Optional.empty();
            }
            return Optional.of(new ContactKey(partitionKey.substring(hash + 1, instanceEnd), partitionKey.substring(instanceEnd + 1)));
        } catch (RuntimeException notOurs) {
            return Optional.empty();
        }
    }

    static String segment(OutputType stream, long sequence) {
        return streamPrefix(stream) + String.format("%0" + SEQUENCE_DIGITS + "d", sequence);
    }

    static String streamPrefix(OutputType stream) {
        return SEGMENT_PREFIX + stream.name() + "#";
    }

    /** The streams whose readers a change of this item concerns: a segment's own stream; the contact item's, all. */
    static Set<OutputType> streamsChangedBy(String sortKey) {
        if (sortKey.equals(CONTACT_SK)) {
            return EnumSet.allOf(OutputType.class);
        }
        for (OutputType stream : OutputType.values()) {
            if (sortKey.startsWith(streamPrefix(stream))) {
                return EnumSet.of(stream);
            }
        }
        return Set.of();
    }

    static final String UTTERANCE_PREFIX = "U#";

    /** The characters of a SHA-256 digest in base64url, as {@link #digest} writes it. */
    private static final int DIGEST_CHARS = 43;

    /**
     * The sort keys of one open transcript's Utterances begin with this, and no other item's do: the transcript ID is
     * length-prefixed, so no transcript's prefix is another's. A transcript ID too long to leave room for an Utterance
     * after it is replaced by a digest of the whole prefix ({@code U#H#<digest>#}): its Utterances can still be read
     * by the prefix, but its changes cannot be traced back to the transcript ({@link #openTranscriptChangedBy} answers
     * empty).
     */
    static String openTranscript(OpenTranscript transcript) {
        String prefix = UTTERANCE_PREFIX + transcript.stream().name() + "#" + transcript.transcriptId().length() + "#"
                + transcript.transcriptId() + "#";
        if (prefix.getBytes(StandardCharsets.UTF_8).length + 1 + DIGEST_CHARS <= MAX_SORT_KEY_BYTES) {
            return prefix;
        }
        return UTTERANCE_PREFIX + "H#" + digest(prefix) + "#";
    }

    /**
     * An Utterance's item: its transcript's prefix, then {@code =} and its Id; an Id that would make the key too long
     * is replaced by {@code H} and its digest (the character after the prefix tells the two forms apart).
     */
    static String utterance(OpenTranscript transcript, String utteranceId) {
        String prefix = openTranscript(transcript);
        String key = prefix + "=" + utteranceId;
        if (key.getBytes(StandardCharsets.UTF_8).length <= MAX_SORT_KEY_BYTES) {
            return key;
        }
        return prefix + "H" + digest(utteranceId);
    }

    /** The open transcript whose Utterance item has this sort key; empty for any other item. */
    static Optional<OpenTranscript> openTranscriptChangedBy(String sortKey) {
        if (!sortKey.startsWith(UTTERANCE_PREFIX)) {
            return Optional.empty();
        }
        for (OutputType stream : OutputType.values()) {
            String streamPrefix = UTTERANCE_PREFIX + stream.name() + "#";
            if (!sortKey.startsWith(streamPrefix)) {
                continue;
            }
            int hash = sortKey.indexOf('#', streamPrefix.length());
            try {
                int length = Integer.parseInt(sortKey.substring(streamPrefix.length(), hash));
                int end = hash + 1 + length;
                if (length <= 0 || end >= sortKey.length() || sortKey.charAt(end) != '#') {
                    return Optional.empty();
                }
                return Optional.of(new OpenTranscript(stream, sortKey.substring(hash + 1, end)));
            } catch (RuntimeException notOurs) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    static long sequence(String segmentSortKey) {
        return Long.parseLong(segmentSortKey.substring(segmentSortKey.length() - SEQUENCE_DIGITS));
    }

    /** The ingest marker of one chunk of one event; the chunk number comes first so the encoding stays injective. */
    static String marker(String eventKey, int chunk) {
        return fit("E#", "E#" + chunk + "#" + eventKey, MAX_SORT_KEY_BYTES);
    }

    /** A stream's Id log at a version of its contact. */
    static String idLog(OutputType stream, long version) {
        return "L#" + stream.name() + "#" + version;
    }

    /** A segment's entry in its stream's Id log: type names hold no '#' and the Id comes last, so it stays injective. */
    static String idLogEntry(AppendPlan.SegmentId id) {
        return id.type().name() + "#" + id.id();
    }

    /** The Id an entry of a stream's Id log names. */
    static AppendPlan.SegmentId idLogEntry(OutputType stream, String entry) {
        int hash = entry.indexOf('#');
        return new AppendPlan.SegmentId(stream, dev.rtca.segments.SegmentType.valueOf(entry.substring(0, hash)),
                entry.substring(hash + 1));
    }

    private static String fit(String prefix, String encoded, int maxBytes) {
        if (encoded.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return encoded;
        }
        return prefix + "H#" + digest(encoded);
    }

    /** SHA-256 of the text's UTF-8, base64url. */
    private static String digest(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
