package dev.isthmus.dataplane.config;

/**
 * The mbuf pool every port receives into.
 *
 * @param mbufs     number of mbufs; best as {@code 2^n - 1}
 * @param cacheSize per-lcore cache (DPDK allows up to 512, and at most mbufs / 1.5)
 * @param dataRoom  bytes per mbuf including the 128-byte headroom; 2176 holds a 2048-byte frame
 */
public record MempoolConfig(int mbufs, int cacheSize, int dataRoom) {

    /** RTE_MBUF_DEFAULT_BUF_SIZE: 2048 bytes of data after a 128-byte headroom. */
    public static final int DEFAULT_DATA_ROOM = 2048 + 128;

    public MempoolConfig {
        if (mbufs < 64) {
            throw new IllegalArgumentException("mempool: mbufs must be at least 64, got " + mbufs);
        }
        if (cacheSize < 0 || cacheSize > 512 || cacheSize * 3 > mbufs * 2) {
            throw new IllegalArgumentException("mempool: cacheSize must be 0..512 and at most mbufs/1.5 (DPDK's rule), got "
                    + cacheSize + " for " + mbufs + " mbufs");
        }
        if (dataRoom < 128 + 64 || dataRoom > 0xFFFF) {
            throw new IllegalArgumentException("mempool: dataRoom must be 192..65535 (128 bytes of it are headroom), got "
                    + dataRoom);
        }
    }

    /** {@code mbufs} mbufs with a 256-mbuf cache (smaller for small pools) and the default data room. */
    public static MempoolConfig of(int mbufs) {
        return new MempoolConfig(mbufs, Math.min(256, mbufs * 2 / 3), DEFAULT_DATA_ROOM);
    }
}
