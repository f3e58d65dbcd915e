package dev.rtca.access;

/** A policy document outside the grammar {@link Policy} reads; the message names the fault. */
public final class InvalidPolicyException extends RuntimeException {
    public InvalidPolicyException(String message) {
        super(message);
    }
}
