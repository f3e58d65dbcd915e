package dev.rtca.segments;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * An open transcript's words so far, assembled from its Utterances: each Utterance once (by Id), in
 * {@code BeginOffsetMillis} order (then {@code EndOffsetMillis}, then Id, so any arrival order gives the same text),
 * their {@code PartialContent} joined with single spaces.
 *
 * @param revision how many distinct Utterances the text holds: a later state of the same transcript has a higher one
 */
public record PartialTranscript(String transcriptId, String participantId, String participantRole, String text,
                                long beginOffsetMillis, long endOffsetMillis, int revision) {

    /** The order the fragments' words are spoken in. */
    static final Comparator<Utterance> SPOKEN = Comparator.comparingLong(Utterance::beginOffsetMillis)
            .thenComparingLong(Utterance::endOffsetMillis)
            .thenComparing(Utterance::id);

    /**
     * The transcript the fragments hold so far.
     *
     * @param fragments Utterances of one transcript, in any order, repeats allowed; at least one
     * @throws IllegalArgumentException when there are none, or one belongs to another transcript
     */
    public static PartialTranscript assemble(Collection<Utterance> fragments) {
        if (fragments.isEmpty()) {
            throw new IllegalArgumentException("a partial transcript needs at least one Utterance");
        }
        String transcriptId = fragments.iterator().next().transcriptId();
        Map<String, Utterance> byId = new TreeMap<>();
        for (Utterance fragment : fragments) {
            if (!fragment.transcriptId().equals(transcriptId)) {
                throw new IllegalArgumentException("Utterances of two transcripts cannot be assembled into one");
            }
            byId.merge(fragment.id(), fragment, (a, b) -> SPOKEN.compare(a, b) <= 0 ? a : b);
        }
        List<Utterance> spoken = byId.values().stream().sorted(SPOKEN).toList();
        Utterance first = spoken.getFirst();
        return new PartialTranscript(transcriptId, first.participantId(), first.participantRole(),
                spoken.stream().map(Utterance::partialContent).filter(s -> !s.isBlank()).collect(Collectors.joining(" ")),
                first.beginOffsetMillis(), spoken.stream().mapToLong(Utterance::endOffsetMillis).max().orElseThrow(),
                spoken.size());
    }
}
