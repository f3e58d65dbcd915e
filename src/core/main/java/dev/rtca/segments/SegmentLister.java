package dev.rtca.segments;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The paging rules both list operations share: resolve the contact and its stream, resume from the NextToken,
 * read one bounded page, and decide whether the client must call again.
 *
 * <p>A page only advances over dense sequences. Reads are read-committed against appends, so a read can see
 * sequence n+1 of an append without n. At such a hole the lister reads again from the hole: the later item it saw
 * proves the earlier ones were committed, so a read that starts now sees them; if that read still misses them, they
 * no longer exist (TTL deleted them) and the page steps over them. A terminal contact is drained only when the
 * position reaches the stream's counter read with the contact, so a COMPLETED status never hides a segment written
 * before it. When the page's read budget runs out, the page stops at the position reached and hands out a NextToken
 * there: never past a segment that was not returned.
 *
 * <p>Authorization comes first: a caller who may read no stream of the contact is refused before anything is read, so
 * the refusal is the same whether the contact exists or not. V1 reads the stream the contact has, so it asks again once
 * that is known; a V1 caller learns that a contact does not exist only if it may read both of its possible streams.
 */
public final class SegmentLister {
    /** Reads one page may spend (continuations and re-reads included); then it returns what it has, with a NextToken. */
    public static final int READS_PER_PAGE = 4;
    /** Items examined per read when a SegmentTypes filter applies (the store returns every type). */
    public static final int FILTERED_READ_LIMIT = 500;
    /**
     * The most bytes a page's segments may take as they travel: inside the page's JSON, itself escaped into the string
     * body of a Lambda proxy response, which Lambda refuses above 6 MB (6,291,556 bytes). The rest is headroom for the
     * envelope (status, headers, the other members, the NextToken). A page that reaches it ends early, with a NextToken.
     */
    public static final long MAX_PAGE_BYTES = 5L * 1024 * 1024;
    private static final Set<SegmentType> ALL_TYPES = EnumSet.allOf(SegmentType.class);

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

    /**
     * One page: nextToken is null once the contact is COMPLETED or FAILED and its stream is drained.
     *
     * @param position the stream position the page ends at (the sequence its NextToken resumes from)
     * @param end      the stream's counter, read with the contact: a page that reaches it holds everything committed
     *                 before the read began
     * @param stream   the stream read: the one V2 names, or the one V1 chose (Redacted when the contact has it, else Raw)
     */
    public record Page(Channel channel, ContactStatus status, List<StoredSegment> segments, String nextToken, long position,
                       long end, OutputType stream) {
    }

    private final ContactStore store;
    private final TokenCodec tokens;
    private final long maxPageBytes;

    public SegmentLister(ContactStore store, TokenCodec tokens) {
        this(store, tokens, MAX_PAGE_BYTES);
    }

    /** @param maxPageBytes the byte budget of a page's segments, as {@link #bytesInPage} counts them */
    public SegmentLister(ContactStore store, TokenCodec tokens, long maxPageBytes) {
        this.store = store;
        this.tokens = tokens;
        this.maxPageBytes = maxPageBytes;
    }

    /**
     * What a segment adds to a page as it travels: its UTF-8 bytes, one more for every character that must be escaped
     * again when the page is a JSON string ({@code "} and {@code \}; the canonical JSON has no raw control characters),
     * and its separator.
     */
    public static long bytesInPage(Segment segment) {
        String json = segment.json();
        long bytes = 1;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c < 0x80) {
                bytes += c == '"' || c == '\\' ? 2 : 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++; // the low surrogate: one 4-byte character
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    public Page list(Query query, Permission permission) {
        ContactKey key = query.contact();
        PageToken token = null;
        RequestRejected badToken = null;
        if (query.nextToken() != null) {
            try {
                token = tokens.open(key, query.nextToken());
            } catch (RequestRejected e) {
                badToken = e; // told after the contact's own errors, which take precedence
            }
        }
        boolean v1FirstPage = query.operation() == Operation.V1 && token == null;
        if (v1FirstPage ? !permission.allows(OutputType.Raw) && !permission.allows(OutputType.Redacted)
                : !permission.allows(query.operation() == Operation.V2 ? query.requested() : token.stream())) {
            throw permission.refusal();
        }
        // The stream to read with the contact: V2 names it, a token carries it; V1's first page guesses Raw (voice
        // streams are Raw unless a job sends Redacted) and reads again when the contact says otherwise.
        OutputType guess = query.operation() == Operation.V2 ? query.requested()
                : token != null ? token.stream() : OutputType.Raw;
        long from = token == null ? 0 : token.next();
        int limit = query.types().containsAll(ALL_TYPES) ? query.maxResults() : FILTERED_READ_LIMIT;

        StreamRead read = store.read(key, guess, from, limit);
        if (read.contact().isEmpty()) {
            // A missing contact could have had either stream: only a caller who may read both learns it is missing.
            if (v1FirstPage && !(permission.allows(OutputType.Raw) && permission.allows(OutputType.Redacted))) {
                throw permission.refusal();
            }
            throw new RequestRejected(RequestRejected.Reason.CONTACT_NOT_FOUND,
                    "Contact " + key.contactId() + " was not found in instance " + key.instanceId() + ".");
        }
        Contact contact = read.contact().get();
        Channel expected = query.operation() == Operation.V1 ? Channel.VOICE : Channel.CHAT;
        if (contact.channel() != expected) {
            throw RequestRejected.invalid(operationName(query.operation()) + " supports " + expected
                    + " contacts; contact " + key.contactId() + " is a " + contact.channel() + " contact.");
        }
        if (badToken != null) {
            throw badToken;
        }
        OutputType stream = stream(query, contact, token);
        if (v1FirstPage && !permission.allows(stream)) {
            throw permission.refusal();
        }
        if (token != null && (token.operation() != query.operation() || token.stream() != stream
                || !token.types().equals(query.types()))) {
            throw RequestRejected.invalid("The NextToken was issued for a different request; "
                    + "send the same OutputType and SegmentTypes as the call that returned it.");
        }
        if (stream != guess) {
            read = store.read(key, stream, from, limit);
        }

        Cut cut = new Cut(from, read.end(), contact.status().isTerminal(), query.types(), query.maxResults(), maxPageBytes);
        Slice slice = read.slice();
        for (int reads = 1; cut.take(slice) != Cut.Next.DONE && reads < READS_PER_PAGE; reads++) {
            slice = store.more(key, stream, cut.position, limit);
        }
        boolean drained = contact.status().isTerminal() && cut.position >= read.end();
        String nextToken = drained ? null : tokens.seal(key, query.operation(), stream, query.types(), cut.position);
        return new Page(contact.channel(), contact.status(), cut.page, nextToken, cut.position, read.end(), stream);
    }

    /**
     * The page being cut from the slices read, and the position reached: it only advances over sequences that were
     * read or that are proven gone.
     */
    private static final class Cut {
        enum Next { DONE, MORE }

        final List<StoredSegment> page = new ArrayList<>();
        final long end;
        final boolean terminal;
        final Set<SegmentType> types;
        final int max;
        final long maxBytes;
        long bytes;
        /** The first sequence not yet taken or stepped over: the next page starts here. */
        long position;
        /**
         * Every sequence below this was committed before the next read starts (a later item was seen, or the
         * contact's counter was read), so what that read lacks below it no longer exists.
         */
        long proven;

        Cut(long from, long end, boolean terminal, Set<SegmentType> types, int max, long maxBytes) {
            this.position = from;
            this.proven = from;
            this.end = end;
            this.terminal = terminal;
            this.types = types;
            this.max = max;
            this.maxBytes = maxBytes;
        }

        /** Takes what one read allows; says whether the page is complete or needs another read from {@link #position}. */
        Next take(Slice slice) {
            boolean complete = !slice.more();
            for (StoredSegment item : slice.items()) {
                long sequence = item.sequence();
                if (sequence < position) {
                    continue;
                }
                if (terminal && sequence >= end) {
                    complete = true; // past the stream's end as of the contact read: nothing more belongs here
                    break;
                }
                if (sequence > position && position < proven) {
                    position = Math.min(sequence, proven); // lacking though committed before this read: gone
                }
                if (sequence > position) {
                    proven = sequence + 1; // a hole below a committed item: read again before stepping past it
                    return Next.MORE;
                }
                if (types.contains(item.segment().type())) {
                    long cost = bytesInPage(item.segment());
                    if (!page.isEmpty() && bytes + cost > maxBytes) {
                        return Next.DONE; // full by bytes: the next page starts with this segment
                    }
                    page.add(item);
                    bytes += cost;
                }
                position = sequence + 1;
                if (page.size() == max) {
                    return Next.DONE;
                }
            }
            if (complete && position < proven) {
                position = proven;
            }
            if (terminal && position >= end) {
                return Next.DONE;
            }
            if (!complete) {
                return Next.MORE;
            }
            if (terminal) {
                // The contact's counter says more was committed than this read showed: a tail the read missed, or one
                // TTL deleted. Read again: what that read lacks below the counter is gone.
                proven = Math.max(proven, end);
                return Next.MORE;
            }
            return Next.DONE; // in progress: the visible stream is taken; the client polls for more
        }
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
