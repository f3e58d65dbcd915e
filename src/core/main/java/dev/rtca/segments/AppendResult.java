package dev.rtca.segments;

/**
 * What an append did.
 *
 * @param appended      segments written by this call
 * @param duplicates    segments skipped because this event (or that chunk of it) was applied before
 * @param afterTerminal segments written to a contact that was already COMPLETED or FAILED
 */
public record AppendResult(int appended, int duplicates, int afterTerminal) {
}
