package dev.isthmus.control.config;

/**
 * The packet-buffer pool shared by all ports.
 *
 * @param mbufs number of mbufs (a power of two minus one uses the ring best), or {@link #AUTO} to have the
 *              appliance size the pool for its ports, workers and descriptors
 * @param cacheSize per-lcore cache (at most 512, DPDK's {@code RTE_MEMPOOL_CACHE_MAX_SIZE})
 * @param dataRoomSize bytes of each mbuf's data room, headroom included (2176 = 2048 + 128 headroom)
 */
public record MempoolConfig(int mbufs, int cacheSize, int dataRoomSize) {

    /** {@code mbufs} left to the appliance: enough for every descriptor, cache and burst, at least 8191. */
    public static final int AUTO = 0;
}
