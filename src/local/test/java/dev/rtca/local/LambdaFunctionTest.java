package dev.rtca.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.rtca.runtime.Config;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A local function runs as a deployed one with reserved concurrency: at most 16 invocations at once, the rest wait. */
class LambdaFunctionTest {
    static final AtomicInteger RUNNING = new AtomicInteger();
    static final AtomicInteger MOST = new AtomicInteger();
    static final CountDownLatch RELEASE = new CountDownLatch(1);

    /** A handler that holds its invocation until the test lets it go. */
    public static final class Holding implements RequestStreamHandler {
        public Holding(Config config) {
        }

        @Override
        public void handleRequest(InputStream input, OutputStream output, Context context) {
            MOST.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
            try {
                RELEASE.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                RUNNING.decrementAndGet();
            }
        }
    }

    @Test
    void atMostSixteenInvocationsRunAtOnceAndTheOthersWaitTheirTurn() throws Exception {
        LambdaFunction function = new LambdaFunction("Holding", Holding.class.getName() + "::handleRequest",
                Config.fromEnvironment(Map.of(Config.TABLE_NAME, "t", Config.AWS_REGION, "us-east-1")));
        AtomicInteger done = new AtomicInteger();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            callers.add(Thread.ofVirtual().start(() -> {
                try {
                    function.invoke(new byte[0], LambdaFunction.newRequestId());
                    done.incrementAndGet();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); RUNNING.get() < 16 && System.nanoTime() < until; ) {
            Thread.sleep(5);
        }
        Thread.sleep(200); // room for a 17th to start, were it let in
        assertEquals(16, RUNNING.get(), "running at once");
        RELEASE.countDown();
        for (Thread caller : callers) {
            caller.join(10_000);
        }
        assertEquals(20, done.get(), "every invocation ran, in turn");
        assertTrue(MOST.get() == 16, "never more than 16: " + MOST.get());
    }
}
