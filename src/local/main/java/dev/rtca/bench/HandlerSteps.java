package dev.rtca.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rtca.access.Caller;
import dev.rtca.access.ListAuthorizer;
import dev.rtca.api.ListSegmentsV2Handler;
import dev.rtca.model.Json;
import dev.rtca.model.ListRequests;
import dev.rtca.runtime.Wiring;
import dev.rtca.segments.AppendResult;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.ContactStatus;
import dev.rtca.segments.ContactStore;
import dev.rtca.segments.Operation;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.Permission;
import dev.rtca.segments.SegmentLister;
import dev.rtca.segments.SegmentType;
import dev.rtca.segments.Slice;
import dev.rtca.segments.StoredSegment;
import dev.rtca.segments.StreamRead;
import dev.rtca.segments.TokenCodec;
import dev.rtca.store.DynamoContactStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the warm handler's time over the floor goes: each step the handler takes that the floor does not, timed alone
 * in the JVM that ran the pages (so as warm), on the page the pages read. The whole handler over reads answered from
 * memory shows what all its own work costs together, I/O apart.
 */
final class HandlerSteps {
    private static final int WARM_UP = 2_000;
    private static final int ROUNDS = 5_000;

    private HandlerSteps() {
    }

    static void print(BenchStack stack, ContactKey contact, byte[] event, TokenCodec tokens) {
        DynamoContactStore store = new DynamoContactStore(stack.client, stack.table, Duration.ofDays(1), Clock.systemUTC());
        StreamRead read = store.read(contact, OutputType.Raw, 0, 100);
        ContactStore answered = new Answered(read);
        ListAuthorizer authorizer = Wiring.reader(stack.config()).authorizer();
        ListSegmentsV2Handler inMemory = new ListSegmentsV2Handler(new Wiring.Reader(new SegmentLister(answered, tokens), authorizer));
        SegmentLister lister = new SegmentLister(answered, tokens);
        String body = "{\"OutputType\":\"Raw\",\"SegmentTypes\":[\"Transcript\"],\"MaxResults\":100}";
        Caller caller = Caller.of(BenchStack.PRINCIPAL);
        Set<SegmentType> types = EnumSet.of(SegmentType.Transcript);
        SegmentLister.Query query = ListRequests.v2(contact.instanceId(), contact.contactId(), body);

        Map<String, Runnable> steps = new LinkedHashMap<>();
        steps.put("the whole handler, reads answered from memory", () -> run(inMemory, event));
        steps.put("request: MaxResults, OutputType, types validated", () -> ListRequests.v2(contact.instanceId(),
                contact.contactId(), body));
        steps.put("authorization (policy cache warm)", () -> authorizer.permission(caller, Operation.V2, contact, types)
                .allows(OutputType.Raw));
        steps.put("NextToken sealed", () -> tokens.seal(contact, Operation.V2, OutputType.Raw, types, 100));
        steps.put("page listed from the reads (holes checked, sealed)", () -> lister.list(query, Permission.EVERY_STREAM));
        steps.put("page rendered (100 segments)", () -> render(read.slice().items()));
        System.out.printf("where the handler's time goes, each step alone, %,d rounds after %,d of warm-up (median)%n",
                ROUNDS, WARM_UP);
        for (Map.Entry<String, Runnable> step : steps.entrySet()) {
            long[] nanos = new long[ROUNDS];
            for (int i = 0; i < WARM_UP; i++) {
                step.getValue().run();
            }
            for (int i = 0; i < ROUNDS; i++) {
                long start = System.nanoTime();
                step.getValue().run();
                nanos[i] = System.nanoTime() - start;
            }
            System.out.printf("  %-52s %8.3f ms%n", step.getKey(), BenchStack.median(nanos) / 1e6);
        }
    }

    private static void run(RequestStreamHandler handler, byte[] event) {
        try {
            handler.handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(64 * 1024), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String render(List<StoredSegment> segments) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("Segments");
            for (StoredSegment segment : segments) {
                json.writeRawValue(segment.segment().json());
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A store that answers every read with the one it was given (a page's reads, without their I/O). */
    private record Answered(StreamRead read) implements ContactStore {
        @Override
        public Optional<dev.rtca.segments.Contact> find(ContactKey key) {
            return read.contact();
        }

        @Override
        public StreamRead read(ContactKey key, OutputType stream, long from, int limit) {
            return read;
        }

        @Override
        public Slice more(ContactKey key, OutputType stream, long from, int limit) {
            return new Slice(List.of(), false);
        }

        @Override
        public void open(ContactKey key, Channel channel, Set<OutputType> outputTypes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close(ContactKey key, Channel channel, ContactStatus terminal) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<AppendResult> append(ContactKey key, Channel channel, List<Append> appends) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int keep(ContactKey key, dev.rtca.segments.Channel channel, OutputType stream,
                        List<dev.rtca.segments.Utterance> utterances) {
            throw new UnsupportedOperationException("a page's reads keep nothing");
        }

        @Override
        public List<dev.rtca.segments.Utterance> utterances(ContactKey key, dev.rtca.segments.OpenTranscript transcript) {
            throw new UnsupportedOperationException("a page's reads read no Utterances");
        }
    }
}
