package dev.rtca.push;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.rtca.model.Json;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.OutputType;
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
 *       operation would answer); nothing more comes for it.
 * </ul>
 *
 * A frame stays under {@link #MAX_FRAME_BYTES}, within API Gateway's 128 KB WebSocket message limit.
 */
public final class Frames {
    public static final int MAX_FRAME_BYTES = 120 * 1024;
    private static final int ENVELOPE_BYTES = 2 * 1024;

    private Frames() {
    }

    private interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private static byte[] frame(String type, ContactKey contact, OutputType stream, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("Type", type);
            if (contact != null) {
                json.writeStringField("InstanceId", contact.instanceId());
                json.writeStringField("ContactId", contact.contactId());
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
        return frame("Subscribed", subscription.contact(), subscription.stream(), json -> {
            json.writeArrayFieldStart("SegmentTypes");
            for (SegmentType type : subscription.types()) {
                json.writeString(type.name());
            }
            json.writeEndArray();
            json.writeStringField("Channel", channel.name());
            json.writeStringField("Status", status.name());
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
        List<StoredSegment> batch = new ArrayList<>();
        long bytes = 0;
        for (StoredSegment segment : segments) {
            long entry = fits(segment) ? SegmentLister.bytesInPage(segment.segment()) + 32 : 1_024; // an omitted one: a token
            if (!batch.isEmpty() && bytes + entry > MAX_FRAME_BYTES - ENVELOPE_BYTES) {
                frames.add(segmentsFrame(subscription, batch, status, tokenAt));
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(segment);
            bytes += entry;
        }
        if (!batch.isEmpty()) {
            frames.add(segmentsFrame(subscription, batch, status, tokenAt));
        }
        return frames;
    }

    /** Whether the segment goes in a frame (else it is sent as Omitted, to be read with the list operation). */
    private static boolean fits(StoredSegment segment) {
        return SegmentLister.bytesInPage(segment.segment()) + 32 <= MAX_FRAME_BYTES - ENVELOPE_BYTES;
    }

    private static byte[] segmentsFrame(Subscription subscription, List<StoredSegment> batch, ContactStatus status,
                                        LongFunction<String> tokenAt) {
        return frame("Segments", subscription.contact(), subscription.stream(), json -> {
            json.writeStringField("Status", status.name());
            json.writeArrayFieldStart("Segments");
            for (StoredSegment segment : batch) {
                long position = segment.sequence() + 1;
                json.writeStartObject();
                json.writeNumberField("Position", position);
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
            json.writeStringField("NextToken", tokenAt.apply(batch.get(batch.size() - 1).sequence() + 1));
        });
    }

    public static byte[] end(Subscription subscription, ContactStatus status) {
        return frame("End", subscription.contact(), subscription.stream(), json -> json.writeStringField("Status", status.name()));
    }

    public static byte[] error(ContactKey contact, OutputType stream, String errorType, String message) {
        return frame("Error", contact, stream, json -> {
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
