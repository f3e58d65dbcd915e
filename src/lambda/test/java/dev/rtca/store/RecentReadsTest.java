package dev.rtca.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentReadsTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final RecentReads reads = new RecentReads(now::get);

    private static ContactItem item(String pk, long version) {
        return new ContactItem.Builder().pk(pk).version(version).build();
    }

    @Test
    void aReadIsTakenOnceThenTheCallerReadsAfresh() {
        ContactItem read = item("C#a", 3);
        reads.put("C#a", read);
        assertEquals(Optional.of(read), reads.take("C#a"));
        assertEquals(Optional.empty(), reads.take("C#a"));
    }

    @Test
    void aReadOlderThanTheBoundIsNotTaken() {
        reads.put("C#a", item("C#a", 3));
        now.addAndGet(RecentReads.REUSE_WITHIN.toNanos() + 1);
        assertEquals(Optional.empty(), reads.take("C#a"));
    }

    @Test
    void aReadAtTheBoundIsTaken() {
        reads.put("C#a", item("C#a", 3));
        now.addAndGet(RecentReads.REUSE_WITHIN.toNanos());
        assertTrue(reads.take("C#a").isPresent());
    }

    @Test
    void anAbsentContactIsNotRemembered() {
        reads.put("C#a", item("C#a", 3));
        reads.put("C#a", null);
        assertEquals(3L, reads.take("C#a").orElseThrow().version());
        reads.put("C#b", null);
        assertEquals(Optional.empty(), reads.take("C#b"));
    }

    @Test
    void readsAreOfTheirOwnContactAndBounded() {
        for (int i = 0; i <= RecentReads.CAPACITY; i++) {
            reads.put("C#" + i, item("C#" + i, i));
        }
        assertEquals(Optional.empty(), reads.take("C#0"));
        assertEquals(1L, reads.take("C#1").orElseThrow().version());
        assertEquals((long) RecentReads.CAPACITY, reads.take("C#" + RecentReads.CAPACITY).orElseThrow().version());
    }

    @Test
    void theBoundIsOneSecond() {
        assertEquals(java.time.Duration.ofSeconds(1), RecentReads.REUSE_WITHIN);
    }
}
