package dev.isthmus.dns.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.dataplane.counters.DataplaneDrop;
import dev.isthmus.dataplane.counters.DropReasons;
import dev.isthmus.dataplane.packet.PacketMemory;
import dev.isthmus.dataplane.pipeline.PacketFrame;
import dev.isthmus.dataplane.port.PortSetup;
import dev.isthmus.dataplane.port.PortTable;
import dev.isthmus.dataplane.testing.Scapy;
import dev.isthmus.dataplane.testing.TestDataplanes;
import dev.isthmus.dns.edns.CookieControl;
import dev.isthmus.dns.edns.ServerIdentity;
import dev.isthmus.dns.engine.QueryEngine;
import dev.isthmus.dns.engine.ZoneCatalog;
import dev.isthmus.dns.rrl.RrlControl;
import dev.isthmus.dns.rrl.RrlSettings;
import dev.isthmus.nativebindings.Eal;
import dev.isthmus.nativebindings.MbufBurst;
import dev.isthmus.nativebindings.MbufLayout;
import dev.isthmus.nativebindings.Mempool;
import dev.isthmus.nativebindings.RxOffloads;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DNS stage over real mbufs, one burst of scapy-built frames: what it answers (untagged, 802.1Q, QinQ, IPv6,
 * FORMERR, padded), how the headers are turned around (checked by scapy, checksums included), that the DNS payload
 * is byte for byte the engine's answer as the socket transport gets it, what it leaves to other stages and what it
 * drops with which reason; that on a port with RX checksum offload the NIC's verdicts in ol_flags (set here by hand)
 * decide where they say GOOD or BAD and the software sums elsewhere; and that every mbuf goes back to the pool.
 */
class DnsStageTest {

    private static final String MAC = "02:00:00:00:06:53";
    private static final String CLIENT_MAC = "02:00:00:00:06:01";
    private static final String ETH = "Ether(src='" + CLIENT_MAC + "', dst='" + MAC + "')";
    private static final String IP4 = "IP(src='198.18.6.1', dst='198.18.6.53')";
    private static final String IP6 = "IPv6(src='2001:db8:6::1', dst='2001:db8:6::53')";
    private static final String Q = "DNS(id=4660, rd=1, qd=DNSQR(qname='www.example.test', qtype='A'))";

    private record Case(String frame, int kind, Object detail) {
    }

    private static final int TRANSMIT = PacketFrame.TRANSMIT;
    private static final int PENDING = PacketFrame.PENDING;
    private static final int DROP = PacketFrame.DROP;

    private static final List<Case> CASES = List.of(
            new Case(ETH + "/" + IP4 + "/UDP(sport=5353, dport=53)/" + Q, TRANSMIT, "IP"),
            new Case(ETH + "/Dot1Q(vlan=42)/" + IP4 + "/UDP(sport=5354, dport=53)/DNS(id=1, qd=DNSQR(qname="
                    + "'mail.example.test', qtype='AAAA'))", TRANSMIT, "IP"),
            new Case("Ether(src='" + CLIENT_MAC + "', dst='" + MAC + "', type=0x88a8)/Dot1Q(vlan=7)/Dot1Q(vlan=42)/"
                    + IP6 + "/UDP(sport=5355, dport=53)/DNS(id=2, qd=DNSQR(qname='example.test', qtype='MX'), "
                    + "ar=DNSRROPT(rclass=1232, z=0x8000))", TRANSMIT, "IPv6"),
            new Case(ETH + "/" + IP6 + "/UDP(sport=5356, dport=53)/DNS(id=3, qd=DNSQR(qname='nope.example.test'))",
                    TRANSMIT, "IPv6"),
            new Case(ETH + "/" + IP4 + "/UDP(sport=5357, dport=53)/DNS(id=4, qdcount=2, qd=DNSQR(qname="
                    + "'www.example.test'))", TRANSMIT, "IP"),
            // A header-only query: FORMERR; the frame is padded to Ethernet's 60 bytes, the padding is not DNS.
            new Case(ETH + "/" + IP4 + "/UDP(sport=5358, dport=53)/Raw(b'\\x00\\x05\\x00\\x00' + b'\\x00' * 8)"
                    + "/Padding(b'\\x00' * 6)", TRANSMIT, "IP"),
            new Case(ETH + "/IP(src='198.18.6.1', dst='198.18.6.53', options=[IPOption_NOP()] * 4)/"
                    + "UDP(sport=5359, dport=53)/" + Q, PENDING, null),
            new Case(ETH + "/" + IP6 + "/IPv6ExtHdrHopByHop()/UDP(sport=5360, dport=53)/" + Q, PENDING, null),
            new Case(ETH + "/" + IP4 + "/TCP(sport=5361, dport=53, flags='S')", PENDING, null),
            new Case(ETH + "/" + IP4 + "/UDP(sport=5362, dport=54)/" + Q, PENDING, null),
            new Case(ETH + "/IP(src='198.18.6.1', dst='198.18.6.99')/UDP(sport=5363, dport=53)/" + Q, PENDING, null),
            new Case(ETH + "/" + IP4 + "/UDP(sport=5364, dport=53, chksum=0x1234)/" + Q, DROP,
                    DataplaneDrop.UDP_BAD_CHECKSUM),
            new Case(ETH + "/" + IP6 + "/UDP(sport=5365, dport=53, chksum=0)/" + Q, DROP,
                    DataplaneDrop.UDP_BAD_CHECKSUM),
            new Case(ETH + "/" + IP4 + "/UDP(sport=5366, dport=53)/DNS(qr=1, qd=DNSQR(qname='www.example.test'))",
                    DROP, DnsDrop.RESPONSE),
            new Case(ETH + "/" + IP4 + "/UDP(sport=5367, dport=53)/Raw(b'\\x00\\x01\\x00')", DROP, DnsDrop.TOO_SHORT),
            new Case(ETH + "/IP(src='127.0.0.1', dst='198.18.6.53')/UDP(sport=5368, dport=53)/" + Q, DROP,
                    DnsDrop.BOGUS_SOURCE),
            new Case(ETH + "/IP(src='198.18.6.1', dst='198.18.6.53', chksum=0x4321)/UDP(sport=5369, dport=53)/" + Q,
                    DROP, DataplaneDrop.IPV4_BAD_CHECKSUM),
            // UDP whose header the parser found malformed: dropped with its reason when it is to our address, whatever
            // the port (the one-compare pass-over is for well-formed UDP only), left pending when it is not.
            new Case(ETH + "/" + IP4 + "/UDP(sport=5371, dport=4789, len=200)/" + Q, DROP,
                    DataplaneDrop.UDP_BAD_LENGTH),
            new Case(ETH + "/IP(src='198.18.6.1', dst='198.18.6.99')/UDP(sport=5372, dport=53, len=200)/" + Q,
                    PENDING, null),
            new Case(ETH + "/" + IP6 + "/UDP(sport=5373, dport=53, len=4)/" + Q, DROP, DataplaneDrop.UDP_BAD_LENGTH),
            // NOTIFY (RFC 1996) is the control plane's: left for the exception path, not answered NOTIMP.
            new Case(ETH + "/" + IP4 + "/UDP(sport=5370, dport=53)/DNS(id=5, opcode=4, aa=1, qd=DNSQR(qname="
                    + "'example.test', qtype='SOA'))", PENDING, null));

    @Test
    void answersInPlaceLeavesWhatIsNotItsAndDropsTheMalformed() throws Exception {
        List<byte[]> frames = Scapy.build(CASES.stream().map(Case::frame).toList());
        ZoneCatalog catalog = DnsOverTapTest.sampleCatalog();
        Eal.shared();
        try (Mempool pool = Mempool.create(TestDataplanes.uniqueName("dnsstage"), 255)) {
            int free = pool.available();
            MbufBurst burst = new MbufBurst();
            assertEquals(true, burst.allocate(pool, frames.size()));
            List<byte[]> expectedDns = new ArrayList<>();
            QueryEngine reference = new QueryEngine(catalog);
            for (int i = 0; i < frames.size(); i++) {
                byte[] f = frames.get(i);
                MemorySegment.copy(f, 0, PacketMemory.ALL, ValueLayout.JAVA_BYTE, burst.dataAddress(i), f.length);
                burst.setDataLength(i, f.length);
                expectedDns.add(referenceAnswer(reference, f));
            }
            PortTable ports = new PortTable(List.of(new PortTable.Entry("p0", 0, MacAddress.parse(MAC),
                    List.of(Ipv4Address.parse("198.18.6.53")), List.of(Ipv6Address.parse("2001:db8:6::53")))));
            DnsCounters counters = new DnsCounters("lcore0");
            LogRing ring = new LogRing(64);
            DnsStage stage = new DnsStage(ports, catalog, DnsSettings.defaults().withQueryLog(1), counters,
                    new QueryLogWriter(ring, counters, 1));
            PacketFrame frame = new PacketFrame(new int[] {0}, (mbuf, port) -> {
                throw new AssertionError("the DNS stage makes no new packets");
            });
            frame.reset(burst, 0, 0, System.nanoTime());
            stage.process(frame);

            List<byte[]> answered = new ArrayList<>();
            List<String> checks = new ArrayList<>();
            for (int i = 0; i < CASES.size(); i++) {
                Case c = CASES.get(i);
                assertEquals(c.kind(), frame.kind(i), "verdict of case " + i + ": " + c.frame());
                if (c.kind() == DROP) {
                    assertEquals(c.detail() instanceof DnsDrop d ? DropReasons.code(d)
                            : DropReasons.code((DataplaneDrop) c.detail()), frame.target(i), "reason of case " + i);
                } else if (c.kind() == TRANSMIT) {
                    assertEquals(0, frame.target(i), "sent back out of the input port");
                    byte[] out = PacketMemory.ALL.asSlice(burst.dataAddress(i), burst.dataLength(i))
                            .toArray(ValueLayout.JAVA_BYTE);
                    answered.add(out);
                    String l3 = (String) c.detail();
                    checks.add("(p.src, p.dst, p[" + l3 + "].src, p[" + l3 + "].dst, p[UDP].sport, p[UDP].dport, "
                            + (l3.equals("IP") ? "ok(p, IP), p[IP].ttl, " : "p[IPv6].hlim, ")
                            + "ok(p, UDP), p[UDP].len == len(p[UDP]), bytes(p[UDP].payload).hex())");
                    byte[] dns = expectedDns.get(i);
                    byte[] tail = java.util.Arrays.copyOfRange(out, out.length - dns.length, out.length);
                    assertArrayEquals(dns, tail, "DNS payload of case " + i + " is the engine's answer");
                }
            }
            List<String> decoded = Scapy.decode(answered, checks);
            int k = 0;
            for (int i = 0; i < CASES.size(); i++) {
                if (CASES.get(i).kind() != TRANSMIT) {
                    continue;
                }
                boolean v6 = CASES.get(i).detail().equals("IPv6");
                String sport = Integer.toString(5353 + i);
                String expected = "('" + MAC + "', '" + CLIENT_MAC + "', '" + (v6 ? "2001:db8:6::53" : "198.18.6.53")
                        + "', '" + (v6 ? "2001:db8:6::1" : "198.18.6.1") + "', 53, " + sport + ", "
                        + (v6 ? "64, " : "True, 64, ") + "True, True, '"
                        + java.util.HexFormat.of().formatHex(expectedDns.get(i)) + "')";
                assertEquals(expected, decoded.get(k++), "case " + i + " as scapy reads it");
            }
            assertEquals(6, counters.get(DnsCounters.Counter.ANSWERED));
            assertEquals(2, counters.rcode(1), "two FORMERR");
            assertEquals(1, counters.rcode(3), "one NXDOMAIN");
            assertEquals(2, counters.get(DnsCounters.Counter.ANSWERED_IPV6));
            assertEquals(6, ring.available(), "one query-log record per answer");

            burst.freeAll();
            assertEquals(free, pool.available(), "every mbuf back in the pool");
        }
    }

    @Test
    void portsWithChecksumOffloadLeaveTheChecksumsToTheNic() throws Exception {
        byte[] query = Scapy.build(ETH + "/" + IP4 + "/UDP(sport=5370, dport=53)/" + Q);
        Eal.shared();
        try (Mempool pool = Mempool.create(TestDataplanes.uniqueName("dnsoffload"), 63)) {
            MbufBurst burst = new MbufBurst();
            assertEquals(true, burst.allocate(pool, 1));
            MemorySegment.copy(query, 0, PacketMemory.ALL, ValueLayout.JAVA_BYTE, burst.dataAddress(0), query.length);
            burst.setDataLength(0, query.length);
            PortTable ports = new PortTable(List.of(new PortTable.Entry("p0", 0, MacAddress.parse(MAC),
                    List.of(Ipv4Address.parse("198.18.6.53")), List.of(),
                    dev.isthmus.dataplane.port.PortSetup.ADDRESSED_PORT_TX_OFFLOADS)));
            DnsCounters counters = new DnsCounters("lcore0");
            DnsSettings settings = new DnsSettings(1500, 0, 64, 0);
            DnsStage stage = new DnsStage(ports, DnsOverTapTest.sampleCatalog(), settings, counters,
                    new QueryLogWriter(new LogRing(64), counters, 0));
            PacketFrame frame = new PacketFrame(new int[] {0}, (mbuf, port) -> {
            });
            frame.reset(burst, 0, 0, 1L);
            stage.process(frame);
            assertEquals(TRANSMIT, frame.kind(0));
            long mbuf = burst.mbuf(0);
            long flags = burst.olFlags(0);
            long wanted = dev.isthmus.nativebindings.TxOffloads.MBUF_IPV4 | dev.isthmus.nativebindings.TxOffloads.MBUF_IP_CKSUM
                    | dev.isthmus.nativebindings.TxOffloads.MBUF_UDP_CKSUM;
            assertEquals(wanted, flags & dev.isthmus.nativebindings.TxOffloads.MBUF_TX_MASK, "TX offload flags");
            assertEquals(dev.isthmus.nativebindings.MbufLayout.packTxOffload(14, 20, 0),
                    PacketMemory.ALL.get(ValueLayout.JAVA_LONG, mbuf + dev.isthmus.nativebindings.MbufLayout.TX_OFFLOAD),
                    "l2_len 14, l3_len 20");
            long ip = burst.dataAddress(0) + 14;
            assertEquals(0, PacketMemory.u16(ip + 10), "IP checksum left to the NIC");
            int udpLength = PacketMemory.u16(ip + 24);
            long pseudo = dev.isthmus.dataplane.packet.InternetChecksum.ipv4PseudoHeader(PacketMemory.i32(ip + 12),
                    PacketMemory.i32(ip + 16), 17, udpLength);
            assertEquals(dev.isthmus.dataplane.packet.InternetChecksum.fold(pseudo), PacketMemory.u16(ip + 26),
                    "UDP checksum field holds the pseudo-header sum (rte_ipv4_phdr_cksum)");
            burst.freeAll();
        }
    }

    /** A query, the port it comes in on, the ol_flags its mbuf is given by hand, and what the stage must do. */
    private record FlaggedCase(String frame, int dpdkPort, long olFlags, int kind, DataplaneDrop reason) {
    }

    private static final long IP_GOOD = RxOffloads.MBUF_IP_CKSUM_GOOD;
    private static final long IP_BAD = RxOffloads.MBUF_IP_CKSUM_BAD;
    private static final long L4_GOOD = RxOffloads.MBUF_L4_CKSUM_GOOD;
    private static final long L4_BAD = RxOffloads.MBUF_L4_CKSUM_BAD;
    private static final long L4_NONE = RxOffloads.MBUF_L4_CKSUM_NONE;
    private static final long UNKNOWN = RxOffloads.MBUF_IP_CKSUM_UNKNOWN | RxOffloads.MBUF_L4_CKSUM_UNKNOWN;
    private static final String WRONG_UDP = "UDP(sport=5380, dport=53, chksum=0x1234)/";
    private static final String RIGHT_UDP = "UDP(sport=5381, dport=53)/";
    private static final String WRONG_IP4 = "IP(src='198.18.6.1', dst='198.18.6.53', chksum=0x4321)/";

    @Test
    void portsWithRxChecksumOffloadTakeTheNicsVerdictFromOlFlags() throws Exception {
        int offloaded = 0;
        int plain = 1;
        List<FlaggedCase> cases = List.of(
                // GOOD is believed: a wrong checksum in the packet is not summed, so the query is answered.
                new FlaggedCase(ETH + "/" + IP4 + "/" + WRONG_UDP + Q, offloaded, IP_GOOD | L4_GOOD, TRANSMIT, null),
                new FlaggedCase(ETH + "/" + WRONG_IP4 + RIGHT_UDP + Q, offloaded, IP_GOOD | L4_GOOD, TRANSMIT, null),
                new FlaggedCase(ETH + "/" + IP6 + "/" + WRONG_UDP + Q, offloaded, L4_GOOD, TRANSMIT, null),
                // BAD is believed: right checksums in the packet, dropped with the reasons the sums would give.
                new FlaggedCase(ETH + "/" + IP4 + "/" + RIGHT_UDP + Q, offloaded, IP_GOOD | L4_BAD, DROP,
                        DataplaneDrop.UDP_BAD_CHECKSUM),
                new FlaggedCase(ETH + "/" + IP4 + "/" + RIGHT_UDP + Q, offloaded, IP_BAD | L4_GOOD, DROP,
                        DataplaneDrop.IPV4_BAD_CHECKSUM),
                new FlaggedCase(ETH + "/" + IP6 + "/" + RIGHT_UDP + Q, offloaded, L4_BAD, DROP,
                        DataplaneDrop.UDP_BAD_CHECKSUM),
                // UNKNOWN and NONE: summed in software, as without offload.
                new FlaggedCase(ETH + "/" + IP4 + "/" + WRONG_UDP + Q, offloaded, UNKNOWN, DROP,
                        DataplaneDrop.UDP_BAD_CHECKSUM),
                new FlaggedCase(ETH + "/" + WRONG_IP4 + RIGHT_UDP + Q, offloaded, UNKNOWN, DROP,
                        DataplaneDrop.IPV4_BAD_CHECKSUM),
                new FlaggedCase(ETH + "/" + IP4 + "/" + RIGHT_UDP + Q, offloaded, UNKNOWN, TRANSMIT, null),
                new FlaggedCase(ETH + "/" + IP6 + "/" + WRONG_UDP + Q, offloaded, L4_NONE, DROP,
                        DataplaneDrop.UDP_BAD_CHECKSUM),
                // A zero UDP checksum: none sent over IPv4 (RFC 768), answered even if a NIC calls it BAD; over
                // IPv6 dropped even if a NIC calls it GOOD (RFC 8200 §8.1).
                new FlaggedCase(ETH + "/" + IP4 + "/UDP(sport=5382, dport=53, chksum=0)/" + Q, offloaded,
                        IP_GOOD | L4_BAD, TRANSMIT, null),
                new FlaggedCase(ETH + "/" + IP6 + "/UDP(sport=5383, dport=53, chksum=0)/" + Q, offloaded, L4_GOOD,
                        DROP, DataplaneDrop.UDP_BAD_CHECKSUM),
                // Octets after the datagram inside the IP packet: the NIC's sum is not RFC 768's, so summed here.
                new FlaggedCase(ETH + "/" + IP4 + "/UDP(sport=5384, dport=53, chksum=0x1234, len=8 + len(" + Q
                        + "))/" + Q + "/Raw(b'\\x00' * 4)", offloaded, IP_GOOD | L4_GOOD, DROP,
                        DataplaneDrop.UDP_BAD_CHECKSUM),
                // A port without RX offload: its mbufs' flags are not read.
                new FlaggedCase(ETH + "/" + IP4 + "/" + WRONG_UDP + Q, plain, IP_GOOD | L4_GOOD, DROP,
                        DataplaneDrop.UDP_BAD_CHECKSUM),
                new FlaggedCase(ETH + "/" + IP4 + "/" + RIGHT_UDP + Q, plain, IP_BAD | L4_BAD, TRANSMIT, null));
        List<byte[]> frames = Scapy.build(cases.stream().map(FlaggedCase::frame).toList());
        Eal.shared();
        try (Mempool pool = Mempool.create(TestDataplanes.uniqueName("dnsrxflags"), 63)) {
            int free = pool.available();
            MbufBurst burst = burstOf(pool, frames);
            for (int i = 0; i < frames.size(); i++) {
                long mbuf = burst.mbuf(i);
                PacketMemory.ALL.set(ValueLayout.JAVA_SHORT, mbuf + MbufLayout.PORT, (short) cases.get(i).dpdkPort());
                PacketMemory.ALL.set(ValueLayout.JAVA_LONG, mbuf + MbufLayout.OL_FLAGS, cases.get(i).olFlags());
            }
            List<Ipv4Address> v4 = List.of(Ipv4Address.parse("198.18.6.53"));
            List<Ipv6Address> v6 = List.of(Ipv6Address.parse("2001:db8:6::53"));
            PortTable ports = new PortTable(List.of(
                    new PortTable.Entry("p0", offloaded, MacAddress.parse(MAC), v4, v6,
                            PortSetup.ADDRESSED_PORT_RX_OFFLOADS, 0),
                    new PortTable.Entry("p1", plain, MacAddress.parse(MAC), v4, v6)));
            DnsCounters counters = new DnsCounters("lcore0");
            DnsStage stage = new DnsStage(ports, DnsOverTapTest.sampleCatalog(), DnsSettings.defaults(), counters,
                    null);
            // The frame takes each port's RX offloads from the table: it parses the headers, verdicts included.
            PacketFrame frame = new PacketFrame(ports, (mbuf, port) -> {
                throw new AssertionError("the DNS stage makes no new packets");
            });
            frame.reset(burst, -1, 0, 1L); // input port per mbuf, from its port field
            stage.process(frame);
            for (int i = 0; i < cases.size(); i++) {
                FlaggedCase c = cases.get(i);
                String what = "case " + i + " (port " + c.dpdkPort() + ", ol_flags 0x" + Long.toHexString(c.olFlags())
                        + "): " + c.frame();
                assertEquals(c.kind(), frame.kind(i), what);
                if (c.kind() == DROP) {
                    assertEquals(DropReasons.code(c.reason()), frame.target(i), "reason of " + what);
                } else {
                    assertEquals(c.dpdkPort(), frame.target(i), "sent back out of the input port: " + what);
                }
            }
            burst.freeAll();
            assertEquals(free, pool.available(), "every mbuf back in the pool");
        }
    }

    /**
     * The stage's UDP checksum verdict (its pseudo-header summed from the addresses and UDP Length it loaded) against
     * the parser's {@link dev.isthmus.dataplane.packet.PacketHeaders#l4ChecksumValid} on an identical copy of each
     * frame: IPv4 and IPv6, tagged, odd lengths (the ab. and abc. queries), octets after the datagram, and random
     * variants of each — checksum fields made wrong, 0 or 0xFFFF, payload octets changed with the checksum left or
     * recomputed (by RFC 1071's 16-bit definition, here). A query is dropped as UDP_BAD_CHECKSUM exactly when the
     * parser's sum says wrong: with the packet cache on (which finishes the sum as it reads the key: misses, hits of a
     * wrong checksum over a cached query, flags changed into a response or NOTIFY) and off (the stage's own pass).
     */
    @ParameterizedTest
    @ValueSource(ints = {DnsSettings.DEFAULT_ANSWER_CACHE_ENTRIES, 0})
    void udpChecksumVerdictIsTheParsersOnRandomVariants(int cacheEntries) throws Exception {
        List<String> bases = List.of(
                ETH + "/" + IP4 + "/UDP(sport=5390, dport=53)/" + Q,
                ETH + "/Dot1Q(vlan=42)/" + IP4 + "/UDP(sport=5391, dport=53)/DNS(id=7, "
                        + "qd=DNSQR(qname='mail.example.test', qtype='AAAA'), ar=DNSRROPT(rclass=1232))",
                ETH + "/" + IP4 + "/UDP(sport=5392, dport=53)/DNS(id=8, qd=DNSQR(qname='ab.example.test'))",
                ETH + "/" + IP4 + "/UDP(sport=5393, dport=53, len=8 + len(" + Q + "))/" + Q + "/Raw(b'\\x07' * 5)",
                ETH + "/" + IP6 + "/UDP(sport=5394, dport=53)/" + Q,
                ETH + "/" + IP6 + "/UDP(sport=5395, dport=53)/DNS(id=9, qd=DNSQR(qname='abc.example.test'), "
                        + "ar=DNSRROPT(rclass=1232, z=0x8000))");
        List<byte[]> built = Scapy.build(bases);
        java.util.Random random = new java.util.Random(20261204);
        List<byte[]> frames = new ArrayList<>();
        for (byte[] base : built) {
            frames.add(base);
            for (int v = 0; v < 40; v++) {
                frames.add(variant(base, random));
            }
        }
        List<Ipv4Address> v4 = List.of(Ipv4Address.parse("198.18.6.53"));
        List<Ipv6Address> v6 = List.of(Ipv6Address.parse("2001:db8:6::53"));
        PortTable ports = new PortTable(List.of(new PortTable.Entry("p0", 0, MacAddress.parse(MAC), v4, v6)));
        DnsStage stage = new DnsStage(ports, DnsOverTapTest.sampleCatalog(),
                DnsSettings.defaults().withAnswerCache(cacheEntries), new DnsCounters("lcore0"), null);
        Eal.shared();
        int wrong = 0;
        int right = 0;
        try (Mempool pool = Mempool.create(TestDataplanes.uniqueName("dnsudpsum"), 127)) {
            int free = pool.available();
            for (int start = 0; start < frames.size(); start += MbufBurst.MAX) {
                List<byte[]> chunk = frames.subList(start, Math.min(frames.size(), start + MbufBurst.MAX));
                MbufBurst parsed = burstOf(pool, chunk);
                MbufBurst answered = burstOf(pool, chunk);
                PacketFrame oracle = new PacketFrame(new int[] {0}, (mbuf, port) -> {
                    throw new AssertionError("no new packets");
                });
                oracle.reset(parsed, 0, 0, 1L);
                PacketFrame frame = new PacketFrame(new int[] {0}, (mbuf, port) -> {
                    throw new AssertionError("the DNS stage makes no new packets");
                });
                frame.reset(answered, 0, 0, 1L);
                stage.process(frame);
                for (int i = 0; i < chunk.size(); i++) {
                    String what = "frame " + (start + i) + ": " + java.util.HexFormat.of().formatHex(chunk.get(i));
                    assertEquals(DropReasons.VALID, oracle.headers().l4Status(i), what);
                    boolean valid = oracle.headers().l4ChecksumValid(i, parsed.dataAddress(i));
                    boolean droppedAsBadSum = frame.kind(i) == DROP
                            && frame.target(i) == DropReasons.code(DataplaneDrop.UDP_BAD_CHECKSUM);
                    assertEquals(!valid, droppedAsBadSum, what);
                    if (valid) {
                        right++;
                    } else {
                        wrong++;
                    }
                }
                parsed.freeAll();
                answered.freeAll();
            }
            assertEquals(free, pool.available(), "every mbuf back in the pool");
        }
        assertEquals(true, right > 60 && wrong > 60, "both verdicts well represented: " + right + " right, "
                + wrong + " wrong");
    }

    /**
     * The query's UDP checksum finished from what reads the query anyway — the engine's parse with the packet cache
     * off ({@link QueryEngine#lastQuerySum}), the cache's key hash with it on — against the stage's own pass before
     * the answer (the same stage with an NSID configured, which sums first: no query here asks for the NSID): every
     * frame's verdict and drop reason, every response byte, every counter, the query log (every third query) and
     * response-rate limiting (when on, its accounts decide drops and slips) are the same, and a query is dropped as
     * UDP_BAD_CHECKSUM exactly when the parser's sum says wrong. The queries: even and odd names, OPT records with
     * options (a cookie, an odd-length one, padding: options at odd offsets, an odd-length message), octets after the
     * message, an IXFR's SOA in authority, a TSIG record, an answer record, another opcode, a bare header (the engine
     * does not read those whole: summed by the stage, then answered), over IPv4 and IPv6; each with one bit flipped
     * in each octet of the message in turn (header, question, OPT, trailing octets), the checksum left as it was
     * (wrong) and made right again, and one flipped in the checksum field; all sent twice (cache hits).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"64, false", "0, false", "64, true", "0, true"})
    void queryChecksumFromTheParseIsTheStagesOwnPass(int cacheEntries, boolean rateLimiting) throws Exception {
        String opt = "ar=DNSRROPT(rclass=1232, rdata=[EDNS0TLV(optcode=10, optdata=b'\\x01' * 8)])";
        List<String> messages = List.of(
                Q,
                "DNS(id=11, qd=DNSQR(qname='ab.example.test'), " + opt + ")",
                "DNS(id=12, qd=DNSQR(qname='www.example.test', qtype='TXT'), ar=DNSRROPT(rclass=1232, rdata=["
                        + "EDNS0TLV(optcode=65001, optdata=b'\\x05' * 3), "
                        + "EDNS0TLV(optcode=12, optdata=b'\\x00' * 36)]))",
                "DNS(id=13, qd=DNSQR(qname='mail.example.test', qtype='AAAA'))/Raw(b'\\x07' * 5)",
                "DNS(id=14, qd=DNSQR(qname='ab.example.test'), " + opt + ")/Raw(b'\\x09\\x08')",
                "DNS(id=15, qd=DNSQR(qname='example.test', qtype='IXFR'), "
                        + "ns=DNSRRSOA(rrname='example.test', serial=1))",
                "DNS(id=16, qd=DNSQR(qname='www.example.test'), arcount=1)"
                        + "/Raw(b'\\x00\\x00\\xfa\\x00\\xff\\x00\\x00\\x00\\x00\\x00\\x03abc')",
                "DNS(id=17, qd=DNSQR(qname='www.example.test'), an=DNSRR(rrname='www.example.test', rdata='1.2.3.4'))",
                "DNS(id=18, opcode=2, qd=DNSQR(qname='www.example.test'))",
                "Raw(b'\\x00\\x13\\x01\\x00' + b'\\x00' * 8)",
                "DNS(id=20, qd=DNSQR(qname='nope.example.test', qtype='MX'), ar=DNSRROPT(rclass=4096))");
        List<String> bases = new ArrayList<>();
        int sport = 5400;
        for (String m : messages) {
            bases.add(ETH + "/" + IP4 + "/UDP(sport=" + sport++ + ", dport=53)/" + m);
        }
        for (String m : List.of(messages.get(1), messages.get(2), messages.get(3))) {
            bases.add(ETH + "/Dot1Q(vlan=42)/" + IP6 + "/UDP(sport=" + sport++ + ", dport=53)/" + m);
        }
        java.util.Random random = new java.util.Random(20261205);
        List<byte[]> frames = new ArrayList<>();
        for (byte[] base : Scapy.build(bases)) {
            frames.add(base);
            int dns = dnsOffset(base);
            int udp = dns - 8;
            int udpLength = ((base[udp + 4] & 0xFF) << 8) | (base[udp + 5] & 0xFF);
            for (int k = dns; k < udp + udpLength; k++) {
                byte[] wrong = base.clone();
                wrong[k] ^= (byte) (1 << random.nextInt(8));
                frames.add(wrong);
                byte[] right = wrong.clone();
                right[udp + 6] = 0;
                right[udp + 7] = 0;
                int c = referenceUdpChecksum(right, udp, udpLength);
                right[udp + 6] = (byte) (c >>> 8);
                right[udp + 7] = (byte) c;
                frames.add(right);
            }
            byte[] field = base.clone();
            field[udp + 6 + random.nextInt(2)] ^= (byte) (1 << random.nextInt(8));
            frames.add(field);
        }
        List<Ipv4Address> v4 = List.of(Ipv4Address.parse("198.18.6.53"));
        List<Ipv6Address> v6 = List.of(Ipv6Address.parse("2001:db8:6::53"));
        PortTable ports = new PortTable(List.of(new PortTable.Entry("p0", 0, MacAddress.parse(MAC), v4, v6)));
        ZoneCatalog catalog = DnsOverTapTest.sampleCatalog();
        DnsSettings settings = DnsSettings.defaults().withAnswerCache(cacheEntries).withQueryLog(3);
        RrlSettings rrl = rateLimiting ? new RrlSettings(40, 2, 15, 24, 56, List.of()) : RrlSettings.OFF;
        DnsCounters laterCounters = new DnsCounters("lcore0");
        DnsCounters ownCounters = new DnsCounters("lcore0");
        LogRing laterRing = new LogRing(2048);
        LogRing ownRing = new LogRing(2048);
        DnsStage later = new DnsStage(ports, catalog, settings, laterCounters, new QueryLogWriter(laterRing,
                laterCounters, 3), new RrlControl(rrl), new CookieControl(), ServerIdentity.NONE);
        DnsStage own = new DnsStage(ports, catalog, settings, ownCounters, new QueryLogWriter(ownRing, ownCounters, 3),
                new RrlControl(rrl), new CookieControl(), new ServerIdentity("qsum", "", ""));
        Eal.shared();
        int wrong = 0;
        int answered = 0;
        try (Mempool pool = Mempool.create(TestDataplanes.uniqueName("dnsqsum"), 127)) {
            int free = pool.available();
            for (int pass = 0; pass < 2; pass++) {
                for (int start = 0; start < frames.size(); start += MbufBurst.MAX) {
                    List<byte[]> chunk = frames.subList(start, Math.min(frames.size(), start + MbufBurst.MAX));
                    MbufBurst parsed = burstOf(pool, chunk);
                    MbufBurst laterBurst = burstOf(pool, chunk);
                    MbufBurst ownBurst = burstOf(pool, chunk);
                    PacketFrame oracle = new PacketFrame(new int[] {0}, (mbuf, port) -> {
                        throw new AssertionError("no new packets");
                    });
                    oracle.reset(parsed, 0, 0, 1L);
                    PacketFrame laterFrame = new PacketFrame(new int[] {0}, (mbuf, port) -> {
                        throw new AssertionError("the DNS stage makes no new packets");
                    });
                    laterFrame.reset(laterBurst, 0, 0, 1L);
                    PacketFrame ownFrame = new PacketFrame(new int[] {0}, (mbuf, port) -> {
                        throw new AssertionError("the DNS stage makes no new packets");
                    });
                    ownFrame.reset(ownBurst, 0, 0, 1L);
                    later.process(laterFrame);
                    own.process(ownFrame);
                    for (int i = 0; i < chunk.size(); i++) {
                        String what = "pass " + pass + ", frame " + (start + i) + ": "
                                + java.util.HexFormat.of().formatHex(chunk.get(i));
                        boolean valid = oracle.headers().l4ChecksumValid(i, parsed.dataAddress(i));
                        boolean droppedAsBadSum = laterFrame.kind(i) == DROP
                                && laterFrame.target(i) == DropReasons.code(DataplaneDrop.UDP_BAD_CHECKSUM);
                        assertEquals(!valid, droppedAsBadSum, what);
                        assertEquals(ownFrame.kind(i), laterFrame.kind(i), what);
                        assertEquals(ownFrame.target(i), laterFrame.target(i), what);
                        byte[] laterOut = PacketMemory.ALL.asSlice(laterBurst.dataAddress(i),
                                laterBurst.dataLength(i)).toArray(ValueLayout.JAVA_BYTE);
                        if (laterFrame.kind(i) == TRANSMIT) {
                            answered++;
                            assertArrayEquals(PacketMemory.ALL.asSlice(ownBurst.dataAddress(i),
                                    ownBurst.dataLength(i)).toArray(ValueLayout.JAVA_BYTE), laterOut, what);
                        }
                        wrong += valid ? 0 : 1;
                    }
                    parsed.freeAll();
                    laterBurst.freeAll();
                    ownBurst.freeAll();
                }
                for (DnsCounters.Counter c : DnsCounters.Counter.values()) {
                    assertEquals(ownCounters.get(c), laterCounters.get(c), c.name());
                }
                for (int r = 0; r < DnsCounters.RCODES; r++) {
                    assertEquals(ownCounters.rcode(r), laterCounters.rcode(r), "rcode " + r);
                }
                for (int t = 0; t < DnsCounters.QTYPES; t++) {
                    assertEquals(ownCounters.qtype(t), laterCounters.qtype(t), "qtype slot " + t);
                }
                assertEquals(ownRing.available(), laterRing.available(), "query-log records");
                assertArrayEquals(ownRing.bytes(), laterRing.bytes(), "query-log records");
            }
            assertEquals(free, pool.available(), "every mbuf back in the pool");
        }
        assertEquals(true, wrong > 900 && answered > 900, wrong + " wrong sums, " + answered + " answered");
        assertEquals(true, laterRing.available() > 100, laterRing.available() + " logged");
    }

    /**
     * The response's UDP checksum, where the engine gave the response's sum (direct answers: no pass over the
     * response) and where it did not (referrals, TC, REFUSED: a pass), and from the packet cache (missed, then hit),
     * equals RFC 768's checksum by RFC 1071's 16-bit definition over the final packet: IPv4 and IPv6, tagged,
     * question names of odd and even lengths in mixed case (what follows the question at odd and even offsets), every
     * kind of answer of the sample zone (A, AAAA, TXT, apex SOA/NS/MX bodies, CNAME, SRV, wildcard, NODATA, NXDOMAIN,
     * referral, TC, REFUSED, FORMERR, BADVERS), without EDNS, with EDNS, with DO.
     */
    @Test
    void responseUdpChecksumsAreAPassOverTheResponse() throws Exception {
        List<String> questions = List.of("www.example.test/A", "WwW.example.test/AAAA", "mail.EXAMPLE.test/TXT",
                "example.test/SOA", "Example.Test/NS", "example.test/MX", "example.test/TXT", "ftp.example.test/A",
                "_sip._udp.example.test/SRV", "x.apps.example.test/A", "abc.apps.example.test/TXT",
                "www.example.test/MX", "nope.example.test/A", "nopes.example.test/A", "www.child.example.test/A",
                "big.example.test/TXT", "www.elsewhere.invalid/A", "ns1.example.test/A", "ns2.example.test/A");
        List<String> expressions = new ArrayList<>();
        int port = 20000;
        for (String q : questions) {
            String[] nameType = q.split("/");
            String dnsQr = "qd=DNSQR(qname='" + nameType[0] + "', qtype='" + nameType[1] + "')";
            for (String opt : List.of("", ", ar=DNSRROPT(rclass=1232)", ", ar=DNSRROPT(rclass=1232, z=0x8000)",
                    ", ar=DNSRROPT(rclass=1232, version=1)", ", qdcount=2")) {
                for (String l3 : List.of(ETH + "/" + IP4, ETH + "/Dot1Q(vlan=42)/" + IP6)) {
                    expressions.add(l3 + "/UDP(sport=" + port++ + ", dport=53)/DNS(id=" + port + ", rd=1, " + dnsQr
                            + opt + ")");
                }
            }
        }
        List<byte[]> frames = Scapy.build(expressions);
        List<Ipv4Address> v4 = List.of(Ipv4Address.parse("198.18.6.53"));
        List<Ipv6Address> v6 = List.of(Ipv6Address.parse("2001:db8:6::53"));
        PortTable ports = new PortTable(List.of(new PortTable.Entry("p0", 0, MacAddress.parse(MAC), v4, v6)));
        ZoneCatalog catalog = DnsOverTapTest.sampleCatalog();
        Eal.shared();
        try (Mempool pool = Mempool.create(TestDataplanes.uniqueName("dnsrespsum"), 127)) {
            int free = pool.available();
            for (int entries : new int[] {0, 64}) {
                DnsStage stage = new DnsStage(ports, catalog, DnsSettings.defaults().withAnswerCache(entries),
                        new DnsCounters("lcore0"), null);
                // With the cache the frames go twice: the engine's answers stored, then hits.
                for (int pass = 0; pass < (entries == 0 ? 1 : 2); pass++) {
                    int answered = 0;
                    for (int start = 0; start < frames.size(); start += MbufBurst.MAX) {
                        List<byte[]> chunk = frames.subList(start, Math.min(frames.size(), start + MbufBurst.MAX));
                        MbufBurst burst = burstOf(pool, chunk);
                        PacketFrame frame = new PacketFrame(new int[] {0}, (mbuf, p) -> {
                            throw new AssertionError("the DNS stage makes no new packets");
                        });
                        frame.reset(burst, 0, 0, 1L);
                        stage.process(frame);
                        for (int i = 0; i < chunk.size(); i++) {
                            assertEquals(TRANSMIT, frame.kind(i), expressions.get(start + i));
                            byte[] out = PacketMemory.ALL.asSlice(burst.dataAddress(i), burst.dataLength(i))
                                    .toArray(ValueLayout.JAVA_BYTE);
                            int udp = dnsOffset(out) - 8;
                            int udpLength = ((out[udp + 4] & 0xFF) << 8) | (out[udp + 5] & 0xFF);
                            int sent = ((out[udp + 6] & 0xFF) << 8) | (out[udp + 7] & 0xFF);
                            out[udp + 6] = 0;
                            out[udp + 7] = 0;
                            assertEquals(referenceUdpChecksum(out, udp, udpLength), sent, "cache " + entries
                                    + " pass " + pass + ": " + expressions.get(start + i) + "\n"
                                    + java.util.HexFormat.of().formatHex(out));
                            answered++;
                        }
                        burst.freeAll();
                    }
                    assertEquals(frames.size(), answered);
                }
            }
            assertEquals(free, pool.available(), "every mbuf back in the pool");
        }
    }

    /** A copy of {@code base} with its UDP checksum or payload changed at random (see the test above). */
    private static byte[] variant(byte[] base, java.util.Random random) {
        byte[] f = base.clone();
        int dns = dnsOffset(f);
        int udp = dns - 8;
        int udpLength = ((f[udp + 4] & 0xFF) << 8) | (f[udp + 5] & 0xFF);
        switch (random.nextInt(5)) {
            case 0 -> {
                int c = random.nextInt(0x10000);
                f[udp + 6] = (byte) (c >>> 8);
                f[udp + 7] = (byte) c;
            }
            case 1 -> {
                f[udp + 6] = 0;
                f[udp + 7] = 0;
            }
            case 2 -> {
                // 0xFFFF and a computed 0 are the same sum (RFC 768 sends the latter as the former).
                f[udp + 6] = (byte) 0xFF;
                f[udp + 7] = (byte) 0xFF;
            }
            case 3 -> f[dns + 2 + random.nextInt(udpLength - 10)] ^= (byte) (1 + random.nextInt(255));
            default -> {
                // A payload octet after the header flags changed, then the checksum made right again.
                f[dns + 4 + random.nextInt(udpLength - 12)] ^= (byte) (1 + random.nextInt(255));
                f[udp + 6] = 0;
                f[udp + 7] = 0;
                int c = referenceUdpChecksum(f, udp, udpLength);
                f[udp + 6] = (byte) (c >>> 8);
                f[udp + 7] = (byte) c;
            }
        }
        return f;
    }

    /** RFC 768 by RFC 1071's definition, 16 bits at a time over pseudo-header and datagram; 0 sent as 0xFFFF. */
    private static int referenceUdpChecksum(byte[] f, int udp, int udpLength) {
        boolean v6 = (f[udp - 40 < 0 ? 0 : udp - 40] & 0xF0) == 0x60 && udp - 40 >= 14
                && ((f[udp - 42] & 0xFF) << 8 | (f[udp - 41] & 0xFF)) == 0x86DD;
        int addresses = v6 ? udp - 32 : udp - 8;
        long sum = 17 + udpLength;
        for (int k = 0; k < (v6 ? 32 : 8); k += 2) {
            sum += ((f[addresses + k] & 0xFF) << 8) | (f[addresses + k + 1] & 0xFF);
        }
        for (int k = 0; k < udpLength; k += 2) {
            sum += ((f[udp + k] & 0xFF) << 8) | (k + 1 < udpLength ? f[udp + k + 1] & 0xFF : 0);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        int c = ~(int) sum & 0xFFFF;
        return c == 0 ? 0xFFFF : c;
    }

    private static MbufBurst burstOf(Mempool pool, List<byte[]> frames) {
        MbufBurst burst = new MbufBurst();
        assertEquals(true, burst.allocate(pool, frames.size()));
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i);
            MemorySegment.copy(f, 0, PacketMemory.ALL, ValueLayout.JAVA_BYTE, burst.dataAddress(i), f.length);
            burst.setDataLength(i, f.length);
        }
        return burst;
    }

    /** What the kernel-socket transport sends for this frame's DNS payload (empty when the stage must not answer). */
    private static byte[] referenceAnswer(QueryEngine engine, byte[] frame) {
        int dns = dnsOffset(frame);
        if (dns < 0) {
            return new byte[0];
        }
        int udpLength = ((frame[dns - 4] & 0xFF) << 8) | (frame[dns - 3] & 0xFF);
        if (udpLength < 8 || dns + udpLength - 8 > frame.length) {
            return new byte[0]; // a malformed UDP Length: dropped, never answered
        }
        MemorySegment heap = MemorySegment.ofArray(new byte[65535]);
        MemorySegment.copy(frame, dns, heap, ValueLayout.JAVA_BYTE, 0, udpLength - 8);
        int n = engine.answer(heap, 0, udpLength - 8, 65535, 65507);
        return n < 0 ? new byte[0] : heap.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    }

    /** Offset of the UDP payload in a frame with up to two VLAN tags and a plain IPv4/IPv6 header, or -1. */
    private static int dnsOffset(byte[] f) {
        int p = 12;
        int type = ((f[p] & 0xFF) << 8) | (f[p + 1] & 0xFF);
        while (type == 0x8100 || type == 0x88a8) {
            p += 4;
            type = ((f[p] & 0xFF) << 8) | (f[p + 1] & 0xFF);
        }
        p += 2;
        if (type == 0x0800 && f[p + 9] == 17) {
            return p + (f[p] & 0x0F) * 4 + 8;
        }
        if (type == 0x86DD && f[p + 6] == 17) {
            return p + 40 + 8;
        }
        return -1;
    }
}
