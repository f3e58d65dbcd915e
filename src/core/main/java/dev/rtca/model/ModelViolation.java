package dev.rtca.model;

/** Input that breaks the service model; the message names the member (a JSON path) and the rule. */
public class ModelViolation extends RuntimeException {
    public ModelViolation(String message) {
        super(message);
    }
}
