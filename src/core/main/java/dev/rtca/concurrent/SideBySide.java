package dev.rtca.concurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Independent pieces of work that each wait on the network (a post, a store's round trips), done side by side on
 * virtual threads, a bounded number at a time, so the whole takes about as long as the slowest piece, not the sum.
 */
public final class SideBySide {
    private SideBySide() {
    }

    /**
     * Does {@code work} for every item, at most {@code atOnce} at a time, and returns when all are done. The first
     * failure (in the items' order) is thrown then, as it was thrown; the other items were still done.
     */
    public static <T> void forEach(List<T> items, int atOnce, Consumer<T> work) {
        if (items.size() == 1) {
            work.accept(items.getFirst());
            return;
        }
        Semaphore slots = new Semaphore(atOnce);
        List<Future<?>> running = new ArrayList<>(items.size());
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (T item : items) {
                slots.acquireUninterruptibly();
                running.add(threads.submit(() -> {
                    try {
                        work.accept(item);
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        for (Future<?> piece : running) {
            try {
                piece.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
