package dev.rtca.access;

/** What a policy says about a request. */
public enum Decision {
    ALLOW,
    /** A Deny statement matched: it wins over any Allow. */
    EXPLICIT_DENY,
    /** No statement allowed it. */
    IMPLICIT_DENY
}
