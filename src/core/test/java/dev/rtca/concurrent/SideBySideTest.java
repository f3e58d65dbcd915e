package dev.rtca.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SideBySideTest {

    @Test
    void everyItemIsDoneAndNoMoreThanTheBoundAtOnce() {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Set<Integer> done = ConcurrentHashMap.newKeySet();
        SideBySide.forEach(IntStream.range(0, 40).boxed().toList(), 3, item -> {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            now.decrementAndGet();
            done.add(item);
        });
        assertEquals(40, done.size());
        assertTrue(most.get() <= 3, "at most 3 at once, saw " + most.get());
        assertTrue(most.get() > 1, "side by side, saw " + most.get());
    }

    @Test
    void theyRunTogether() {
        CountDownLatch both = new CountDownLatch(2);
        SideBySide.forEach(List.of("a", "b"), 2, item -> {
            both.countDown();
            try {
                assertTrue(both.await(10, TimeUnit.SECONDS), "the other one ran meanwhile");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void theFirstFailureIsThrownAsItWasOnceAllAreDone() {
        IllegalArgumentException first = new IllegalArgumentException("first");
        Set<Integer> done = ConcurrentHashMap.newKeySet();
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> SideBySide.forEach(List.of(1, 2, 3, 4), 2, item -> {
                    if (item == 2) {
                        throw first;
                    }
                    if (item == 4) {
                        throw new IllegalArgumentException("later");
                    }
                    done.add(item);
                }));
        assertSame(first, thrown);
        assertEquals(Set.of(1, 3), done, "the others were still done");
    }

    @Test
    void noneAndOneAreFine() {
        SideBySide.forEach(List.of(), 4, item -> {
            throw new AssertionError("nothing to do");
        });
        Thread caller = Thread.currentThread();
        SideBySide.forEach(List.of(1), 4, item -> assertSame(caller, Thread.currentThread(), "one runs on the caller"));
    }
}
