package dev.rtca.writers;

import java.nio.charset.StandardCharsets;

/** A bounded, printable excerpt of an event for failure logs (enough to recognise it, not the whole payload). */
final class Excerpt {
    static final int MAX_CHARS = 200;

    private Excerpt() {
    }

    static String of(byte[] body) {
        if (body == null) {
            return "null";
        }
        int take = Math.min(body.length, MAX_CHARS * 4);
        String text = new String(body, 0, take, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (int count = 0; i < text.length() && count < MAX_CHARS; count++) {
            int cp = text.codePointAt(i);
            // Keep the log line one line and readable: control characters become spaces.
            out.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp);
            i += Character.charCount(cp);
        }
        if (i < text.length() || take < body.length) {
            out.append("... (").append(body.length).append(" bytes)");
        }
        return out.toString();
    }
}
