package dev.rtca.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/start-api}'s demo call: the scripted voice call of {@code events/voice-call-demo.jsonl} played into the
 * runtime's Kinesis writer at speaking pace, again and again, each play a new contact ({@code demo-call-1},
 * {@code demo-call-2}, ...), as Amazon Connect's segment stream would deliver a call. One thread, the same events each
 * play (nothing kept from one play to the next). {@link #close()} stops it between two invocations, never during one
 * (an invocation cut short would be a batch item failure, retried by nobody).
 */
public final class DemoCall implements AutoCloseable {
    public static final String FILE = "voice-call-demo.jsonl";
    private static final long STOP_MILLIS = 5_000;
    private final Thread thread;
    private final CountDownLatch stop;

    private DemoCall(Thread thread, CountDownLatch stop) {
        this.thread = thread;
        this.stop = stop;
    }

    /**
     * Starts playing.
     *
     * @param events      the events/ directory
     * @param contactBase the ContactId the plays number ({@code <contactBase>-<n>})
     * @param speed       1 is the script's own pace
     * @throws Replay.BadInput when the file is missing or cannot be played
     */
    public static DemoCall start(LocalRuntime runtime, Path events, String contactBase, double speed, PrintStream log) {
        List<Replay.Timed> script = Replay.read(events.resolve(FILE)).stream()
                .map(e -> {
                    var envelope = e.envelope().deepCopy();
                    envelope.put("ContactId", contactBase);
                    return new Replay.Timed(e.line(), e.atMillis(), envelope);
                })
                .toList();
        CountDownLatch stop = new CountDownLatch(1);
        Replay.Clock clock = new Replay.Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(long nanos) throws InterruptedException {
                if (stop.await(nanos, TimeUnit.NANOSECONDS)) {
                    throw new InterruptedException("stopped");
                }
            }
        };
        Replay.Writer kinesis = Replay.inProcess(runtime);
        Replay.Writer writer = event -> {
            if (stop.getCount() == 0) {
                throw new InterruptedException("stopped");
            }
            return kinesis.invoke(event);
        };
        Replay.Player player = new Replay.Player(script, speed, clock, writer, null, log);
        Thread thread = Thread.ofPlatform().daemon().name("demo-call").start(() -> {
            try {
                player.loop(0);
            } catch (InterruptedException e) {
                // stopped with the runtime
            } catch (RuntimeException e) {
                log.println("demo call: stopped: " + e.getMessage());
            }
        });
        return new DemoCall(thread, stop);
    }

    /** Whether it is still playing (it plays until closed, unless the writer failed). */
    public boolean playing() {
        return thread.isAlive();
    }

    @Override
    public void close() {
        stop.countDown();
        try {
            thread.join(STOP_MILLIS);
            if (thread.isAlive()) { // an invocation that does not end: cut it short
                thread.interrupt();
                thread.join(STOP_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
