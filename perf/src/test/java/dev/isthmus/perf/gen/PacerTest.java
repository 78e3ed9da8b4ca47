package dev.isthmus.perf.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The pacer's arithmetic, on a simulated clock: a TX loop that sends at most a burst of what is due per turn, its
 * turns falling at irregular moments, sends the set rate within 1% over 5 s, and never runs ahead of the clock.
 */
class PacerTest {

    /** Simulates the TX loop's use of the pacer; returns packets sent by {@code end}. */
    private static long simulate(double pps, long seconds, long seed, long maxGapNanos) {
        SplittableRandom random = new SplittableRandom(seed);
        long start = 1_000_000_000L;
        Pacer pacer = new Pacer(pps, start);
        long end = start + seconds * 1_000_000_000L;
        long sent = 0;
        for (long now = start; now <= end; now += 1 + random.nextLong(maxGapNanos)) {
            long due = pacer.due(now);
            assertTrue(sent <= due, "never ahead of the clock");
            sent += Math.min(due - sent, 32);
            double ideal = (now - start) * pps / 1e9;
            assertTrue(sent <= ideal + 1e-6, "sent " + sent + " by " + (now - start) + " ns, ideal " + ideal);
        }
        return sent;
    }

    @Test
    void lowRatesHoldWithinOnePercentOverFiveSeconds() {
        for (double pps : new double[] {10_000, 12_345.6, 50_000, 100_000}) {
            long sent = simulate(pps, 5, (long) pps, 200_000);
            double expected = pps * 5;
            assertTrue(Math.abs(sent - expected) / expected < 0.01, pps + " pps: sent " + sent + " of " + expected);
        }
    }

    @Test
    void aLateTurnCatchesUpWithAFullerBurst() {
        Pacer pacer = new Pacer(1_000_000, 0);
        assertEquals(0, pacer.due(0));
        assertEquals(1, pacer.due(1_000));
        assertEquals(1_000, pacer.due(1_000_000));
        assertEquals(3_600_000_000L, new Pacer(1_000_000, 0).due(3_600_000_000_000L), "an hour at 1 Mpps, exact");
    }

    @Test
    void highRatesAreLimitedByBurstsNotArithmetic() {
        long sent = simulate(20_000_000, 1, 7, 1_000);
        assertTrue(Math.abs(sent - 20_000_000) / 20e6 < 0.01, "sent " + sent);
    }
}
