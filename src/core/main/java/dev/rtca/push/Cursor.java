package dev.rtca.push;

/**
 * Where the fan-out of one contact's stream stands: every segment below {@code position} was pushed to the
 * subscriptions that were live then. {@code version} changes whenever a subscription goes live, so a fan-out that read
 * the subscriptions before knows its list is stale.
 */
public record Cursor(long position, long version) {
    public static final Cursor START = new Cursor(0, 0);
}
