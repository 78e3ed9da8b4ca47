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
 * SP/SC: the producer offers 1 then 2; the consumer takes a burst of up to two. The result is how many it got and
 * the values, read from the slots only after acquiring {@code producerTail}: each published slot must hold its
 * value (the store-release of the tail orders the slot write before it).
 */
@JCStressTest
@State
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "The consumer ran before the first publication.")
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "Between the two publications: the first element only.")
@Outcome(id = "2, 1, 2", expect = ACCEPTABLE, desc = "After both: both elements, in FIFO order.")
@Outcome(id = "1, 0, 0", expect = FORBIDDEN, desc = "A published slot read before its write: tail release broken.")
@Outcome(id = "2, 1, 0", expect = FORBIDDEN, desc = "The second slot read before its write: tail release broken.")
@Outcome(expect = FORBIDDEN, desc = "Wrong values or order: the slots or indices are corrupt.")
public class SpscOfferDequeue {
    private final MbufRing ring = Rings.take(4, RingSync.SINGLE, RingSync.SINGLE);
    private final long[] dst = new long[2];
    private int count;

    @Actor
    public void producer() {
        ring.offer(1);
        ring.offer(2);
    }

    @Actor
    public void consumer() {
        count = ring.dequeueBurst(dst, 0, 2);
    }

    @Arbiter
    public void result(III_Result r) {
        r.r1 = count;
        r.r2 = (int) dst[0];
        r.r3 = (int) dst[1];
        ring.dequeueBurst(new long[2], 0, 2);
        Rings.recycle(ring, 2, RingSync.SINGLE, RingSync.SINGLE);
    }
}
