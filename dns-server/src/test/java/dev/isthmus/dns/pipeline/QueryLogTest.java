package dev.isthmus.dns.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.testing.NativeFrame;
import dev.isthmus.dataplane.testing.TestDataplanes;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * The query log's way out of the poll loop: records go through the lcore's ring to the logger thread, which turns
 * them into lines; a full ring refuses records and counts them instead of waiting; per-second records carry the
 * counters' growth.
 */
class QueryLogTest {

    /** 198.18.9.7, then the wire name www.example.test. */
    private static final byte[] CLIENT_AND_NAME = {(byte) 198, 18, 9, 7, 3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p',
        'l', 'e', 4, 't', 'e', 's', 't', 0};

    @Test
    void aFullRingDropsAndCountsThenTheLoggerDrainsIt() throws Exception {
        DnsCounters counters = new DnsCounters("lcore0");
        LogRing ring = new LogRing(64);
        QueryLogWriter writer = new QueryLogWriter(ring, counters, 1);
        try (NativeFrame data = new NativeFrame(CLIENT_AND_NAME)) {
            for (int k = 0; k < 100; k++) {
                assertTrue(writer.sampleQuery(), "every query is logged with every=1");
                writer.query(System.nanoTime(), false, data.address(), 4000 + k, 1, 0, false, 50, data.address() + 4,
                        CLIENT_AND_NAME.length - 4);
            }
            assertEquals(64, ring.available(), "the ring holds its capacity");
            assertEquals(36, counters.get(DnsCounters.Counter.LOG_DROPPED), "the rest refused and counted");

            Queue<String> lines = new ConcurrentLinkedQueue<>();
            try (QueryLogger logger = new QueryLogger(lines::add)) {
                logger.register("lcore0", ring);
                assertTrue(TestDataplanes.await(() -> lines.size() == 64, 5_000), "drained: " + lines.size());
                assertTrue(lines.peek().matches("query \\S+ 198\\.18\\.9\\.7#4000 www\\.example\\.test\\. A NOERROR 50"),
                        lines.peek());
                // Room again: the writer goes on, and a second later sends the counters' growth.
                long t0 = System.nanoTime();
                writer.tick(t0);
                counters.answered(3, 1, false, false);
                counters.answered(0, 28, true, true);
                writer.tick(t0 + 1_000_000_001L);
                assertTrue(TestDataplanes.await(() -> lines.stream().anyMatch(l -> l.startsWith("second ")), 5_000));
                String second = lines.stream().filter(l -> l.startsWith("second ")).findFirst().orElseThrow();
                assertTrue(second.endsWith(" lcore0 answered=2 truncated=1 noerror=1 nxdomain=1 refused=0 formerr=0 "
                        + "log_dropped=0"), second);
                assertEquals(2L, logger.lastSecond().get("lcore0").get("answered"));
            }
        }
        DnsCounterSnapshot snapshot = DnsCounterSnapshot.of(List.of(counters, new DnsCounters("lcore1")));
        assertEquals(1, snapshot.qtype("AAAA"));
        assertEquals(1, snapshot.rcode("NXDOMAIN"));
        assertEquals(2, snapshot.perLcore().size());
    }
}
