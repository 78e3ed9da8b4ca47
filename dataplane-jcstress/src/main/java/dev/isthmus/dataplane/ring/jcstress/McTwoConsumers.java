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
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * MC: a ring holding [1, 2, 3], two consumers each dequeue a bulk of two. The compare-and-set on
 * {@code consumerHead} lets only one of them reserve two of the three; the other finds one and, bulk being all or
 * nothing, takes none. Result: each consumer's first value (0 when it got nothing), and what the arbiter drains.
 */
@JCStressTest
@State
@Outcome(id = "1, 0, 3", expect = ACCEPTABLE, desc = "Consumer 1 took [1, 2]; consumer 2 found one left and took none.")
@Outcome(id = "0, 1, 3", expect = ACCEPTABLE, desc = "Consumer 2 took [1, 2]; consumer 1 found one left and took none.")
@Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "Both consumers reserved the same slots.")
@Outcome(expect = FORBIDDEN, desc = "An element lost or delivered twice, or a partial bulk.")
public class McTwoConsumers {
    private final MbufRing ring = Rings.take(4, RingSync.SINGLE, RingSync.MULTI);
    private final long[] first = new long[2];
    private final long[] second = new long[2];

    public McTwoConsumers() {
        ring.enqueueBulk(new long[] {1, 2, 3}, 0, 3);
    }

    @Actor
    public void consumer1() {
        ring.dequeueBulk(first, 0, 2);
    }

    @Actor
    public void consumer2() {
        ring.dequeueBulk(second, 0, 2);
    }

    @Arbiter
    public void result(III_Result r) {
        boolean pairsRight = (first[0] == 0 || (first[0] == 1 && first[1] == 2))
                && (second[0] == 0 || (second[0] == 1 && second[1] == 2));
        r.r1 = (int) first[0];
        r.r2 = (int) second[0];
        long rest = ring.poll();
        r.r3 = pairsRight && ring.poll() == MbufRing.EMPTY ? (int) rest : -1;
        Rings.recycle(ring, 3, RingSync.SINGLE, RingSync.MULTI);
    }
}
