package dev.isthmus.dataplane.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.dataplane.counters.DataplaneDrop;
import dev.isthmus.dataplane.counters.DropReasons;
import dev.isthmus.dataplane.pipeline.PacketFrame;
import dev.isthmus.dataplane.port.PortTable;
import dev.isthmus.dataplane.testing.Scapy;
import dev.isthmus.dataplane.testing.TestDataplanes;
import dev.isthmus.nativebindings.Eal;
import dev.isthmus.nativebindings.MbufBurst;
import dev.isthmus.nativebindings.Mempool;
import dev.isthmus.nativebindings.NativeMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The host stage on requests built by scapy, in real mbufs; its replies decoded by scapy. */
class HostStageTest {

    private static final String OUR_MAC = "02:00:00:00:00:53";
    private static final String PEER_MAC = "02:00:00:00:00:01";
    private static final String ETH = "Ether(src='" + PEER_MAC + "', dst='" + OUR_MAC + "')";
    private static Mempool pool;

    @BeforeAll
    static void pool() {
        Eal.shared();
        pool = Mempool.create(TestDataplanes.uniqueName("host"), 1023);
    }

    @AfterAll
    static void close() {
        assertEquals(pool.size(), pool.available(), "every mbuf back in the pool");
        pool.close();
    }

    private static PortTable table() {
        return new PortTable(List.of(new PortTable.Entry("p0", 0, MacAddress.parse(OUR_MAC),
                List.of(Ipv4Address.parse("198.18.0.53")), List.of(Ipv6Address.parse("2001:db8::53")))));
    }

    /** Runs the stage over the scapy frames; returns the frames afterwards, and the verdict kinds in {@code kinds}. */
    private static List<byte[]> run(List<String> requests, int[] kinds, int[] targets) {
        List<byte[]> frames = Scapy.build(requests);
        MbufBurst burst = new MbufBurst();
        assertTrue(burst.allocate(pool, frames.size()));
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i);
            MemorySegment.copy(f, 0, NativeMemory.ALL, ValueLayout.JAVA_BYTE, burst.dataAddress(i), f.length);
            burst.setDataLength(i, f.length);
        }
        PacketFrame frame = new PacketFrame(new int[] {0}, (mbuf, port) -> {
            throw new AssertionError("the host stage sends nothing new");
        });
        frame.reset(burst, 0, 0, System.nanoTime());
        new HostStage(table()).process(frame);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            kinds[i] = frame.kind(i);
            targets[i] = frame.target(i);
            byte[] bytes = new byte[burst.dataLength(i)];
            MemorySegment.copy(NativeMemory.ALL, ValueLayout.JAVA_BYTE, burst.dataAddress(i), bytes, 0, bytes.length);
            out.add(bytes);
        }
        burst.freeAll();
        return out;
    }

    @Test
    void answersArpPingNeighbourSolicitationAndPing6InPlace() {
        List<String> requests = List.of(
                ETH.replace(OUR_MAC, "ff:ff:ff:ff:ff:ff") + "/ARP(op=1, hwsrc='" + PEER_MAC
                        + "', psrc='198.18.0.1', pdst='198.18.0.53')",
                ETH + "/IP(src='198.18.0.1', dst='198.18.0.53', ttl=7)/ICMP(type=8, id=77, seq=5)/Raw(b'hello-ping')",
                "Ether(src='" + PEER_MAC + "', dst='33:33:ff:00:00:53')/IPv6(src='2001:db8::1', dst='ff02::1:ff00:53',"
                        + " hlim=255)/ICMPv6ND_NS(tgt='2001:db8::53')/ICMPv6NDOptSrcLLAddr(lladdr='" + PEER_MAC + "')",
                ETH + "/IPv6(src='2001:db8::1', dst='2001:db8::53')/ICMPv6EchoRequest(id=9, seq=2, data=b'ping6')",
                "Ether(src='" + PEER_MAC + "', dst='33:33:ff:00:00:53')/IPv6(src='::', dst='ff02::1:ff00:53', hlim=255)"
                        + "/ICMPv6ND_NS(tgt='2001:db8::53')",
                ETH + "/IPv6(src='fe80::1', dst='fe80::ff:fe00:53', hlim=255)/ICMPv6ND_NS(tgt='fe80::ff:fe00:53')");
        int[] kinds = new int[requests.size()];
        int[] targets = new int[requests.size()];
        List<byte[]> replies = run(requests, kinds, targets);
        for (int i = 0; i < requests.size(); i++) {
            assertEquals(PacketFrame.TRANSMIT, kinds[i], "request " + i + " answered");
            assertEquals(0, targets[i], "back out of its port");
        }
        List<String> decoded = Scapy.decode(replies, List.of(
                "(p.dst, p.src, p[ARP].op, p[ARP].hwsrc, p[ARP].psrc, p[ARP].hwdst, p[ARP].pdst)",
                "(p.dst, p.src, p[IP].src, p[IP].dst, p[IP].ttl, ok(p, IP), p[ICMP].type, p[ICMP].id, p[ICMP].seq,"
                        + " ok(p, ICMP), bytes(p[Raw].load))",
                "(p.dst, p.src, p[IPv6].src, p[IPv6].dst, p[IPv6].hlim, p[ICMPv6ND_NA].tgt, p[ICMPv6ND_NA].S,"
                        + " p[ICMPv6ND_NA].O, p[ICMPv6ND_NA].R, p[ICMPv6NDOptDstLLAddr].lladdr, ok(p, ICMPv6ND_NA))",
                "(p.dst, p.src, p[IPv6].src, p[IPv6].dst, p[ICMPv6EchoReply].id, p[ICMPv6EchoReply].seq,"
                        + " p[ICMPv6EchoReply].data, ok(p, ICMPv6EchoReply))",
                "(p.dst, p[IPv6].dst, p[ICMPv6ND_NA].S, p[ICMPv6ND_NA].O, ok(p, ICMPv6ND_NA))",
                "(p[IPv6].src, p[IPv6].dst, p[ICMPv6ND_NA].tgt, ok(p, ICMPv6ND_NA))"));
        assertEquals("('" + PEER_MAC + "', '" + OUR_MAC + "', 2, '" + OUR_MAC + "', '198.18.0.53', '" + PEER_MAC
                + "', '198.18.0.1')", decoded.get(0));
        assertEquals("('" + PEER_MAC + "', '" + OUR_MAC + "', '198.18.0.53', '198.18.0.1', 64, True, 0, 77, 5, True,"
                + " b'hello-ping')", decoded.get(1));
        assertEquals("('" + PEER_MAC + "', '" + OUR_MAC + "', '2001:db8::53', '2001:db8::1', 255, '2001:db8::53', 1, 1,"
                + " 0, '" + OUR_MAC + "', True)", decoded.get(2));
        assertEquals("('" + PEER_MAC + "', '" + OUR_MAC + "', '2001:db8::53', '2001:db8::1', 9, 2, b'ping6', True)",
                decoded.get(3));
        assertEquals("('33:33:00:00:00:01', 'ff02::1', 0, 1, True)", decoded.get(4), "DAD answered to all-nodes");
        assertEquals("('fe80::ff:fe00:53', 'fe80::1', 'fe80::ff:fe00:53', True)", decoded.get(5),
                "link-local address derived from the MAC");
    }

    @Test
    void leavesOthersPendingAndDropsMalformedWithTheirReason() {
        List<String> requests = List.of(
                ETH + "/ARP(op=1, psrc='198.18.0.1', pdst='198.18.0.99')",                     // 0 not our address
                ETH + "/IP(src='198.18.0.1', dst='198.18.0.99')/ICMP()",                       // 1 not our address
                ETH + "/IP(src='198.18.0.1', dst='198.18.0.53')/UDP(dport=53)",                // 2 ours, not ICMP
                ETH + "/IP(src='198.18.0.1', dst='198.18.0.53', chksum=1)/ICMP()",             // 3 bad IP checksum
                ETH + "/IP(src='198.18.0.1', dst='198.18.0.53')/ICMP(chksum=1)",               // 4 bad ICMP checksum
                ETH + "/IP(src='198.18.0.1', dst='198.18.0.53', ihl=15)/ICMP()",              // 5 absurd IHL
                ETH + "/IPv6(src='2001:db8::1', dst='2001:db8::53', hlim=64)/ICMPv6ND_NS(tgt='2001:db8::53')", // 6
                ETH + "/IP(src='224.0.0.1', dst='198.18.0.53')/ICMP()",                        // 7 multicast source
                "Ether(dst='" + OUR_MAC + "', type=0x0800)/Raw(b'\\x45\\x00')",                 // 8 truncated IPv4
                ETH + "/IPv6(src='2001:db8::1', dst='2001:db8::53')/ICMPv6EchoRequest(cksum=7)", // 9 bad ICMPv6 cksum
                ETH + "/Raw(b'\\x00' * 46)");                                                  // 10 EtherType 0x9000
        int[] kinds = new int[requests.size()];
        int[] targets = new int[requests.size()];
        run(requests, kinds, targets);
        int[] pending = {0, 1, 2, 10};
        for (int i : pending) {
            assertEquals(PacketFrame.PENDING, kinds[i], "packet " + i + " is not the host's business");
        }
        DataplaneDrop[] reasons = {null, null, null, DataplaneDrop.IPV4_BAD_CHECKSUM, DataplaneDrop.ICMP_BAD_CHECKSUM,
            DataplaneDrop.IPV4_BAD_IHL, DataplaneDrop.ND_INVALID, DataplaneDrop.IPV4_BAD_SOURCE,
            DataplaneDrop.IPV4_TRUNCATED, DataplaneDrop.ICMP_BAD_CHECKSUM};
        for (int i = 3; i < reasons.length; i++) {
            assertEquals(PacketFrame.DROP, kinds[i], "packet " + i + " dropped");
            assertEquals(DropReasons.code(reasons[i]), targets[i], "packet " + i + " reason "
                    + DropReasons.reason(targets[i]).name());
        }
    }
}
