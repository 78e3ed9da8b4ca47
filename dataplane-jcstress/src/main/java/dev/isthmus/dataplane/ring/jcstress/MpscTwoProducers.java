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
 * MP: two producers each enqueue a bulk of two ([1, 2] and [3, 4]). The compare-and-set on {@code producerHead}
 * gives each bulk two contiguous slots, and a producer publishes only after the earlier reservation has, so the
 * ring holds whole pairs in reservation order. Result: what the arbiter drains, as digits in order, and how many
 * the producers enqueued. (Two actors: jcstress runs a test only with a CPU per actor, and CI has two.)
 */
@JCStressTest
@State
@Outcome(id = "1234, 4", expect = ACCEPTABLE, desc = "Producer 1 reserved first.")
@Outcome(id = "3412, 4", expect = ACCEPTABLE, desc = "Producer 2 reserved first.")
@Outcome(id = {"12, .*", "34, .*"}, expect = FORBIDDEN, desc = "A reservation overwritten: one pair lost.")
@Outcome(expect = FORBIDDEN, desc = "A pair split, a slot never written, or an element lost or doubled.")
public class MpscTwoProducers {
    private final MbufRing ring = Rings.take(8, RingSync.MULTI, RingSync.SINGLE);
    private final long[] dst = new long[8];
    private int enqueued1;
    private int enqueued2;

    @Actor
    public void producer1() {
        enqueued1 = ring.enqueueBulk(new long[] {1, 2}, 0, 2);
    }

    @Actor
    public void producer2() {
        enqueued2 = ring.enqueueBulk(new long[] {3, 4}, 0, 2);
    }

    @Arbiter
    public void result(II_Result r) {
        int total = ring.dequeueBurst(dst, 0, 8);
        int digits = 0;
        for (int i = 0; i < total; i++) {
            digits = digits * 10 + (int) dst[i];
        }
        r.r1 = digits;
        r.r2 = enqueued1 + enqueued2;
        Rings.recycle(ring, enqueued1 + enqueued2, RingSync.MULTI, RingSync.SINGLE);
    }
}
