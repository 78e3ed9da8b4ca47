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
 * SP/SC on a full ring of two ([1, 2]): the consumer polls one element while the producer offers 3, which fits only
 * in the slot the consumer is freeing. The producer may reuse that slot only after acquiring the consumer's
 * store-release of {@code consumerTail}, i.e. after the consumer's read: the consumer must never see 3.
 * The arbiter drains what is left.
 */
@JCStressTest
@State
@Outcome(id = "1, 0, 2, 0", expect = ACCEPTABLE, desc = "The producer found the ring full (consumer not done yet).")
@Outcome(id = "1, 1, 2, 3", expect = ACCEPTABLE, desc = "The producer reused the freed slot after the consumer's read.")
@Outcome(id = "3, .*", expect = FORBIDDEN, desc = "The producer overwrote a slot before the consumer read it.")
@Outcome(expect = FORBIDDEN, desc = "An element lost, duplicated or out of order.")
public class SpscFullRingNoOverwrite {
    private final MbufRing ring = Rings.take(2, RingSync.SINGLE, RingSync.SINGLE);
    private long polled;
    private boolean offered;

    public SpscFullRingNoOverwrite() {
        ring.offer(1);
        ring.offer(2);
    }

    @Actor
    public void consumer() {
        polled = ring.poll();
    }

    @Actor
    public void producer() {
        offered = ring.offer(3);
    }

    @Arbiter
    public void result(IIII_Result r) {
        r.r1 = (int) polled;
        r.r2 = offered ? 1 : 0;
        r.r3 = (int) ring.poll();
        r.r4 = (int) ring.poll();
        Rings.recycle(ring, offered ? 3 : 2, RingSync.SINGLE, RingSync.SINGLE);
    }
}
