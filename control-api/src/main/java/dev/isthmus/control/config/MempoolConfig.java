package dev.isthmus.control.config;

/**
 * The packet-buffer pool shared by all ports.
 *
 * @param mbufs number of mbufs (a power of two minus one uses the ring best)
 * @param cacheSize per-lcore cache (at most 512, DPDK's {@code RTE_MEMPOOL_CACHE_MAX_SIZE})
 * @param dataRoomSize bytes of each mbuf's data room, headroom included (2176 = 2048 + 128 headroom)
 */
public record MempoolConfig(int mbufs, int cacheSize, int dataRoomSize) {
}
