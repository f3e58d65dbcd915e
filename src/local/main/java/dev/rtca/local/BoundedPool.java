package dev.rtca.local;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The thread pools of the local runtime's own servers (the DynamoDB policy proxies, the local Secrets Manager): at
 * most a fixed number of daemon threads, the rest of the work queued, and idle threads let go after a few seconds, so
 * that a burst of requests neither multiplies threads nor keeps them.
 */
final class BoundedPool {
    private static final long IDLE_SECONDS = 5;

    private BoundedPool() {
    }

    static ExecutorService of(String name, int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), work -> {
            Thread thread = new Thread(work, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
