package dev.rtca.model;

/**
 * Input that breaks the service model; the message names the member (a JSON path) and the rule, never the member's
 * value (what a producer wrote can be a customer's words: it must not reach a log through a rejection).
 */
public class ModelViolation extends RuntimeException {
    private final String path;

    public ModelViolation(String path, String rule) {
        super(path + " " + rule);
        this.path = path;
    }

    /** The member at fault, as a JSON path ({@code Segments[0].Transcript.Content}). */
    public String path() {
        return path;
    }
}
