package dev.isthmus.vswitch.learn;

import dev.isthmus.vswitch.counters.StripedCounters;

/**
 * The requests to learn a VTEP from every lcore: one {@link VtepLearnQueue} per counter lane, so each ring has a
 * single producer (the lcore of that lane) and the control thread is the single consumer of all. Allocated once,
 * with the switch, so the data path never allocates one.
 */
public final class VtepLearnRequests {

    /** Requests one lcore can have waiting; the control side drains every 100 ms. */
    public static final int QUEUE_CAPACITY = 64;

    private final VtepLearnQueue[] lanes = new VtepLearnQueue[StripedCounters.DATA_LANES];

    public VtepLearnRequests() {
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new VtepLearnQueue(QUEUE_CAPACITY);
        }
    }

    /** @param lane an lcore's counter lane, below {@link StripedCounters#DATA_LANES} @return that lcore's queue */
    public VtepLearnQueue lane(int lane) {
        return lanes[lane];
    }

    /**
     * Control thread: drains every lane.
     *
     * @param sink receives each request
     * @return how many requests were drained
     */
    public int drain(VtepLearnQueue.Sink sink) {
        int drained = 0;
        for (VtepLearnQueue queue : lanes) {
            drained += queue.drain(sink);
        }
        return drained;
    }
}
