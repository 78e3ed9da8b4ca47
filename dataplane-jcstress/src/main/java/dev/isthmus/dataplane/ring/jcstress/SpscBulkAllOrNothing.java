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
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * SP/SC bulk: the producer enqueues three elements in one bulk call, the consumer dequeues three in one bulk call.
 * Bulk is all or nothing on both sides: the tail moves once over the three slots, so the consumer sees none or all.
 */
@JCStressTest
@State
@Outcome(id = "0, 0, 0, 0", expect = ACCEPTABLE, desc = "The consumer ran before the publication: nothing moved.")
@Outcome(id = "3, 1, 2, 3", expect = ACCEPTABLE, desc = "After the publication: all three, in order.")
@Outcome(expect = FORBIDDEN, desc = "Part of a bulk moved, or a slot was read before its write.")
public class SpscBulkAllOrNothing {
    private final MbufRing ring = Rings.take(4, RingSync.SINGLE, RingSync.SINGLE);
    private final long[] dst = new long[3];
    private int count;

    @Actor
    public void producer() {
        ring.enqueueBulk(new long[] {1, 2, 3}, 0, 3);
    }

    @Actor
    public void consumer() {
        count = ring.dequeueBulk(dst, 0, 3);
    }

    @Arbiter
    public void result(IIII_Result r) {
        r.r1 = count;
        r.r2 = (int) dst[0];
        r.r3 = (int) dst[1];
        r.r4 = (int) dst[2];
        ring.dequeueBurst(new long[3], 0, 3);
        Rings.recycle(ring, 3, RingSync.SINGLE, RingSync.SINGLE);
    }
}
