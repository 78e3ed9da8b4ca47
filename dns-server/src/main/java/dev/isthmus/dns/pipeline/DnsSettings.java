package dev.isthmus.dns.pipeline;

/**
 * How the data-plane DNS function answers and reports.
 *
 * @param mtu            the IP MTU of the ports: a UDP response never exceeds {@code mtu - IP header - 8} (and the
 *                       engine's own limits: 512 without EDNS, the client's size and 1232 with it, RFC 6891 §6.2.5)
 * @param queryLogEvery  log one query in this many per lcore (1 logs all, 0 turns the query log off); the
 *                       per-second counter records are written whenever the log runs
 * @param logRingSlots   records each lcore's log ring holds (a power of two); a full ring drops and counts
 * @param answerCacheEntries slots of each lcore's packet cache ({@link AnswerCache}: 1448 bytes each), a power of
 *                       two, or 0 for none (every query then goes through the engine)
 * @param minimalResponses authority and additional data only where the answer needs them (the default; see
 *                       {@code QueryEngine(ZoneCatalog, boolean)}); fixed for a stage's life, so its packet cache
 *                       never mixes answers of both kinds (a change builds new stages, and with them empty caches)
 */
public record DnsSettings(int mtu, int queryLogEvery, int logRingSlots, int answerCacheEntries,
                          boolean minimalResponses) {

    /** Default packet-cache slots per lcore (5.7 MiB): room for a busy zone's popular questions in their case mixes. */
    public static final int DEFAULT_ANSWER_CACHE_ENTRIES = 4096;
    /** The largest packet cache per lcore (1.4 GiB). */
    public static final int MAX_ANSWER_CACHE_ENTRIES = 1 << 20;

    /** Settings with minimal responses (the default). */
    public DnsSettings(int mtu, int queryLogEvery, int logRingSlots, int answerCacheEntries) {
        this(mtu, queryLogEvery, logRingSlots, answerCacheEntries, true);
    }

    public DnsSettings {
        if (mtu < 576 || mtu > 9600) {
            // RFC 791: every host must accept 576-byte datagrams; below that a 512-byte answer could not leave.
            throw new IllegalArgumentException("dns: mtu must be 576..9600, got " + mtu);
        }
        if (queryLogEvery < 0) {
            throw new IllegalArgumentException("dns: queryLogEvery must be 0 (off) or more, got " + queryLogEvery);
        }
        if (logRingSlots < 64 || logRingSlots > (1 << 20) || Integer.bitCount(logRingSlots) != 1) {
            throw new IllegalArgumentException("dns: logRingSlots must be a power of two 64..1048576, got "
                    + logRingSlots);
        }
        if (answerCacheEntries < 0 || answerCacheEntries > MAX_ANSWER_CACHE_ENTRIES
                || answerCacheEntries > 0 && Integer.bitCount(answerCacheEntries) != 1) {
            throw new IllegalArgumentException("dns: answerCacheEntries must be 0 (off) or a power of two up to "
                    + MAX_ANSWER_CACHE_ENTRIES + ", got " + answerCacheEntries);
        }
    }

    /**
     * MTU 1500, query log off (per-second counters still logged), 4096-record rings, the default packet cache,
     * minimal responses.
     */
    public static DnsSettings defaults() {
        return new DnsSettings(1500, 0, 4096, DEFAULT_ANSWER_CACHE_ENTRIES);
    }

    /** These settings logging one query in {@code every} (1 = all). */
    public DnsSettings withQueryLog(int every) {
        return new DnsSettings(mtu, every, logRingSlots, answerCacheEntries, minimalResponses);
    }

    /** These settings with {@code entries} packet-cache slots per lcore (0 = none). */
    public DnsSettings withAnswerCache(int entries) {
        return new DnsSettings(mtu, queryLogEvery, logRingSlots, entries, minimalResponses);
    }

    /** These settings with minimal responses on or off. */
    public DnsSettings withMinimalResponses(boolean minimal) {
        return new DnsSettings(mtu, queryLogEvery, logRingSlots, answerCacheEntries, minimal);
    }
}
