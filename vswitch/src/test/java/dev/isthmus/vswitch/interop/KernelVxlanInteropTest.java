package dev.isthmus.vswitch.interop;

import dev.isthmus.dataplane.testing.Shell;
import dev.isthmus.dataplane.testing.TestDataplanes;
import dev.isthmus.dataplane.testing.TestNetns;
import dev.isthmus.nativebindings.testing.Prerequisites;
import dev.isthmus.vswitch.config.AccessPort;
import dev.isthmus.vswitch.config.VtepAddress;
import dev.isthmus.vswitch.control.FdbEntryView;
import dev.isthmus.vswitch.control.VswitchControl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Isthmus against the Linux kernel's VxLAN ({@link KernelVtepTopology}, letter v, subnet 10): host h1 behind an
 * Isthmus access port, host h2 behind a kernel bridge and the kernel vxlan device that is the remote VTEP, on VNI
 * 100's flood list. Ping and a bounded iperf3 TCP transfer both ways, then the kernel's {@code bridge fdb} and
 * Isthmus's FDB must agree on who is where. The topology is shared, but each test makes the traffic it checks, so
 * each passes or fails alone and in any order.
 */
class KernelVxlanInteropTest {

    private static KernelVtepTopology net;
    private static VswitchControl control;

    @BeforeAll
    static void topology() {
        Prerequisites.requireRoot("namespaces, veths and the kernel vxlan device");
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

    /** h1 and h2 reach each other both ways (the first echoes may be lost while ARP resolves, hence "some"). */
    private static void hostsReachEachOther() {
        ping(net.h1, net.h2Address);
        ping(net.h2, net.h1Address);
    }

    @Test
    void hostsPingEachOtherAcrossIsthmusAndTheKernelVtep() {
        hostsReachEachOther();
        Shell.Result big = TestNetns.run(30, net.h1, "ping", "-c", "3", "-i", "0.2", "-W", "2", "-M", "do",
                "-s", "1422", net.h2Address);
        assertTrue(big.ok() && big.output().contains("3 received"), "full-size overlay frames fit: " + big.output());
    }

    @Test
    void boundedTcpTransferBothWays() throws Exception {
        Prerequisites.requireProgram("iperf3", "iperf3");
        hostsReachEachOther();
        for (boolean reverse : new boolean[] {false, true}) {
            Process server = new ProcessBuilder("ip", "netns", "exec", net.h2, "iperf3", "-s", "-1", "-p", "5301")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                // The client starts once the server listens: polled, bounded, instead of a guessed sleep.
                assertTrue(TestDataplanes.await(() -> !server.isAlive() || listening(net.h2, 5301), 10_000)
                        && server.isAlive(), "iperf3 -s listens on 5301 in " + net.h2);
                Shell.Result client = reverse
                        ? TestNetns.run(30, net.h1, "iperf3", "-c", net.h2Address, "-p", "5301", "-t", "3", "-R")
                        : TestNetns.run(30, net.h1, "iperf3", "-c", net.h2Address, "-p", "5301", "-t", "3");
                assertTrue(client.ok() && client.output().contains("receiver"), client.output());
                // -1: the server serves one client and exits, successfully if the transfer was.
                assertTrue(server.waitFor(10, TimeUnit.SECONDS), "iperf3 -s -1 exits after its client");
                assertEquals(0, server.exitValue(), "iperf3 server's exit status");
            } finally {
                if (server.isAlive()) {
                    server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static boolean listening(String ns, int port) {
        Shell.Result ss = TestNetns.run(5, ns, "ss", "-Hltn", "sport = :" + port);
        return ss.ok() && ss.output().contains("LISTEN");
    }

    @Test
    void kernelAndIsthmusFdbsAgreeOnWhoIsWhere() throws IOException {
        hostsReachEachOther();
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
        // Present and zero: a renamed counter is null here, and fails.
        assertEquals(0L, counters.get("drop_unknown_vtep"), counters.toString());
        assertEquals(0L, counters.get("drop_mtu_exceeded"), counters.toString());
    }
}
