package dev.isthmus.perf.gen;

import java.lang.management.ManagementFactory;

/**
 * Bytes an lcore's thread allocates in its loop after its first second (the JIT has compiled the loop by then),
 * which must be nothing. Sampled every 1024 turns, without a branch that changes direction at the one-second mark:
 * such a branch is compiled as an uncommon trap, and taking it sends the loop back to the interpreter, whose
 * allocations would then be counted (they were: 72 bytes in some runs).
 */
final class AllocationMeter {

    static final long WARMUP_NANOS = 1_000_000_000L;

    private final com.sun.management.ThreadMXBean mx =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final long measureFrom;
    private long base;
    private int turns;

    /** Call on the lcore's thread, when its loop starts. */
    AllocationMeter(long startNanos) {
        measureFrom = startNanos + WARMUP_NANOS;
        base = mx.getCurrentThreadAllocatedBytes();
    }

    /** Once a turn: every 1024th takes the thread's count as the base while the first second lasts. */
    void turn(long nowNanos) {
        if ((++turns & 1023) == 0) {
            long allocated = mx.getCurrentThreadAllocatedBytes();
            long early = (nowNanos - measureFrom) >>> 63; // 1 before the mark, 0 after
            base = early * allocated + (1 - early) * base;
        }
    }

    /** Bytes allocated since the last sample of the first second; -1 when the loop ended within it. */
    long sinceFirstSecond(long endNanos) {
        return endNanos < measureFrom ? -1 : mx.getCurrentThreadAllocatedBytes() - base;
    }
}
