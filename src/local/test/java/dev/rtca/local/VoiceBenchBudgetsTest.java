package dev.rtca.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;

/** The voice rows' budgets, as the README and issue 18 state them. */
class VoiceBenchBudgetsTest {
    private static double budget(String benchClass) throws ReflectiveOperationException {
        Field budget = Class.forName(benchClass).getDeclaredField("BUDGET");
        budget.setAccessible(true);
        return budget.getDouble(null);
    }

    @Test
    void timeToFirstWordsIsPushedAtLeast10TimesSoonerThanPolled() throws ReflectiveOperationException {
        assertEquals(10.0, budget("dev.rtca.bench.VoiceLiveBench"));
    }

    @Test
    void theVoiceStreamIsWrittenAtLeastAtHalfRawBatchWriteItemsThroughput() throws ReflectiveOperationException {
        assertEquals(0.5, budget("dev.rtca.bench.VoiceIngestBench"));
    }
}
