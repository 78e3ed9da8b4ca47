package dev.isthmus.dataplane.ring.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.isthmus.dataplane.ring.MbufRing;
import dev.isthmus.dataplane.ring.RingSync;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * MP/MC ring, bursts across the end of the slot array on the bulk-copy path (ten elements, above the plain-loop
 * threshold): a ring of 16 whose indices start at 12, a producer's burst of 1..10 wrapping from slot 12 to slot 5
 * (compare-and-set reservation, in-order publication), a consumer's burst of up to 16 (compare-and-set too). The
 * consumer sees none or all ten, in order; with the arbiter's drain, exactly 1..10 once each.
 * Result: how many the consumer took, and 1 when the values are right (0 when not).
 */
@JCStressTest
@State
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "The consumer ran before the publication; the arbiter drains ten.")
@Outcome(id = "10, 1", expect = ACCEPTABLE, desc = "The consumer took the whole burst, in order.")
@Outcome(id = ".*, 0", expect = FORBIDDEN, desc = "Values lost, doubled, out of order or read before written.")
@Outcome(expect = FORBIDDEN, desc = "Part of one publication seen.")
public class MpmcBurstWrapsAround {
    private final MbufRing ring = Rings.take(16, RingSync.MULTI, RingSync.MULTI);
    private final long[] got = new long[16];
    private int count;

    public MpmcBurstWrapsAround() {
        long[] filler = new long[12];
        java.util.Arrays.fill(filler, 99);
        ring.enqueueBulk(filler, 0, 12);
        ring.dequeueBulk(filler, 0, 12);
    }

    @Actor
    public void producer() {
        long[] values = new long[10];
        for (int i = 0; i < 10; i++) {
            values[i] = i + 1;
        }
        ring.enqueueBurst(values, 0, 10);
    }

    @Actor
    public void consumer() {
        count = ring.dequeueBurst(got, 0, 16);
    }

    @Arbiter
    public void result(II_Result r) {
        boolean[] seen = new boolean[11];
        boolean ok = run(got, count, seen);
        long[] rest = new long[16];
        int left = ring.dequeueBurst(rest, 0, 16);
        ok &= run(rest, left, seen);
        for (int v = 1; v <= 10; v++) {
            ok &= seen[v];
        }
        r.r1 = count;
        r.r2 = ok ? 1 : 0;
        Rings.recycle(ring, 22, RingSync.MULTI, RingSync.MULTI);
    }

    /** Consecutive values in 1..10 not seen before. */
    private static boolean run(long[] values, int n, boolean[] seen) {
        for (int i = 0; i < n; i++) {
            long v = values[i];
            if (v < 1 || v > 10 || seen[(int) v] || (i > 0 && v != values[i - 1] + 1)) {
                return false;
            }
            seen[(int) v] = true;
        }
        return true;
    }
}
