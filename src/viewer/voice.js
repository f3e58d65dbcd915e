// A live call's turns: the client rules for the partial transcripts a voice subscription sends (README, "Partial
// frames"), and where a turn goes in the conversation. No network and no page state: the browser test drives these
// directly with frames in any order.

/**
 * The partial transcripts shown so far. A Partial frame is shown only when it is newer than what is shown for its
 * TranscriptId (a higher Revision: partials are at-least-once and may come again or out of order), and never once
 * the final Transcript with that Id has come (it replaced the partial; anything later for it is stale).
 */
export class OpenTurns {
  #revisions = new Map(); // TranscriptId -> the highest Revision shown
  #final = new Set(); // TranscriptIds whose final Transcript has come

  /** Whether this Partial frame is to be shown; if it is, it is now the one shown for its TranscriptId. */
  accept(frame) {
    const id = frame.TranscriptId;
    if (this.#final.has(id) || !(frame.Revision > (this.#revisions.get(id) ?? 0))) return false;
    this.#revisions.set(id, frame.Revision);
    return true;
  }

  /** The final Transcript with this Id has come: partials for it are stale from now on. */
  close(id) {
    this.#final.add(id);
    this.#revisions.delete(id);
  }
}

/**
 * Puts a turn of a call (an element with `data-begin`, its BeginOffsetMillis) into the conversation in spoken order:
 * after the last turn that began no later than it. Turns arrive mostly in order, so the walk back is short.
 */
export function place(list, turn) {
  const begin = Number(turn.dataset.begin);
  let before = list.lastElementChild;
  while (before && before.dataset.begin !== undefined && Number(before.dataset.begin) > begin) {
    before = before.previousElementSibling;
  }
  if (before) before.after(turn);
  else list.prepend(turn);
}
