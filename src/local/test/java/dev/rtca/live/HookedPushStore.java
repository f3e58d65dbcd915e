package dev.rtca.live;

import dev.rtca.push.Cursor;
import dev.rtca.push.Lease;
import dev.rtca.push.PushStore;
import dev.rtca.push.Subscription;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** A real {@link PushStore} with hooks that make something happen just before a step (a race at a chosen point). */
final class HookedPushStore implements PushStore {
    private final PushStore real;
    private volatile Consumer<Subscription> beforeGoLive = subscription -> { };
    private volatile Runnable beforeAdvance = () -> { };

    HookedPushStore(PushStore real) {
        this.real = real;
    }

    void beforeGoLive(Consumer<Subscription> hook) {
        beforeGoLive = hook;
    }

    void beforeAdvance(Runnable hook) {
        beforeAdvance = hook;
    }

    @Override
    public void connect(String connectionId, String principal) {
        real.connect(connectionId, principal);
    }

    @Override
    public Optional<String> principal(String connectionId) {
        return real.principal(connectionId);
    }

    @Override
    public void disconnect(String connectionId) {
        real.disconnect(connectionId);
    }

    @Override
    public Join goLive(Subscription subscription) {
        beforeGoLive.accept(subscription);
        return real.goLive(subscription);
    }

    @Override
    public Cursor cursor(ContactKey contact, OutputType stream) {
        return real.cursor(contact, stream);
    }

    @Override
    public Optional<Cursor> claim(ContactKey contact, OutputType stream, Lease lease, Instant now) {
        return real.claim(contact, stream, lease, now);
    }

    @Override
    public Advance advance(ContactKey contact, OutputType stream, Cursor from, long position, Lease lease, boolean release) {
        beforeAdvance.run();
        return real.advance(contact, stream, from, position, lease, release);
    }

    @Override
    public void release(ContactKey contact, OutputType stream, Lease lease) {
        real.release(contact, stream, lease);
    }

    @Override
    public List<Subscription> live(ContactKey contact, OutputType stream) {
        return real.live(contact, stream);
    }

    @Override
    public boolean anyLive(ContactKey contact, OutputType stream) {
        return real.anyLive(contact, stream);
    }

    @Override
    public void remove(Subscription subscription) {
        real.remove(subscription);
    }
}
