package dev.rtca.segments;

import java.util.List;
import java.util.Set;

/**
 * The paging rules both list operations share: resolve the contact and its stream, resume
 * from the NextToken, read one bounded page, and decide whether the client must call again.
 */
public final class SegmentLister {

    /**
     * A validated list request.
     *
     * @param requested the V2 OutputType; null for V1, which reads Redacted when the contact has it, else Raw
     * @param nextToken null on the first call
     */
    public record Query(Operation operation, ContactKey contact, OutputType requested, Set<SegmentType> types,
                        int maxResults, String nextToken) {
        public Query {
            types = Set.copyOf(types);
        }
    }

    /** One page: nextToken is null once the contact is COMPLETED or FAILED and its stream is drained. */
    public record Page(Channel channel, ContactStatus status, List<StoredSegment> segments, String nextToken) {
    }

    private final ContactStore store;
    private final TokenCodec tokens;

    public SegmentLister(ContactStore store, TokenCodec tokens) {
        this.store = store;
        this.tokens = tokens;
    }

    public Page list(Query query) {
        ContactKey key = query.contact();
        // Read the status before the segments: a terminal status seen here guarantees the query below sees
        // every segment appended before it (both reads are strongly consistent).
        Contact contact = store.find(key).orElseThrow(() -> new RequestRejected(RequestRejected.Reason.CONTACT_NOT_FOUND,
                "Contact " + key.contactId() + " was not found in instance " + key.instanceId() + "."));
        Channel expected = query.operation() == Operation.V1 ? Channel.VOICE : Channel.CHAT;
        if (contact.channel() != expected) {
            throw RequestRejected.invalid(operationName(query.operation()) + " supports " + expected
                    + " contacts; contact " + key.contactId() + " is a " + contact.channel() + " contact.");
        }
        PageToken token = query.nextToken() == null ? null : tokens.open(key, query.nextToken());
        OutputType stream = stream(query, contact, token);
        if (token != null && (token.operation() != query.operation() || token.stream() != stream
                || !token.types().equals(query.types()))) {
            throw RequestRejected.invalid("The NextToken was issued for a different request; "
                    + "send the same OutputType and SegmentTypes as the call that returned it.");
        }
        long from = token == null ? 0 : token.next();
        SegmentRange range = store.read(key, stream, from, query.maxResults(), query.types());
        boolean callAgain = !range.exhausted() || !contact.status().isTerminal();
        String next = callAgain ? tokens.seal(key, query.operation(), stream, query.types(), range.next()) : null;
        return new Page(contact.channel(), contact.status(), range.segments(), next);
    }

    private static OutputType stream(Query query, Contact contact, PageToken token) {
        if (query.operation() == Operation.V2) {
            if (!contact.has(query.requested())) {
                throw new RequestRejected(RequestRejected.Reason.OUTPUT_TYPE_NOT_FOUND, "Requested OutputType "
                        + query.requested() + " is not available for contact " + contact.key().contactId() + ".");
            }
            return query.requested();
        }
        if (token != null) {
            return token.stream();
        }
        return contact.has(OutputType.Redacted) ? OutputType.Redacted : OutputType.Raw;
    }

    private static String operationName(Operation operation) {
        return operation == Operation.V1 ? "ListRealtimeContactAnalysisSegments" : "ListRealtimeContactAnalysisSegmentsV2";
    }
}
