package dev.isthmus.dataplane.pipeline;

/**
 * Sends packets a stage made itself (a reply in a new mbuf, a flood copy) through the lcore's TX bursts, so they
 * leave with the burst's other packets. Implemented by the worker.
 */
public interface PacketEmitter {

    /**
     * Transmits an mbuf the stage owns on port number {@code port}; from now on the worker answers for it (sends
     * it, or frees and counts it when the port is unknown or full).
     */
    void transmitNew(long mbuf, int port);

    /**
     * Counts {@code mbufs} mbufs a stage asked its pool for and did not get (the pool ran dry): the lcore's
     * {@code no_mbuf}. The default counts nothing, for emitters without counters (stage tests, benchmarks).
     */
    default void noMbuf(int mbufs) {
    }
}
