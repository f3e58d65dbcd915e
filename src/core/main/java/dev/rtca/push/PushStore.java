package dev.rtca.push;

import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import java.util.List;
import java.util.Optional;

/** The persistence port of push delivery: connections, subscriptions and each stream's fan-out cursor. */
public interface PushStore {

    /** Records an open connection and who opened it. */
    void connect(String connectionId, String principal);

    /** Who opened the connection; empty when it is not (or no longer) open. */
    Optional<String> principal(String connectionId);

    /** Forgets the connection and every subscription it holds. */
    void disconnect(String connectionId);

    /** The stream's cursor (strongly consistent); {@link Cursor#START} before any fan-out. */
    Cursor cursor(ContactKey contact, OutputType stream);

    /**
     * Makes the subscription live and sets the cursor to {@code position} with a new version, in one step with a check
     * that the cursor is still at {@code at}'s position (and, when {@code position} moves it, that no one else went
     * live since: the same version). From then on the fan-out pushes to it everything from {@code position} on. False
     * when the check failed (the subscriber looks again). The new version makes a fan-out under way look again too.
     */
    boolean goLive(Subscription subscription, Cursor at, long position);

    /** The subscriptions that are live on the stream. */
    List<Subscription> live(ContactKey contact, OutputType stream);

    /** Whether any subscription is live on the stream (one item read, however many there are). */
    boolean anyLive(ContactKey contact, OutputType stream);

    /**
     * Moves the cursor from {@code from} to {@code position}, unless it moved or a subscription went live since
     * {@code from} was read (its version changed): then false, and the caller reads both again.
     */
    boolean advance(ContactKey contact, OutputType stream, Cursor from, long position);

    /** Ends one subscription (completed contact, revoked permission, gone connection). */
    void remove(Subscription subscription);
}
