package dev.rtca.runtime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.rtca.model.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Date;
import java.util.stream.Collectors;

/**
 * Binds the Lambda events the functions receive to the {@code aws-lambda-java-events} types and writes their responses
 * back, with one mapper configured once. The handlers stay stream handlers (Lambda hands them the event's bytes) so that
 * this binding, not the Lambda runtime's own serializers, decides what is accepted.
 *
 * <p>The event is read on {@link Json}'s parser settings but for one limit: duplicate member names anywhere in it (the
 * envelope AWS wrote and what a producer or client wrote inside it) are rejected, as are the depth, number and name
 * limits and anything after the one JSON value; a string may be as long as the payload Lambda hands a function
 * ({@link #MAX_STRING_LENGTH}), since the transport's own strings are longer than what they carry (a Kinesis record's
 * {@code data} is the producer's up to 1 MiB in base64, about 1.4 MB). Beyond that the envelope is bound leniently:
 * member names match whatever their case ({@code eventSourceARN} is the library's {@code eventSourceArn}, {@code S} is
 * {@code s}), members the types do not have are ignored. What a producer or client wrote (a request body, a record's
 * data, a message body, a WebSocket message, an EventBridge detail) reaches the handler as text, bytes or a tree and is
 * read under the full policy ({@link Json}, its string limit included) by the core.
 *
 * <p>The library's types need a few corrections, given here as mix-ins:
 * <ul>
 *   <li>a Kinesis record's {@code data} is decoded from base64 by this class, not by Jackson: data that is not base64
 *       becomes {@link #NOT_BASE64}, so that record alone fails (as poison), not the whole batch;</li>
 *   <li>an SQS message's {@code body} that is not a string is no body (that message alone fails), and so is a proxy
 *       event's (the request is then invalid, as any request without a body);</li>
 *   <li>the identifiers a batch response echoes (a Kinesis record's {@code sequenceNumber} and {@code eventID}, an
 *       SQS message's {@code messageId}) are JSON strings, not whatever Jackson would coerce to one: a number there makes
 *       the event unreadable, as no event source writes one;</li>
 *   <li>{@code approximateArrivalTimestamp} (Kinesis) and {@code approximateCreationDateTime} (DynamoDB Streams) are
 *       epoch seconds, possibly fractional, where Jackson would read epoch milliseconds;</li>
 *   <li>responses: the proxy response omits its unset members (no {@code multiValueHeaders}), the WebSocket response
 *       omits its defaults (it is {@code {"statusCode":200}}), and a batch item failure keeps a null
 *       {@code itemIdentifier} (Lambda then retries the whole batch).</li>
 * </ul>
 */
public final class Events {
    /** A Kinesis record's data when it was not base64: the handler reports that record as poison. */
    public static final ByteBuffer NOT_BASE64 = ByteBuffer.allocate(0).asReadOnlyBuffer();

    /**
     * The longest string an event may hold: Lambda's limit on a synchronous invocation's payload (6 MB, 6,291,456
     * bytes), which bounds every event a function receives, the batches of event source mappings included.
     */
    public static final int MAX_STRING_LENGTH = 6 * 1024 * 1024;

    private static final JsonMapper MAPPER = JsonMapper.builder(Json.FACTORY.rebuild()
                    .streamReadConstraints(Json.FACTORY.streamReadConstraints().rebuild()
                            .maxStringLength(MAX_STRING_LENGTH).build())
                    .build())
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .addMixIn(com.amazonaws.services.lambda.runtime.events.models.kinesis.Record.class, KinesisRecordMixin.class)
            .addMixIn(KinesisEvent.KinesisEventRecord.class, KinesisEventRecordMixin.class)
            .addMixIn(StreamRecord.class, StreamRecordMixin.class)
            .addMixIn(SQSEvent.SQSMessage.class, SqsMessageMixin.class)
            .addMixIn(APIGatewayProxyRequestEvent.class, TextBodyMixin.class)
            .addMixIn(APIGatewayProxyResponseEvent.class, NonNullMixin.class)
            .addMixIn(APIGatewayV2WebSocketResponse.class, NonDefaultMixin.class)
            .build();

    private Events() {
    }

    /** An event that cannot be bound to its type; the message names what and where, never a Java class. */
    public static final class UnreadableEventException extends IllegalArgumentException {
        UnreadableEventException(String message) {
            super(message);
        }
    }

    /**
     * An event bound to its type but missing a member every event of that type has (a batch's records, a record's
     * identifier): it is not an event of that type.
     *
     * @param member the member's path, e.g. {@code Records[2].kinesis.sequenceNumber}
     * @param why    what the member is needed for
     */
    public static UnreadableEventException missing(String member, String why) {
        return new UnreadableEventException(member + " is required: " + why);
    }

    /** Reads one event of the given type. */
    public static <T> T read(InputStream event, Class<T> type) {
        return read(MAPPER.readerFor(type), event);
    }

    /** Reads one event given as bytes. */
    public static <T> T read(byte[] event, Class<T> type) {
        return read(new ByteArrayInputStream(event), type);
    }

    private static <T> T read(ObjectReader reader, InputStream event) {
        try {
            T value = reader.readValue(event);
            if (value == null) {
                throw new UnreadableEventException("the event is null");
            }
            return value;
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /** Writes a response as the Lambda service reads it (nothing for a null response). */
    public static void write(OutputStream out, Object response) {
        if (response == null) {
            return;
        }
        try {
            MAPPER.writeValue(out, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A response as JSON text (tests, logs). */
    public static String json(Object response) {
        try {
            return MAPPER.writeValueAsString(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What is wrong with the event, in words of JSON and the event's member names. */
    private static UnreadableEventException unreadable(IOException e) {
        if (!(e instanceof JsonMappingException mapping)) {
            return new UnreadableEventException(Json.malformed(e).getMessage()); // not JSON, a duplicate, a limit
        }
        if (mapping.getCause() instanceof IOException parsing && !(parsing instanceof JsonMappingException)) {
            return new UnreadableEventException(Json.malformed(parsing).getMessage()); // the same, met while binding
        }
        if (String.valueOf(mapping.getOriginalMessage()).startsWith("Trailing token")) {
            return new UnreadableEventException("content after the end of the JSON value");
        }
        String where = mapping.getPath().stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining());
        return new UnreadableEventException(where.isEmpty() ? "the event is not a JSON object of the expected shape"
                : "member " + where.substring(where.startsWith(".") ? 1 : 0) + " has a value of the wrong type");
    }

    /** A Kinesis record's data: base64 text, decoded as Java's basic decoder does; anything else is no data. */
    static final class Base64Data extends StdDeserializer<ByteBuffer> {
        Base64Data() {
            super(ByteBuffer.class);
        }

        @Override
        public ByteBuffer deserialize(JsonParser json, DeserializationContext context) throws IOException {
            if (json.currentToken() != JsonToken.VALUE_STRING) {
                json.skipChildren();
                return null;
            }
            try {
                return ByteBuffer.wrap(Base64.getDecoder().decode(json.getText()));
            } catch (IllegalArgumentException e) {
                return NOT_BASE64;
            }
        }
    }

    /** A string member a producer or client wrote; any other value is taken as absent. */
    static final class TextOrNothing extends StdDeserializer<String> {
        TextOrNothing() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser json, DeserializationContext context) throws IOException {
            if (json.currentToken() == JsonToken.VALUE_STRING) {
                return json.getText();
            }
            json.skipChildren();
            return null;
        }
    }

    /** An identifier a batch response echoes: a JSON string; any other value makes the event unreadable. */
    static final class Identifier extends StdDeserializer<String> {
        Identifier() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser json, DeserializationContext context) throws IOException {
            if (json.currentToken() == JsonToken.VALUE_STRING) {
                return json.getText();
            }
            return (String) context.handleUnexpectedToken(String.class, json);
        }
    }

    /** Epoch seconds, possibly fractional (how Kinesis and DynamoDB Streams events give their times). */
    static final class EpochSeconds extends StdDeserializer<Date> {
        EpochSeconds() {
            super(Date.class);
        }

        @Override
        public Date deserialize(JsonParser json, DeserializationContext context) throws IOException {
            if (!json.currentToken().isNumeric()) {
                json.skipChildren();
                return null;
            }
            BigDecimal seconds = json.getDecimalValue();
            try {
                return new Date(seconds.movePointRight(3).longValue());
            } catch (ArithmeticException e) {
                return null;
            }
        }
    }

    abstract static class KinesisRecordMixin {
        @JsonDeserialize(using = Base64Data.class)
        abstract void setData(ByteBuffer data);

        @JsonDeserialize(using = EpochSeconds.class)
        abstract void setApproximateArrivalTimestamp(Date time);

        @JsonDeserialize(using = Identifier.class)
        abstract void setSequenceNumber(String sequenceNumber);
    }

    abstract static class KinesisEventRecordMixin {
        @JsonDeserialize(using = Identifier.class)
        abstract void setEventID(String eventId);
    }

    abstract static class StreamRecordMixin {
        @JsonDeserialize(using = EpochSeconds.class)
        abstract void setApproximateCreationDateTime(Date time);
    }

    /** An SQS message's or a proxy request's body: text, or absent. */
    abstract static class TextBodyMixin {
        @JsonDeserialize(using = TextOrNothing.class)
        abstract void setBody(String body);
    }

    /** An SQS message: its body as the proxy request's, its ID an identifier. */
    abstract static class SqsMessageMixin extends TextBodyMixin {
        @JsonDeserialize(using = Identifier.class)
        abstract void setMessageId(String messageId);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    abstract static class NonNullMixin {
    }

    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    abstract static class NonDefaultMixin {
    }
}
