package dev.rtca.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.model.Json;
import dev.rtca.model.MalformedJsonException;
import dev.rtca.model.ModelViolation;
import dev.rtca.model.SegmentModel;
import dev.rtca.model.Text;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.Segment;
import dev.rtca.segments.Utterance;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One validated real-time contact analysis segment stream event, in either schema:
 * <ul>
 *   <li>voice, {@code "Version": "1.0.0"}: {@code EventType}, V1 (Contact Lens) segment shapes, and Utterance
 *       partials, taken apart from the segments ({@link #utterances}; one without a {@code TranscriptId} belongs to no
 *       transcript and is dropped);</li>
 *   <li>chat, {@code "Version": "2.0.0"}: {@code StreamingEventType}, {@code StreamingSettings} (or the
 *       {@code StreamingEventSettings} spelling of the documentation samples), {@code OutputType}, V2 union
 *       segments.</li>
 * </ul>
 * Both carry {@code Channel} ({@code VOICE} with 1.0.0, {@code CHAT} with 2.0.0; anything else, such as
 * {@code TASK}, is rejected), {@code InstanceId} and {@code ContactId}. Custom analysis jobs send the same
 * envelope and may add an {@code EventId} (idempotency key) and, on voice envelopes, an {@code OutputType}.
 * Every segment is validated when the envelope is parsed, so an envelope either is wholly valid or is a
 * {@link PoisonEventException}.
 *
 * @param eventId  the envelope's explicit {@code EventId}, or null
 * @param outputs  STARTED: the output types the contact declares; empty for other event types
 * @param stream   SEGMENTS: the output stream the segments belong to; null for other event types
 * @param segments   SEGMENTS: the canonical segments to store, in order (partials removed)
 * @param utterances SEGMENTS: the voice Utterances (with a {@code TranscriptId}), in the event's order, each with its
 *                   place among the segments; empty for other event types and for chat
 */
public record Envelope(String version, EventType eventType, Channel channel, ContactKey contact, String eventId,
                       Set<OutputType> outputs, OutputType stream, List<Segment> segments, List<Fragment> utterances) {

    /**
     * A voice Utterance of a SEGMENTS event and where it came in it.
     *
     * @param position how many of the envelope's {@link #segments} came before it: an Utterance follows the Transcript
     *                 it belongs to when that Transcript is one of the first {@code position} segments
     */
    public record Fragment(Utterance utterance, int position) {
        public Fragment {
            Objects.requireNonNull(utterance, "utterance");
        }
    }

    public static final String VOICE_VERSION = "1.0.0";
    public static final String CHAT_VERSION = "2.0.0";
    /** InstanceId, ContactId and EventId: what the read API could ever be asked for (Contact Lens' ID rule). */
    public static final Text ID = Text.ID;

    public Envelope {
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(contact, "contact");
        outputs = outputs.isEmpty() ? Set.of() : Set.copyOf(outputs);
        segments = List.copyOf(segments);
        utterances = List.copyOf(utterances);
    }

    /**
     * The idempotency key of this event: its explicit {@code EventId} when it has one (so a job may resend
     * an event through any channel), else the key of the delivery (Kinesis shard and sequence number, SQS
     * message ID, EventBridge event ID). The two spaces cannot collide: delivery keys carry their own prefix.
     */
    public String eventKey(String deliveryKey) {
        if (eventId != null) {
            return "id:" + eventId;
        }
        if (deliveryKey == null || deliveryKey.isBlank()) {
            throw new IllegalArgumentException("a delivery key is needed when the envelope has no EventId");
        }
        return deliveryKey;
    }

    /** Parses UTF-8 JSON text (a Kinesis record's data, an SQS body). */
    public static Envelope parse(byte[] json) {
        JsonNode tree;
        try {
            tree = Json.tree(json);
        } catch (MalformedJsonException e) {
            throw new PoisonEventException("invalid JSON: " + bounded(e.getMessage(), 512), null);
        }
        return parse(tree);
    }

    public static Envelope parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Validates an envelope already parsed to a tree (an EventBridge event's detail). */
    public static Envelope parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new PoisonEventException("the event must be a JSON object, was "
                    + (root == null || root.isMissingNode() ? "empty" : root.getNodeType().name().toLowerCase()), null);
        }
        return new Reader(root).read();
    }

    /** Extracts a contact from a JSON object if both IDs are acceptable; null otherwise (never throws). */
    public static ContactKey contactOf(JsonNode root) {
        if (root == null || !root.isObject()) {
            return null;
        }
        String instanceId = validId(root.get("InstanceId"));
        String contactId = validId(root.get("ContactId"));
        return instanceId == null || contactId == null ? null : new ContactKey(instanceId, contactId);
    }

    private static String validId(JsonNode node) {
        return node != null && node.isTextual() && ID.accepts(node.textValue()) ? node.textValue() : null;
    }

    /** One parse: keeps the contact (when readable) so every rejection can name it. */
    private static final class Reader {
        private final JsonNode root;
        private final ContactKey contact;

        Reader(JsonNode root) {
            this.root = root;
            this.contact = contactOf(root);
        }

        Envelope read() {
            String version = requiredString("Version");
            boolean chat;
            if (VOICE_VERSION.equals(version)) {
                chat = false;
            } else if (CHAT_VERSION.equals(version)) {
                chat = true;
            } else {
                throw poison("Version", "is not supported; expected " + VOICE_VERSION
                        + " (voice, EventType) or " + CHAT_VERSION + " (chat, StreamingEventType)");
            }
            Channel channel = channel(chat);
            id("InstanceId");
            id("ContactId");
            String eventId = optionalId("EventId");

            String typeMember = chat ? "StreamingEventType" : "EventType";
            JsonNode typeNode = root.get(typeMember);
            if (typeNode == null || typeNode.isNull()) {
                String other = chat ? "EventType" : "StreamingEventType";
                throw poison(typeMember, "is required in a Version " + version + " envelope"
                        + (root.hasNonNull(other) ? " (" + other + " belongs to the other schema version)" : ""));
            }
            if (!typeNode.isTextual()) {
                throw poison(typeMember, "must be a string");
            }
            EventType type = EventType.parse(typeNode.textValue()).orElseThrow(() -> poison(typeMember,
                    "must be one of [STARTED, SEGMENTS, COMPLETED, FAILED]"));

            JsonNode settings = settings();
            Optional<Set<OutputType>> declared = declaredOutputs(settings);
            Optional<OutputType> named = outputType();

            return switch (type) {
                case STARTED -> new Envelope(version, type, channel, contact, eventId,
                        declared.orElseGet(() -> named.map(t -> (Set<OutputType>) EnumSet.of(t)).orElse(EnumSet.of(OutputType.Raw))),
                        null, List.of(), List.of());
                case SEGMENTS -> {
                    OutputType stream = named.orElseGet(() -> declared.filter(d -> d.equals(EnumSet.of(OutputType.Redacted)))
                            .map(d -> OutputType.Redacted).orElse(OutputType.Raw));
                    List<Segment> segments = new ArrayList<>();
                    List<Fragment> utterances = new ArrayList<>();
                    segments(chat ? SegmentModel.V2 : SegmentModel.V1, segments, utterances);
                    yield new Envelope(version, type, channel, contact, eventId, Set.of(), stream, segments, utterances);
                }
                case COMPLETED, FAILED -> new Envelope(version, type, channel, contact, eventId, Set.of(), null, List.of(), List.of());
            };
        }

        private Channel channel(boolean chat) {
            String value = requiredString("Channel");
            Channel channel;
            try {
                channel = Channel.valueOf(value);
            } catch (IllegalArgumentException e) {
                throw poison("Channel", "is not supported; real-time contact analysis segments exist for VOICE and CHAT"
                        + " contacts only");
            }
            Channel expected = chat ? Channel.CHAT : Channel.VOICE;
            if (channel != expected) {
                throw poison("Channel", channel + " does not match Version " + (chat ? CHAT_VERSION : VOICE_VERSION)
                        + ", the " + expected.name().toLowerCase() + " envelope schema");
            }
            return channel;
        }

        private void id(String member) {
            JsonNode node = root.get(member);
            if (node == null || node.isNull()) {
                throw poison(member, "is required");
            }
            checkId(member, node);
        }

        private String optionalId(String member) {
            JsonNode node = root.get(member);
            if (node == null || node.isNull()) {
                return null;
            }
            return checkId(member, node);
        }

        private String checkId(String member, JsonNode node) {
            if (!node.isTextual()) {
                throw poison(member, "must be a string");
            }
            // The read API's rule: an ID it could never be asked for is not stored.
            String problem = ID.violation(node.textValue());
            if (problem != null) {
                throw poison(member, problem);
            }
            return node.textValue();
        }

        private String requiredString(String member) {
            JsonNode node = root.get(member);
            if (node == null || node.isNull()) {
                throw poison(member, "is required");
            }
            if (!node.isTextual()) {
                throw poison(member, "must be a string");
            }
            return node.textValue();
        }

        /** StreamingSettings (data model) or StreamingEventSettings (documentation samples); the former wins. */
        private JsonNode settings() {
            for (String member : new String[] {"StreamingSettings", "StreamingEventSettings"}) {
                JsonNode node = root.get(member);
                if (node == null || node.isNull()) {
                    continue;
                }
                if (!node.isObject()) {
                    throw poison(member, "must be an object");
                }
                return node;
            }
            return null;
        }

        private Optional<Set<OutputType>> declaredOutputs(JsonNode settings) {
            if (settings == null || !settings.hasNonNull("Output")) {
                return Optional.empty();
            }
            JsonNode output = settings.get("Output");
            String value = output.isTextual() ? output.textValue() : null;
            if ("Raw".equals(value)) {
                return Optional.of(EnumSet.of(OutputType.Raw));
            }
            if ("Redacted".equals(value)) {
                return Optional.of(EnumSet.of(OutputType.Redacted));
            }
            if ("RedactedAndRaw".equals(value)) {
                return Optional.of(EnumSet.of(OutputType.Raw, OutputType.Redacted));
            }
            throw poison("StreamingSettings.Output", "must be one of [Raw, Redacted, RedactedAndRaw]");
        }

        private Optional<OutputType> outputType() {
            JsonNode node = root.get("OutputType");
            if (node == null || node.isNull()) {
                return Optional.empty();
            }
            return Optional.of(OutputType.parse(node.isTextual() ? node.textValue() : null).orElseThrow(() ->
                    poison("OutputType", "must be one of [Raw, Redacted]")));
        }

        /** Validates every element before anything is stored: one violation rejects the whole event. */
        private void segments(SegmentModel model, List<Segment> out, List<Fragment> utterances) {
            JsonNode list = root.get("Segments");
            if (list == null || list.isNull()) {
                throw poison("Segments", "is required in a SEGMENTS event");
            }
            if (!list.isArray()) {
                throw poison("Segments", "must be a list");
            }
            for (int i = 0; i < list.size(); i++) {
                SegmentModel.Element element;
                try {
                    element = model.element(list.get(i), "Segments[" + i + "]");
                } catch (ModelViolation e) {
                    throw new PoisonEventException(bounded(e.getMessage(), 512), bounded(e.path(), 256), contact);
                }
                switch (element) {
                    case SegmentModel.Element.Stored stored -> out.add(stored.segment());
                    case SegmentModel.Element.Partial partial when partial.utterance() != null ->
                            utterances.add(new Fragment(partial.utterance(), out.size()));
                    case SegmentModel.Element.Partial unattached -> { } // no TranscriptId: no transcript to assemble it in
                }
            }
        }

        /** A rejection that names the member and the rule it breaks, never the member's value. */
        private PoisonEventException poison(String member, String rule) {
            return new PoisonEventException(member + " " + rule, member, contact);
        }
    }

    static String bounded(String value, int max) {
        if (value == null) {
            return "null";
        }
        return value.length() <= max ? value : value.substring(0, max) + "...";
    }
}
