package dev.isthmus.vswitch.interop;

import dev.isthmus.dataplane.testing.Shell;
import dev.isthmus.dataplane.testing.TestNetns;
import dev.isthmus.vswitch.config.AccessPort;
import dev.isthmus.vswitch.config.VtepAddress;
import dev.isthmus.vswitch.control.FdbEntryView;
import dev.isthmus.vswitch.control.VswitchControl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Isthmus against the Linux kernel's VxLAN ({@link KernelVtepTopology}, letter v, subnet 10): host h1 behind an
 * Isthmus access port, host h2 behind a kernel bridge and the kernel vxlan device that is the remote VTEP, on VNI
 * 100's flood list. Ping and a bounded iperf3 TCP transfer both ways, then the kernel's {@code bridge fdb} and
 * Isthmus's FDB must agree on who is where.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KernelVxlanInteropTest {

    private static KernelVtepTopology net;
    private static VswitchControl control;

    @BeforeAll
    static void topology() {
        assumeTrue(Shell.isRoot(), "needs root for namespaces, veths and the kernel vxlan device");
        net = new KernelVtepTopology('v', 10);
        net.start((domain, kernel) -> domain.withVtep(kernel));
        control = net.control;
    }

    @AfterAll
    static void tearDown() {
        if (net != null) {
            net.close();
        }
    }

    private static void ping(String ns, String address) {
        Shell.Result ping = TestNetns.run(30, ns, "ping", "-c", "5", "-i", "0.2", "-W", "2", address);
        assertTrue(ping.ok() && !ping.output().contains(" 0 received"), ping.output());
    }

    @Test
    @Order(1)
    void hostsPingEachOtherAcrossIsthmusAndTheKernelVtep() {
        // The first echo may be lost while ARP resolves our next hop, so bounded retries via -c 5 and "some received".
        ping(net.h1, net.h2Address);
        ping(net.h2, net.h1Address);
        Shell.Result big = TestNetns.run(30, net.h1, "ping", "-c", "3", "-i", "0.2", "-W", "2", "-M", "do",
                "-s", "1422", net.h2Address);
        assertTrue(big.ok() && big.output().contains("3 received"), "full-size overlay frames fit: " + big.output());
    }

    @Test
    @Order(2)
    void boundedTcpTransferBothWays() throws Exception {
        for (boolean reverse : new boolean[] {false, true}) {
            Process server = new ProcessBuilder("ip", "netns", "exec", net.h2, "iperf3", "-s", "-1", "-p", "5301")
                    .redirectErrorStream(true).start();
            try {
                Thread.sleep(500);
                Shell.Result client = reverse
                        ? TestNetns.run(30, net.h1, "iperf3", "-c", net.h2Address, "-p", "5301", "-t", "3", "-R")
                        : TestNetns.run(30, net.h1, "iperf3", "-c", net.h2Address, "-p", "5301", "-t", "3");
                assertTrue(client.ok() && client.output().contains("receiver"), client.output());
            } finally {
                if (!server.waitFor(10, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
        }
    }

    @Test
    @Order(3)
    void kernelAndIsthmusFdbsAgreeOnWhoIsWhere() throws IOException {
        List<FdbEntryView> ours = control.fdb(100);
        FdbEntryView h1 = ours.stream().filter(e -> e.mac().toString().equals(net.h1Mac)).findFirst().orElse(null);
        FdbEntryView h2 = ours.stream().filter(e -> e.mac().toString().equals(net.h2Mac)).findFirst().orElse(null);
        assertNotNull(h1, "h1 learned: " + ours);
        assertNotNull(h2, "h2 learned: " + ours);
        assertEquals(AccessPort.untagged(1), h1.port());
        assertEquals(VtepAddress.parse(net.kernelVtep), h2.vtep());
        String kernel = TestNetns.exec(net.vtepNamespace, "bridge", "fdb", "show", "dev", net.vxlanDevice);
        assertTrue(kernel.contains(net.h1Mac + " dst " + net.ourVtep), "the kernel learned h1 behind us: " + kernel);
        String bridge = TestNetns.exec(net.vtepNamespace, "bridge", "fdb", "show", "br", net.bridge);
        assertTrue(bridge.contains(net.h2Mac + " dev " + net.bridgePort), "and h2 on its own bridge port: " + bridge);
        Map<String, Long> counters = control.domainCounters(100);
        assertTrue(counters.get("rx_remote") > 0 && counters.get("tx_remote") > 0, counters.toString());
        assertEquals(null, counters.get("drop_unknown_vtep"), counters.toString());
        assertEquals(null, counters.get("drop_mtu_exceeded"), counters.toString());
    }
}
