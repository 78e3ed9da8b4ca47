package dev.isthmus.dataplane.ring;

/** How many threads may use one side of a {@link MbufRing} at once (rte_ring's SP/MP and SC/MC flags). */
public enum RingSync {
    /** One thread only: no compare-and-set, no waiting for others (RING_F_SP_ENQ / RING_F_SC_DEQ). */
    SINGLE,
    /** Any number of threads: head moved by CAS, tail moved in order of reservation. */
    MULTI
}
