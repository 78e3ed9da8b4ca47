package dev.isthmus.dataplane.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.Dataplane;
import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.dataplane.counters.CounterSnapshot;
import dev.isthmus.dataplane.counters.DataplaneDrop;
import dev.isthmus.dataplane.counters.LcoreCounters;
import dev.isthmus.dataplane.pipeline.Pipeline;
import dev.isthmus.dataplane.testing.Scapy;
import dev.isthmus.dataplane.testing.Shell;
import dev.isthmus.dataplane.testing.TestDataplanes;
import dev.isthmus.nativebindings.Eal;
import dev.isthmus.nativebindings.testing.Prerequisites;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kernel talks to the appliance over a net_tap port: ARP, ping and ping6 get answers; malformed frames sent with
 * scapy are dropped under their reasons while pings keep working; no mbuf leaks.
 */
class HostOverTapTest {

    private static final String IFACE = "isthmusT1";
    private static final String MAC = "02:00:00:00:01:53";
    private static Dataplane dataplane;

    @BeforeAll
    static void start() {
        Prerequisites.requireRoot("the TAP device");
        Eal.shared();
        PortConfig tap = PortConfig.of("host", "net_tap" + TestDataplanes.uniqueName(""), "iface=" + IFACE + ",mac=" + MAC)
                .withAddresses(null, List.of(Ipv4Address.parse("198.18.1.53")), List.of(Ipv6Address.parse("2001:db8:1::53")));
        dataplane = Dataplane.start(TestDataplanes.oneLcore(TestDataplanes.uniqueName("tap"), List.of(tap)),
                lcore -> Pipeline.of(new HostStage(lcore.ports())));
        Shell.must("ip", "link", "set", IFACE, "up");
        Shell.must("ip", "addr", "add", "198.18.1.1/24", "dev", IFACE);
        Shell.must("ip", "-6", "addr", "add", "2001:db8:1::1/64", "dev", IFACE, "nodad");
    }

    @AfterAll
    static void stop() {
        if (dataplane != null) {
            dataplane.close();
            assertEquals(0, dataplane.mbufsMissingAtClose(), "every mbuf back in the pool");
        }
        assertTrue(!Shell.run(5, "ip", "link", "show", IFACE).ok(), "the TAP interface is gone with its port");
    }

    private static void pingsWork() {
        Shell.Result ping = Shell.run(20, "ping", "-c", "3", "-i", "0.2", "-W", "2", "198.18.1.53");
        assertTrue(ping.ok() && ping.output().contains("3 received"), ping.output());
        Shell.Result ping6 = Shell.run(20, "ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", "2001:db8:1::53");
        assertTrue(ping6.ok() && ping6.output().contains("3 received"), ping6.output());
    }

    @Test
    void kernelResolvesAndPingsTheApplianceOverIpv4AndIpv6() {
        pingsWork();
        String neighbours = Shell.must("ip", "neigh", "show", "dev", IFACE);
        assertTrue(neighbours.contains("198.18.1.53 lladdr " + MAC), "ARP resolved: " + neighbours);
        assertTrue(neighbours.contains("2001:db8:1::53 lladdr " + MAC), "ND resolved: " + neighbours);
        CounterSnapshot s = dataplane.counters();
        assertTrue(s.total(LcoreCounters.Lcore.TX_PACKETS) >= 8, "replies sent: " + s);
    }

    @Test
    void malformedFramesAreCountedAndDroppedWhileTheLoopKeepsAnswering() {
        CounterSnapshot before = dataplane.counters();
        String eth = "Ether(src='02:00:00:00:01:01', dst='" + MAC + "')";
        List<String> frames = List.of(
                eth + "/IP(src='198.18.1.1', dst='198.18.1.53', chksum=0x1234)/ICMP()",
                eth + "/IP(src='198.18.1.1', dst='198.18.1.53', ihl=15)/ICMP()",
                eth + "/IP(src='198.18.1.1', dst='198.18.1.53', len=1000)/ICMP()",
                eth + "/IP(src='198.18.1.1', dst='198.18.1.53')/ICMP(chksum=0x4321)",
                eth + "/IP(src='198.18.1.1', dst='198.18.1.53', flags='MF')/ICMP()",
                "Ether(dst='" + MAC + "', type=0x0800)/Raw(b'\\x45\\x00\\x00')",
                eth + "/IPv6(src='2001:db8:1::1', dst='2001:db8:1::53', plen=900)/ICMPv6EchoRequest()",
                eth + "/IPv6(src='2001:db8:1::1', dst='2001:db8:1::53')/ICMPv6EchoRequest(cksum=1)");
        StringBuilder script = new StringBuilder("from scapy.all import *\nconf.verb = 0\nframes = [");
        frames.forEach(f -> script.append(f).append(", "));
        script.append("]\nfor i in range(10):\n    sendp(frames, iface='").append(IFACE).append("')\nprint('sent')\n");
        assertEquals(List.of("sent"), Scapy.run(script.toString()));
        pingsWork();
        assertTrue(TestDataplanes.await(() -> grew(before, DataplaneDrop.IPV6_BAD_PAYLOAD_LENGTH, 10), 5_000));
        CounterSnapshot after = dataplane.counters();
        for (DataplaneDrop reason : List.of(DataplaneDrop.IPV4_BAD_CHECKSUM, DataplaneDrop.IPV4_BAD_IHL,
                DataplaneDrop.IPV4_BAD_TOTAL_LENGTH, DataplaneDrop.ICMP_BAD_CHECKSUM, DataplaneDrop.IPV4_FRAGMENT,
                DataplaneDrop.IPV4_TRUNCATED, DataplaneDrop.IPV6_BAD_PAYLOAD_LENGTH)) {
            assertTrue(after.drops(reason) - before.drops(reason) >= 10, reason + ": " + after.drops());
        }
        assertEquals(20, after.drops(DataplaneDrop.ICMP_BAD_CHECKSUM) - before.drops(DataplaneDrop.ICMP_BAD_CHECKSUM),
                "ICMP and ICMPv6 checksum failures, ten each");
    }

    private static boolean grew(CounterSnapshot before, DataplaneDrop reason, long by) {
        return dataplane.counters().drops(reason) - before.drops(reason) >= by;
    }
}
