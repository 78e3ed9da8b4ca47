package dev.isthmus.vswitch.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.dataplane.testing.Shell;
import dev.isthmus.dataplane.testing.TestNetns;
import dev.isthmus.nativebindings.testing.Prerequisites;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 9000-byte underlay: the kernel VTEP topology with every veth, Isthmus's two AF_PACKET ports (ring frames of 9216
 * bytes; their MTU set by the kernel, as DPDK 22.11's AF_PACKET PMD refuses rte_eth_dev_set_mtu above 1500) and its
 * VxLAN underlay at MTU 9000, the hosts at 8950. Full-size overlay frames cross Isthmus both ways with DF set —
 * 9000-byte VxLAN packets on the uplink, 8964-byte frames on the access port — and one byte more is refused by the
 * sender's own MTU, not lost inside.
 */
class KernelVxlanJumboInteropTest {

    private static final int UNDERLAY_MTU = 9000;
    /** The largest ICMP echo payload in an 8950-byte overlay IP packet: 8950 - 20 (IPv4) - 8 (ICMP). */
    private static final int LARGEST_ECHO = UNDERLAY_MTU - 50 - 28;

    private static KernelVtepTopology net;

    @BeforeAll
    static void topology() {
        Prerequisites.requireRoot("namespaces, veths and the kernel vxlan device");
        net = new KernelVtepTopology('j', 12, UNDERLAY_MTU);
        net.start((domain, kernel) -> domain.withVtep(kernel));
    }

    @AfterAll
    static void tearDown() {
        if (net != null) {
            net.close();
        }
    }

    private static Shell.Result ping(String ns, String address, int size) {
        return TestNetns.run(30, ns, "ping", "-c", "3", "-i", "0.2", "-W", "2", "-M", "do", "-s",
                Integer.toString(size), address);
    }

    @Test
    void fullSizeJumboOverlayFramesCrossIsthmusBothWays() {
        // The first echoes may be lost while ARP resolves.
        ping(net.h1, net.h2Address, 56);
        Shell.Result there = ping(net.h1, net.h2Address, LARGEST_ECHO);
        assertTrue(there.ok() && there.output().contains("3 received"), "h1 → h2 at 8950 bytes: " + there.output());
        Shell.Result back = ping(net.h2, net.h1Address, LARGEST_ECHO);
        assertTrue(back.ok() && back.output().contains("3 received"), "h2 → h1 at 8950 bytes: " + back.output());

        Shell.Result tooBig = ping(net.h1, net.h2Address, LARGEST_ECHO + 1);
        assertTrue(!tooBig.ok() && tooBig.output().contains("mtu=" + (UNDERLAY_MTU - 50)),
                "one byte more is refused by h1's own MTU: " + tooBig.output());

        Map<String, Long> counters = net.control.domainCounters(100);
        assertTrue(counters.get("rx_remote") >= 6 && counters.get("tx_remote") >= 6, counters.toString());
        assertEquals(0L, counters.get("drop_mtu_exceeded"), counters.toString());
    }
}
