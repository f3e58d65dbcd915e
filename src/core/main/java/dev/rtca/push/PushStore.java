package dev.rtca.push;

import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The persistence port of push delivery: connections, subscriptions and each stream's fan-out cursor and lease. */
public interface PushStore {

    /** Records an open connection and who opened it. */
    void connect(String connectionId, String principal);

    /** Who opened the connection; empty when it is not (or no longer) open. */
    Optional<String> principal(String connectionId);

    /** Forgets the connection and every subscription it holds. */
    void disconnect(String connectionId);

    /** What {@link #goLive} did. */
    enum Join {
        /** The subscription is live: the fan-out sends it everything from its {@code from} on. */
        LIVE,
        /** Nothing written: the stream grew or the contact ended since its catch-up read (read on, then try again). */
        BEHIND,
        /** Nothing written: the connection is gone. */
        GONE
    }

    /**
     * Makes the subscription live, in one step with a check that its catch-up holds the whole stream: the contact is
     * still IN_PROGRESS and the stream's counter is still {@code subscription.from()}. The step also changes the
     * stream's cursor version, so a fan-out under way reads the subscriptions again before it moves the cursor.
     */
    Join goLive(Subscription subscription);

    /** The stream's cursor (strongly consistent); {@link Cursor#START} before any. */
    Cursor cursor(ContactKey contact, OutputType stream);

    /**
     * Takes the stream's fan-out lease, when nobody holds it or its holder's lease ran out before {@code now}: then
     * the cursor as it stands; else empty (another fan-out is under way).
     */
    Optional<Cursor> claim(ContactKey contact, OutputType stream, Lease lease, Instant now);

    /** What {@link #advance} did. */
    enum Advance {
        /** The cursor moved (and the lease was renewed, or given back). */
        MOVED,
        /** Nothing written: a subscription went live since {@code from} was read (read the cursor and the subscriptions again). */
        STALE,
        /** Nothing written: the lease ran out and another fan-out took it over (stop: it goes on from the cursor). */
        LOST
    }

    /**
     * Moves the cursor from {@code from} to {@code position} and renews the lease to {@code lease.until()} (or gives it
     * back when {@code release}), if the caller still holds the lease and the cursor's version is still
     * {@code from.version()}.
     */
    Advance advance(ContactKey contact, OutputType stream, Cursor from, long position, Lease lease, boolean release);

    /** Gives the lease back, if the caller still holds it; the cursor stays. */
    void release(ContactKey contact, OutputType stream, Lease lease);

    /** The subscriptions that are live on the stream. */
    List<Subscription> live(ContactKey contact, OutputType stream);

    /** Whether any subscription is live on the stream (one item read, however many there are). */
    boolean anyLive(ContactKey contact, OutputType stream);

    /** Ends one subscription (completed contact, revoked permission, gone connection). */
    void remove(Subscription subscription);
}
