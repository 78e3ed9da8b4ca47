package dev.isthmus.vswitch.counters;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A fixed set of 64-bit counters with one stripe per writer lane (one lane per lcore, plus one for the control
 * thread), so writers never share a cache line: each lane is written by one thread only, with a plain read and an
 * opaque write (no lock, no atomic read-modify-write), and readers sum the lanes with opaque reads at any time.
 */
public final class StripedCounters {

    /** Lanes available to data-path lcores; lane {@link #CONTROL_LANE} is the control thread's. */
    public static final int DATA_LANES = 16;
    /** The lane the control thread (aging, configuration) writes. */
    public static final int CONTROL_LANE = DATA_LANES;

    private static final int LANES = DATA_LANES + 1;
    private static final int LONGS_PER_LINE = 8;
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] cells;
    private final int slots;
    private final int stride;

    /** @param slots number of counters */
    public StripedCounters(int slots) {
        this.slots = slots;
        // Round each lane up to whole cache lines and add one line of padding, so that whatever the array's own
        // alignment, two lanes never share a line.
        this.stride = ((slots + LONGS_PER_LINE - 1) / LONGS_PER_LINE + 1) * LONGS_PER_LINE;
        this.cells = new long[LONGS_PER_LINE + LANES * stride];
    }

    /**
     * Adds to a counter; only the thread owning {@code lane} may call this with it.
     *
     * @param lane the writer's lane
     * @param slot the counter
     * @param delta what to add
     */
    public void add(int lane, int slot, long delta) {
        final int at = LONGS_PER_LINE + lane * stride + slot;
        CELLS.setOpaque(cells, at, cells[at] + delta);
    }

    /**
     * Adds one to a counter; only the thread owning {@code lane} may call this with it.
     *
     * @param lane the writer's lane
     * @param slot the counter
     */
    public void increment(int lane, int slot) {
        add(lane, slot, 1);
    }

    /**
     * @param slot the counter
     * @return its total over every lane
     */
    public long get(int slot) {
        long total = 0;
        for (int lane = 0; lane < LANES; lane++) {
            total += (long) CELLS.getOpaque(cells, LONGS_PER_LINE + lane * stride + slot);
        }
        return total;
    }

    /** @return number of counters */
    public int slots() {
        return slots;
    }
}
