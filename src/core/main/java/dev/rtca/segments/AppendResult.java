package dev.rtca.segments;

/**
 * What an append did.
 *
 * @param appended      segments written by this call
 * @param duplicates    segments not written because they were stored already: the event (or that chunk of it) was
 *                      applied before, or the stream holds their {@code Id}
 * @param afterTerminal segments written to a contact that was already COMPLETED or FAILED
 * @param sameId        of the duplicates, those known by their {@code Id}: a producer's retry under a new event key, or
 *                      one Id twice in a run
 */
public record AppendResult(int appended, int duplicates, int afterTerminal, int sameId) {
    /** A result with no duplicates known by Id. */
    public AppendResult(int appended, int duplicates, int afterTerminal) {
        this(appended, duplicates, afterTerminal, 0);
    }
}
