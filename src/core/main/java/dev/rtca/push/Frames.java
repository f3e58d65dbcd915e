package dev.rtca.push;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.rtca.model.Json;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.Operation;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.PartialTranscript;
import dev.rtca.segments.Segment;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.SegmentType;
import dev.rtca.segments.StoredSegment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The frames push delivery sends, JSON objects with a {@code Type}:
 *
 * <ul>
 *   <li>{@code Subscribed}: the subscription is accepted (its contact's Channel and Status);
 *   <li>{@code Segments}: new segments in order, each with its {@code Position} (the stream position after it), the
 *       contact's Status and a NextToken that resumes after the last one; a segment too large for a frame comes as
 *       {@code Omitted} with a {@code NextToken} to read it with ListRealtimeContactAnalysisSegmentsV2;
 *   <li>{@code End}: the contact is COMPLETED or FAILED and everything was sent; the subscription is over;
 *   <li>{@code Error}: the subscription was refused or revoked ({@code ErrorType} and {@code Message} as the list
 *       operation would answer); nothing more comes for it;
 *   <li>{@code Partial}: the words so far of a voice transcript still being spoken (only to a voice subscription that
 *       asked for partials), with a {@code Revision} that grows with each change of it.
 * </ul>
 *
 * A voice (V1) subscription's frames name their {@code Operation} after the {@code ContactId}; its {@code Subscribed}
 * says {@code Partials} instead of {@code SegmentTypes}, and in a subscription with partials each entry holding a
 * {@code Transcript} says which partial it {@code Replaces} (the transcript's Id). A chat (V2) subscription's frames are
 * as they were before voice was pushed.
 *
 * A frame stays under {@link #MAX_FRAME_BYTES}, within API Gateway's 128 KB WebSocket message limit.
 */
public final class Frames {
    public static final int MAX_FRAME_BYTES = 120 * 1024;
    /** The {@code Operation} a voice subscription names (a chat one names none, or the V2 operation). */
    public static final String V1_OPERATION = "ListRealtimeContactAnalysisSegments";
    public static final String V2_OPERATION = "ListRealtimeContactAnalysisSegmentsV2";
    private static final int ENVELOPE_BYTES = 2 * 1024;

    private Frames() {
    }

    private interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private static byte[] frame(String type, Subscription subscription, Body body) {
        return frame(type, subscription.contact(), subscription.operation(), subscription.stream(), body);
    }

    private static byte[] frame(String type, ContactKey contact, Operation operation, OutputType stream, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("Type", type);
            if (contact != null) {
                json.writeStringField("InstanceId", contact.instanceId());
                json.writeStringField("ContactId", contact.contactId());
            }
            if (operation == Operation.V1) {
                json.writeStringField("Operation", V1_OPERATION);
            }
            if (stream != null) {
                json.writeStringField("OutputType", stream.name());
            }
            body.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] subscribed(Subscription subscription, Channel channel, ContactStatus status) {
        return frame("Subscribed", subscription, json -> {
            if (subscription.operation() == Operation.V2) {
                json.writeArrayFieldStart("SegmentTypes");
                for (SegmentType type : subscription.types()) {
                    json.writeString(type.name());
                }
                json.writeEndArray();
            }
            json.writeStringField("Channel", channel.name());
            json.writeStringField("Status", status.name());
            if (subscription.operation() == Operation.V1) {
                json.writeBooleanField("Partials", subscription.partials());
            }
        });
    }

    /**
     * The segments as frames of at most {@link #MAX_FRAME_BYTES}, in order.
     *
     * @param tokenAt a NextToken resuming at a stream position, for this subscription's request
     */
    public static List<byte[]> segments(Subscription subscription, List<StoredSegment> segments, ContactStatus status,
                                        LongFunction<String> tokenAt) {
        List<byte[]> frames = new ArrayList<>();
        List<Entry> batch = new ArrayList<>();
        long bytes = 0;
        for (StoredSegment segment : segments) {
            Entry entry = new Entry(segment, subscription.partials() ? replaces(segment.segment()) : null);
            long size = (fits(segment) ? SegmentLister.bytesInPage(segment.segment()) + 32 : 1_024) // an omitted one: a token
                    + (entry.replaces() == null ? 0 : entry.replaces().length() * 6L + 16); // escaped at worst
            if (!batch.isEmpty() && bytes + size > MAX_FRAME_BYTES - ENVELOPE_BYTES) {
                frames.add(segmentsFrame(subscription, batch, status, tokenAt));
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(entry);
            bytes += size;
        }
        if (!batch.isEmpty()) {
            frames.add(segmentsFrame(subscription, batch, status, tokenAt));
        }
        return frames;
    }

    /** A segment as a frame's entry: with the Id of the partial it replaces, for a subscription with partials. */
    private record Entry(StoredSegment stored, String replaces) {
    }

    /** Whether the segment goes in a frame (else it is sent as Omitted, to be read with the list operation). */
    private static boolean fits(StoredSegment segment) {
        return SegmentLister.bytesInPage(segment.segment()) + 32 <= MAX_FRAME_BYTES - ENVELOPE_BYTES;
    }

    private static byte[] segmentsFrame(Subscription subscription, List<Entry> batch, ContactStatus status,
                                        LongFunction<String> tokenAt) {
        return frame("Segments", subscription, json -> {
            json.writeStringField("Status", status.name());
            json.writeArrayFieldStart("Segments");
            for (Entry entry : batch) {
                StoredSegment segment = entry.stored();
                long position = segment.sequence() + 1;
                json.writeStartObject();
                json.writeNumberField("Position", position);
                if (entry.replaces() != null) {
                    json.writeStringField("Replaces", entry.replaces());
                }
                if (!fits(segment)) {
                    json.writeBooleanField("Omitted", true);
                    json.writeStringField("NextToken", tokenAt.apply(segment.sequence()));
                } else {
                    json.writeFieldName("Segment");
                    json.writeRawValue(segment.segment().json());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeStringField("NextToken", tokenAt.apply(batch.get(batch.size() - 1).stored().sequence() + 1));
        });
    }

    /**
     * The Id of the partial a Transcript segment is the final of (its own {@code Id}); null for any other segment. Read
     * from the stored JSON ({@code {"Transcript":{..."Id":"..."...}}}) without building a tree of it.
     */
    static String replaces(Segment segment) {
        if (segment.type() != SegmentType.Transcript) {
            return null;
        }
        try (JsonParser parser = Json.FACTORY.createParser(segment.json())) {
            if (parser.nextToken() != JsonToken.START_OBJECT || parser.nextToken() != JsonToken.FIELD_NAME
                    || parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("Id") && value == JsonToken.VALUE_STRING) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A voice transcript's words so far, to a subscription with partials; null when the frame would be over
     * {@link #MAX_FRAME_BYTES} (it is provisional: the transcript's final comes in a Segments frame).
     */
    public static byte[] partial(Subscription subscription, PartialTranscript partial) {
        byte[] frame = frame("Partial", subscription, json -> {
            json.writeStringField("TranscriptId", partial.transcriptId());
            json.writeStringField("ParticipantId", partial.participantId());
            json.writeStringField("ParticipantRole", partial.participantRole());
            json.writeStringField("Content", partial.text());
            json.writeNumberField("BeginOffsetMillis", partial.beginOffsetMillis());
            json.writeNumberField("EndOffsetMillis", partial.endOffsetMillis());
            json.writeNumberField("Revision", partial.revision());
        });
        return frame.length > MAX_FRAME_BYTES ? null : frame;
    }

    public static byte[] end(Subscription subscription, ContactStatus status) {
        return frame("End", subscription, json -> json.writeStringField("Status", status.name()));
    }

    /** An Error frame for a subscription (its stream omitted while a voice subscription's is not chosen yet). */
    public static byte[] error(Subscription subscription, String errorType, String message) {
        return error(subscription.contact(), subscription.operation(), subscription.stream(), errorType, message);
    }

    /** An Error frame naming a chat subscription (or nothing, with nulls). */
    public static byte[] error(ContactKey contact, OutputType stream, String errorType, String message) {
        return error(contact, Operation.V2, stream, errorType, message);
    }

    public static byte[] error(ContactKey contact, Operation operation, OutputType stream, String errorType, String message) {
        return frame("Error", contact, operation, stream, json -> {
            json.writeStringField("ErrorType", errorType);
            json.writeStringField("Message", message);
        });
    }

    /** The modelled error type of a refusal, as the list operation's response names it. */
    public static String errorType(dev.rtca.segments.RequestRejected refusal) {
        return switch (refusal.reason()) {
            case INVALID -> "InvalidRequestException";
            case CONTACT_NOT_FOUND -> "ResourceNotFoundException";
            case OUTPUT_TYPE_NOT_FOUND -> "OutputTypeNotFoundException";
            case ACCESS_DENIED -> "AccessDeniedException";
        };
    }
}
