package dev.rtca.push;

/**
 * Where the fan-out of one contact's stream stands: every subscription live on the stream holds every segment below
 * {@code max(position, its from)}. {@code version} changes whenever a subscription goes live, so a fan-out that read
 * the subscriptions before knows its list is stale.
 */
public record Cursor(long position, long version) {
    public static final Cursor START = new Cursor(0, 0);
}
