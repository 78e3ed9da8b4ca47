package dev.isthmus.dns.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.dataplane.pipeline.PacketFrame;
import dev.isthmus.dataplane.port.PortTable;
import dev.isthmus.dataplane.testing.Scapy;
import dev.isthmus.dataplane.testing.TestDataplanes;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.nativebindings.Eal;
import dev.isthmus.nativebindings.MbufBurst;
import dev.isthmus.nativebindings.Mempool;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The DNS stage's packet cache over real mbufs: an answer from the cache is the whole frame the engine's path
 * writes, byte for byte (checksums included), for every kind of query the stage answers; queries that differ in
 * anything but the ID (case, EDNS size, DO, transport) are different keys; a zone change is seen at the next burst;
 * a cache too small for the queries only costs misses.
 */
class AnswerCacheTest {

    private static final String MAC = "02:00:00:00:07:53";
    private static final String ETH = "Ether(src='02:00:00:00:07:01', dst='" + MAC + "')";
    private static final String IP4 = "IP(src='198.18.7.1', dst='198.18.7.53')";
    private static final String IP6 = "IPv6(src='2001:db8:7::1', dst='2001:db8:7::53')";

    /**
     * Every kind of answer of the sample zone, over both families, tagged and not, with and without EDNS (scapy's
     * OPT sets DO unless told z=0).
     */
    private static final List<String> QUERIES = List.of(
            ETH + "/" + IP4 + "/UDP(sport=1000, dport=53)/DNS(id=1, rd=1, qd=DNSQR(qname='www.example.test'))",
            ETH + "/" + IP4 + "/UDP(sport=1001, dport=53)/DNS(id=2, qd=DNSQR(qname='WwW.ExAmple.test'))",
            ETH + "/" + IP4 + "/UDP(sport=1002, dport=53)/DNS(id=3, qd=DNSQR(qname='www.example.test', "
                    + "qtype='AAAA'), ar=DNSRROPT(rclass=1232, z=0))",
            ETH + "/" + IP4 + "/UDP(sport=1003, dport=53)/DNS(id=4, qd=DNSQR(qname='www.example.test', "
                    + "qtype='AAAA'), ar=DNSRROPT(rclass=1232, z=0x8000))",
            ETH + "/" + IP4 + "/UDP(sport=1004, dport=53)/DNS(id=5, qd=DNSQR(qname='nope.example.test'))",
            ETH + "/" + IP4 + "/UDP(sport=1005, dport=53)/DNS(id=6, qd=DNSQR(qname='ftp.example.test'))",
            ETH + "/" + IP4 + "/UDP(sport=1006, dport=53)/DNS(id=7, qd=DNSQR(qname='x.apps.example.test'))",
            ETH + "/" + IP4 + "/UDP(sport=1007, dport=53)/DNS(id=8, qd=DNSQR(qname='www.child.example.test'))",
            ETH + "/" + IP4 + "/UDP(sport=1008, dport=53)/DNS(id=9, qd=DNSQR(qname='big.example.test', "
                    + "qtype='TXT'))",
            ETH + "/" + IP4 + "/UDP(sport=1009, dport=53)/DNS(id=10, qd=DNSQR(qname='big.example.test', "
                    + "qtype='TXT'), ar=DNSRROPT(rclass=4096))",
            ETH + "/" + IP4 + "/UDP(sport=1010, dport=53)/DNS(id=11, qd=DNSQR(qname='example.test', "
                    + "qtype='ANY'))",
            ETH + "/" + IP4 + "/UDP(sport=1011, dport=53)/DNS(id=12, qd=DNSQR(qname='www.example.test', "
                    + "qclass='CH'))",
            ETH + "/" + IP4 + "/UDP(sport=1012, dport=53)/DNS(id=13, qd=DNSQR(qname='www.elsewhere.test'), "
                    + "ar=DNSRROPT(rclass=1232))",
            ETH + "/" + IP4 + "/UDP(sport=1013, dport=53)/DNS(id=14, opcode=2, qd=DNSQR(qname='example.test'))",
            ETH + "/" + IP4 + "/UDP(sport=1014, dport=53)/DNS(id=15, qd=DNSQR(qname='example.test', qtype='MX'), "
                    + "ar=DNSRROPT(rclass=1232, version=1))",
            ETH + "/Dot1Q(vlan=42)/" + IP4 + "/UDP(sport=1015, dport=53)/DNS(id=16, qd=DNSQR(qname="
                    + "'mail.example.test', qtype='MX'))",
            ETH + "/" + IP6 + "/UDP(sport=1016, dport=53)/DNS(id=17, qd=DNSQR(qname='www.example.test'))",
            ETH + "/" + IP6 + "/UDP(sport=1017, dport=53)/DNS(id=18, qd=DNSQR(qname='big.example.test', "
                    + "qtype='TXT'), ar=DNSRROPT(rclass=1232, z=0x8000))",
            ETH + "/" + IP6 + "/UDP(sport=1018, dport=53)/DNS(id=19, qd=DNSQR(qname='_sip._udp.example.test', "
                    + "qtype='SRV'))",
            // The payload odd-sized, so that the checksum's padding byte counts.
            ETH + "/" + IP4 + "/UDP(sport=1019, dport=53)/DNS(id=20, qd=DNSQR(qname='a.example.test'))");

    @Test
    void answersFromTheCacheAreTheEnginesFramesByteForByte() throws Exception {
        List<byte[]> frames = Scapy.build(QUERIES);
        // The same queries with other IDs and client ports: the cache's key ignores the ID, the response keeps it.
        List<byte[]> again = Scapy.build(QUERIES.stream()
                .map(q -> q.replace("DNS(id=", "DNS(id=40000+").replace("sport=1", "sport=2")).toList());
        ZoneCatalog catalog = DnsOverTapTest.sampleCatalog();
        Eal.shared();
        try (Mempool pool = Mempool.create(TestDataplanes.uniqueName("anscache"), 255)) {
            int free = pool.available();
            Lcore withCache = new Lcore(catalog, 4096);
            Lcore engineOnly = new Lcore(catalog, 0);
            List<byte[]> first = withCache.answer(pool, frames);
            List<byte[]> reference = engineOnly.answer(pool, frames);
            assertEquals(frames.size(), first.size());
            for (int i = 0; i < frames.size(); i++) {
                assertArrayEquals(reference.get(i), first.get(i), "first pass (misses) of query " + i);
            }
            assertEquals(0, withCache.counters.get(DnsCounters.Counter.ANSWERED_FROM_CACHE));

            List<byte[]> second = withCache.answer(pool, again);
            List<byte[]> referenceAgain = engineOnly.answer(pool, again);
            for (int i = 0; i < frames.size(); i++) {
                assertArrayEquals(referenceAgain.get(i), second.get(i), "second pass (hits) of query " + i + ": "
                        + HexFormat.of().formatHex(second.get(i)));
            }
            assertEquals(frames.size(), withCache.counters.get(DnsCounters.Counter.ANSWERED_FROM_CACHE),
                    "every query of the second pass from the cache");
            assertEquals(engineOnly.counters.get(DnsCounters.Counter.ANSWERED),
                    withCache.counters.get(DnsCounters.Counter.ANSWERED));
            assertEquals(engineOnly.counters.get(DnsCounters.Counter.TRUNCATED),
                    withCache.counters.get(DnsCounters.Counter.TRUNCATED), "TC counted from cached answers too");
            for (int r = 0; r < DnsCounters.RCODES; r++) {
                assertEquals(engineOnly.counters.rcode(r), withCache.counters.rcode(r), "RCODE " + r);
            }
            for (int t = 0; t < DnsCounters.QTYPES; t++) {
                assertEquals(engineOnly.counters.qtype(t), withCache.counters.qtype(t), "QTYPE " + t);
            }
            // Scapy agrees the hits' checksums are right (a wrong sum would also differ from the reference above).
            List<String> ok = Scapy.decode(second, java.util.Collections.nCopies(second.size(),
                    "(ok(p, IP) if IP in p else True) and ok(p, UDP)"));
            assertEquals(java.util.Collections.nCopies(second.size(), "True"), ok);
            assertEquals(free, pool.available(), "every mbuf back in the pool");
        }
    }

    @Test
    void aZoneChangeIsSeenAtTheNextBurst() throws Exception {
        String query = ETH + "/" + IP4 + "/UDP(sport=1100, dport=53)/DNS(id=1, qd=DNSQR(qname='www.example.test'))";
        List<byte[]> frames = Scapy.build(List.of(query));
        ZoneCatalog catalog = DnsOverTapTest.sampleCatalog();
        Eal.shared();
        try (Mempool pool = Mempool.create(TestDataplanes.uniqueName("anscachez"), 63)) {
            Lcore lcore = new Lcore(catalog, 64);
            byte[] before = lcore.answer(pool, frames).get(0);
            assertArrayEquals(before, lcore.answer(pool, frames).get(0));
            assertEquals(1, lcore.counters.get(DnsCounters.Counter.ANSWERED_FROM_CACHE));

            catalog.replace("example.test", "$TTL 300\n@ SOA ns1 hostmaster 2 7200 3600 1209600 300\n@ NS ns1\n"
                    + "ns1 A 198.18.0.53\nwww A 198.18.0.81\n");
            byte[] after = lcore.answer(pool, frames).get(0);
            assertNotEquals(HexFormat.of().formatHex(before), HexFormat.of().formatHex(after));
            assertTrue(HexFormat.of().formatHex(after).contains("0004c6120051"), "the new address, 198.18.0.81");
            assertEquals(1, lcore.counters.get(DnsCounters.Counter.ANSWERED_FROM_CACHE), "not from the old cache");
            assertArrayEquals(after, lcore.answer(pool, frames).get(0));
            assertEquals(2, lcore.counters.get(DnsCounters.Counter.ANSWERED_FROM_CACHE), "the new answer cached");
        }
    }

    @Test
    void aChangeToOneZoneKeepsTheOtherZonesAnswers() throws Exception {
        String ours = ETH + "/" + IP4 + "/UDP(sport=1100, dport=53)/DNS(id=1, qd=DNSQR(qname='www.example.test'))";
        String other = ETH + "/" + IP4 + "/UDP(sport=1101, dport=53)/DNS(id=2, qd=DNSQR(qname='www.other.test'))";
        List<byte[]> frames = Scapy.build(List.of(ours, other));
        ZoneCatalog catalog = DnsOverTapTest.sampleCatalog();
        catalog.replace("other.test", "$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n"
                + "ns1 A 198.18.0.53\nwww A 198.18.0.90\n");
        Eal.shared();
        try (Mempool pool = Mempool.create(TestDataplanes.uniqueName("anscachep"), 63)) {
            Lcore lcore = new Lcore(catalog, 64);
            List<byte[]> before = lcore.answer(pool, frames);
            assertEquals(0, lcore.counters.get(DnsCounters.Counter.ANSWERED_FROM_CACHE));

            catalog.replace("other.test", "$TTL 300\n@ SOA ns1 hostmaster 2 7200 3600 1209600 300\n@ NS ns1\n"
                    + "ns1 A 198.18.0.53\nwww A 198.18.0.91\n");
            List<byte[]> after = lcore.answer(pool, frames);
            assertArrayEquals(before.get(0), after.get(0), "example.test did not change");
            assertEquals(1, lcore.counters.get(DnsCounters.Counter.ANSWERED_FROM_CACHE), "its answer still cached");
            assertTrue(HexFormat.of().formatHex(after.get(1)).contains("0004c612005b"), "the new address, 198.18.0.91");

            catalog.replace("sub.other.test", "$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n"
                    + "ns1 A 198.18.0.53\n");
            lcore.answer(pool, frames);
            assertEquals(2, lcore.counters.get(DnsCounters.Counter.ANSWERED_FROM_CACHE),
                    "a zone added below other.test: other.test's answers recomputed, example.test's kept");
        }
    }

    @Test
    void queriesThatShareASlotOnlyCostMisses() throws Exception {
        List<String> queries = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            queries.add(ETH + "/" + IP4 + "/UDP(sport=" + (1200 + i) + ", dport=53)/DNS(id=" + i
                    + ", qd=DNSQR(qname='n" + i + ".apps.example.test'))");
        }
        List<byte[]> frames = Scapy.build(queries);
        ZoneCatalog catalog = DnsOverTapTest.sampleCatalog();
        Eal.shared();
        try (Mempool pool = Mempool.create(TestDataplanes.uniqueName("anscaches"), 255)) {
            Lcore tiny = new Lcore(catalog, 2);
            Lcore engineOnly = new Lcore(catalog, 0);
            for (int round = 0; round < 3; round++) {
                List<byte[]> got = tiny.answer(pool, frames);
                List<byte[]> expected = engineOnly.answer(pool, frames);
                for (int i = 0; i < frames.size(); i++) {
                    assertArrayEquals(expected.get(i), got.get(i), "round " + round + ", query " + i);
                }
            }
            long hits = tiny.counters.get(DnsCounters.Counter.ANSWERED_FROM_CACHE);
            assertTrue(hits < 32 * 2, "32 names through 2 slots mostly miss: " + hits + " hits");
        }
    }

    /**
     * Hostile input through the cache: queries with random bytes flipped in their DNS payload (UDP checksum 0, legal
     * over IPv4, so none is dropped for its checksum), each sent twice, give what the engine alone gives — the same
     * verdict and, when answered, the same frame — whether they miss or hit.
     */
    @Test
    void mutatedQueriesGetTheEnginesVerdictAndBytesFromTheCacheToo() throws Exception {
        List<String> seeds = QUERIES.stream().filter(q -> q.contains(IP4)).map(q -> q.replace(", dport=53)",
                ", dport=53, chksum=0)")).toList();
        List<byte[]> base = Scapy.build(seeds);
        java.util.Random random = new java.util.Random(53);
        List<byte[]> mutated = new ArrayList<>();
        for (int k = 0; k < 320; k++) {
            byte[] f = base.get(k % base.size()).clone();
            int dns = f.length > 18 && f[12] == (byte) 0x81 ? 14 + 4 + 20 + 8 : 14 + 20 + 8;
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                f[dns + random.nextInt(f.length - dns)] ^= (byte) (1 << random.nextInt(8));
            }
            mutated.add(f);
        }
        ZoneCatalog catalog = DnsOverTapTest.sampleCatalog();
        Eal.shared();
        try (Mempool pool = Mempool.create(TestDataplanes.uniqueName("anscachem"), 255)) {
            int free = pool.available();
            Lcore withCache = new Lcore(catalog, 256);
            Lcore engineOnly = new Lcore(catalog, 0);
            for (int pass = 0; pass < 2; pass++) {
                for (int from = 0; from < mutated.size(); from += 32) {
                    List<byte[]> burst = mutated.subList(from, from + 32);
                    List<byte[]> got = withCache.process(pool, burst);
                    List<byte[]> expected = engineOnly.process(pool, burst);
                    for (int i = 0; i < burst.size(); i++) {
                        assertArrayEquals(expected.get(i), got.get(i), "pass " + pass + ", mutated query "
                                + (from + i) + ": " + HexFormat.of().formatHex(burst.get(i)));
                    }
                }
            }
            assertEquals(engineOnly.verdicts, withCache.verdicts, "the same frames left or dropped, same reasons");
            assertTrue(withCache.counters.get(DnsCounters.Counter.ANSWERED_FROM_CACHE) > 0, "some hits");
            assertEquals(free, pool.available(), "every mbuf back in the pool");
        }
    }

    @Test
    void settingsRefuseACacheSizeThatIsNotAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> DnsSettings.defaults().withAnswerCache(3000));
        assertThrows(IllegalArgumentException.class, () -> DnsSettings.defaults().withAnswerCache(-1));
        assertEquals(0, DnsSettings.defaults().withAnswerCache(0).answerCacheEntries());
    }

    /** One lcore's DNS stage over one port, answering bursts of frames. */
    private static final class Lcore {
        final DnsCounters counters = new DnsCounters("lcore0");
        /** Verdict/reason of every frame not sent back, in order: two lcores given the same frames must agree. */
        final List<String> verdicts = new ArrayList<>();
        final DnsStage stage;

        Lcore(ZoneCatalog catalog, int cacheEntries) {
            PortTable ports = new PortTable(List.of(new PortTable.Entry("p0", 0, MacAddress.parse(MAC),
                    List.of(Ipv4Address.parse("198.18.7.53")), List.of(Ipv6Address.parse("2001:db8:7::53")))));
            stage = new DnsStage(ports, catalog, DnsSettings.defaults().withAnswerCache(cacheEntries), counters,
                    new QueryLogWriter(new LogRing(64), counters, 0));
        }

        /** Answers the frames as one burst; returns every frame the stage sent back, and frees the mbufs. */
        List<byte[]> answer(Mempool pool, List<byte[]> frames) {
            List<byte[]> out = process(pool, frames);
            for (int i = 0; i < frames.size(); i++) {
                assertTrue(out.get(i).length > 0, "query " + i + " answered");
            }
            return out;
        }

        /**
         * Runs the frames through the stage as one burst and frees the mbufs; returns, per frame, what was sent back,
         * or an empty array with the verdict and reason for anything else.
         */
        List<byte[]> process(Mempool pool, List<byte[]> frames) {
            MbufBurst burst = new MbufBurst();
            assertTrue(burst.allocate(pool, frames.size()));
            for (int i = 0; i < frames.size(); i++) {
                byte[] f = frames.get(i);
                // Yesterday's bytes past the frame must not leak into an answer: fill the room with junk first.
                PacketMemory.ALL.asSlice(burst.dataAddress(i), 1500).fill((byte) (0xA5 + i));
                MemorySegment.copy(f, 0, PacketMemory.ALL, ValueLayout.JAVA_BYTE, burst.dataAddress(i), f.length);
                burst.setDataLength(i, f.length);
            }
            PacketFrame frame = new PacketFrame(new int[] {0}, (mbuf, port) -> {
                throw new AssertionError("the DNS stage makes no new packets");
            });
            frame.reset(burst, 0, 0, 1L);
            stage.process(frame);
            List<byte[]> out = new ArrayList<>();
            for (int i = 0; i < frames.size(); i++) {
                out.add(frame.kind(i) == PacketFrame.TRANSMIT
                        ? PacketMemory.ALL.asSlice(burst.dataAddress(i), burst.dataLength(i))
                                .toArray(ValueLayout.JAVA_BYTE)
                        : new byte[0]);
                if (frame.kind(i) != PacketFrame.TRANSMIT) {
                    verdicts.add(frame.kind(i) + "/" + frame.target(i));
                }
            }
            burst.freeAll();
            return out;
        }
    }
}
