package dev.isthmus.vswitch.interop;

import dev.isthmus.dataplane.Dataplane;
import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.dataplane.config.DataplaneConfig;
import dev.isthmus.dataplane.config.EalConfig;
import dev.isthmus.dataplane.config.LcoreConfig;
import dev.isthmus.dataplane.config.MempoolConfig;
import dev.isthmus.dataplane.config.PortConfig;
import dev.isthmus.dataplane.config.QueueRef;
import dev.isthmus.dataplane.host.HostStage;
import dev.isthmus.dataplane.pipeline.Pipeline;
import dev.isthmus.dataplane.testing.Shell;
import dev.isthmus.dataplane.testing.TestDataplanes;
import dev.isthmus.dataplane.testing.TestNetns;
import dev.isthmus.nativebindings.Eal;
import dev.isthmus.vswitch.config.AccessPort;
import dev.isthmus.vswitch.config.BridgeDomainConfig;
import dev.isthmus.vswitch.config.UnderlayConfig;
import dev.isthmus.vswitch.config.VswitchConfig;
import dev.isthmus.vswitch.config.VtepAddress;
import dev.isthmus.vswitch.control.FdbEntryView;
import dev.isthmus.vswitch.control.VswitchControl;
import dev.isthmus.vswitch.fdb.SecondsClock;
import dev.isthmus.vswitch.pipeline.VswitchStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Isthmus against the Linux kernel's VxLAN: host h1 sits behind an Isthmus access port (a net_af_packet port on a
 * veth); host h2 sits behind a kernel bridge whose other port is a kernel vxlan device, the remote VTEP, reached over
 * a second veth that is Isthmus's uplink. Ping and a bounded iperf3 TCP transfer both ways, then the kernel's
 * {@code bridge fdb} and Isthmus's FDB must agree on who is where.
 *
 * <pre>
 *  [isthmus-vh1] h1 198.19.10.1 ── veth ── access port │ Isthmus │ uplink 198.18.10.1 ── veth ──
 *      198.18.10.2 [isthmus-vk: vxlan VNI 100 ── bridge ── veth] ── h2 198.19.10.2 [isthmus-vh2]
 * </pre>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KernelVxlanInteropTest {

    private static final String H1 = "isthmus-vh1";
    private static final String VTEP = "isthmus-vk";
    private static final String H2 = "isthmus-vh2";
    private static final List<String> NAMESPACES = List.of(H1, VTEP, H2);
    private static final String ACCESS = "isthmus-va0";
    private static final String ACCESS_PEER = "isthmus-va1";
    private static final String UPLINK = "isthmus-vu0";
    private static final String UPLINK_PEER = "isthmus-vu1";
    private static final String BRIDGE_PORT = "isthmus-vb1";
    private static final String H2_PORT = "isthmus-vb2";
    private static final String H1_MAC = "02:00:00:19:0a:01";
    private static final String H2_MAC = "02:00:00:19:0a:02";
    private static final String UPLINK_MAC = "02:00:00:18:0a:01";
    private static final String OUR_VTEP = "198.18.10.1";
    private static final String KERNEL_VTEP = "198.18.10.2";

    private static Dataplane dataplane;
    private static VswitchControl control;

    @BeforeAll
    static void topology() {
        assumeTrue(Shell.isRoot(), "needs root for namespaces, veths and the kernel vxlan device");
        cleanUp();
        for (String ns : NAMESPACES) {
            TestNetns.add(ns);
        }
        veth(ACCESS, ACCESS_PEER, H1);
        veth(UPLINK, UPLINK_PEER, VTEP);
        Shell.must("ip", "link", "add", BRIDGE_PORT, "netns", VTEP, "type", "veth", "peer", "name", H2_PORT, "netns", H2);
        // h1: overlay MTU 1450, so that its frames fit the 1500-byte underlay after 50 bytes of VxLAN.
        TestNetns.exec(H1, "ip", "link", "set", ACCESS_PEER, "address", H1_MAC, "mtu", "1450", "up");
        TestNetns.exec(H1, "ip", "addr", "add", "198.19.10.1/24", "dev", ACCESS_PEER);
        TestNetns.exec(H2, "ip", "link", "set", H2_PORT, "address", H2_MAC, "mtu", "1450", "up");
        TestNetns.exec(H2, "ip", "addr", "add", "198.19.10.2/24", "dev", H2_PORT);
        // The kernel VTEP: vxlan VNI 100 towards us, bridged with h2's port.
        TestNetns.exec(VTEP, "ip", "link", "set", UPLINK_PEER, "up");
        TestNetns.exec(VTEP, "ip", "addr", "add", KERNEL_VTEP + "/24", "dev", UPLINK_PEER);
        TestNetns.exec(VTEP, "ip", "link", "add", "isthmus-vx100", "type", "vxlan", "id", "100", "local", KERNEL_VTEP,
                "remote", OUR_VTEP, "dstport", "4789", "dev", UPLINK_PEER);
        TestNetns.exec(VTEP, "ip", "link", "add", "isthmus-br100", "type", "bridge");
        TestNetns.exec(VTEP, "ip", "link", "set", "isthmus-vx100", "master", "isthmus-br100", "up");
        TestNetns.exec(VTEP, "ip", "link", "set", BRIDGE_PORT, "master", "isthmus-br100", "mtu", "1450", "up");
        TestNetns.exec(VTEP, "ip", "link", "set", "isthmus-br100", "up");
        // Veths leave checksums to "hardware" that does not exist behind an AF_PACKET socket: compute them in
        // software on every kernel sender whose frames reach Isthmus.
        TestNetns.exec(H1, "ethtool", "-K", ACCESS_PEER, "tx", "off");
        TestNetns.exec(H2, "ethtool", "-K", H2_PORT, "tx", "off");
        TestNetns.exec(VTEP, "ethtool", "-K", UPLINK_PEER, "tx", "off");

        Eal.shared();
        PortConfig uplink = new PortConfig("uplink", "net_af_packet" + TestDataplanes.uniqueName(""),
                "iface=" + UPLINK + ",qpairs=1", 1, 1024, 1024, 0, MacAddress.parse(UPLINK_MAC),
                List.of(Ipv4Address.parse(OUR_VTEP)), List.of(), false);
        PortConfig access = new PortConfig("access", "net_af_packet" + TestDataplanes.uniqueName(""),
                "iface=" + ACCESS + ",qpairs=1", 1, 1024, 1024, 0, null, List.of(), List.of(), true);
        DataplaneConfig config = new DataplaneConfig(TestDataplanes.uniqueName("vxi"), EalConfig.virtual(),
                MempoolConfig.of(8191), List.of(uplink, access),
                List.of(new LcoreConfig(-1, List.of(new QueueRef("uplink", 0), new QueueRef("access", 0)))),
                Duration.ofNanos(100_000), 0, null);
        UnderlayConfig underlay = UnderlayConfig.ipv4(0, MacAddress.parse(UPLINK_MAC), Ipv4Address.parse(OUR_VTEP), 24);
        control = new VswitchControl(new VswitchConfig(underlay, List.of(BridgeDomainConfig.of(100)
                .withPort(AccessPort.untagged(1)).withVtep(VtepAddress.parse(KERNEL_VTEP)))), SecondsClock::now);
        control.startMaintenance();
        dataplane = Dataplane.start(config, lcore -> Pipeline.of(new VswitchStage(control::snapshot, lcore),
                new HostStage(lcore.ports())));
    }

    private static void veth(String here, String there, String ns) {
        TestNetns.dpdkVeth(here, there, ns);
        Shell.must("ethtool", "-K", here, "tx", "off");
    }

    @AfterAll
    static void tearDown() {
        try {
            if (dataplane != null) {
                dataplane.close();
                assertEquals(0, dataplane.mbufsMissingAtClose(), "every mbuf back in the pool");
            }
            if (control != null) {
                control.close();
            }
        } finally {
            cleanUp();
        }
    }

    private static void cleanUp() {
        TestNetns.delete(NAMESPACES, ACCESS, UPLINK);
    }

    private static void ping(String ns, String address) {
        Shell.Result ping = TestNetns.run(30, ns, "ping", "-c", "5", "-i", "0.2", "-W", "2", address);
        assertTrue(ping.ok() && !ping.output().contains(" 0 received"), ping.output());
    }

    @Test
    @Order(1)
    void hostsPingEachOtherAcrossIsthmusAndTheKernelVtep() {
        // The first echo may be lost while ARP resolves our next hop, so bounded retries via -c 5 and "some received".
        ping(H1, "198.19.10.2");
        ping(H2, "198.19.10.1");
        Shell.Result big = TestNetns.run(30, H1, "ping", "-c", "3", "-i", "0.2", "-W", "2", "-M", "do",
                "-s", "1422", "198.19.10.2");
        assertTrue(big.ok() && big.output().contains("3 received"), "full-size overlay frames fit: " + big.output());
    }

    @Test
    @Order(2)
    void boundedTcpTransferBothWays() throws Exception {
        for (boolean reverse : new boolean[] {false, true}) {
            Process server = new ProcessBuilder("ip", "netns", "exec", H2, "iperf3", "-s", "-1", "-p", "5301")
                    .redirectErrorStream(true).start();
            try {
                Thread.sleep(500);
                Shell.Result client = reverse
                        ? TestNetns.run(30, H1, "iperf3", "-c", "198.19.10.2", "-p", "5301", "-t", "3", "-R")
                        : TestNetns.run(30, H1, "iperf3", "-c", "198.19.10.2", "-p", "5301", "-t", "3");
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
        FdbEntryView h1 = ours.stream().filter(e -> e.mac().toString().equals(H1_MAC)).findFirst().orElse(null);
        FdbEntryView h2 = ours.stream().filter(e -> e.mac().toString().equals(H2_MAC)).findFirst().orElse(null);
        assertNotNull(h1, "h1 learned: " + ours);
        assertNotNull(h2, "h2 learned: " + ours);
        assertEquals(AccessPort.untagged(1), h1.port());
        assertEquals(VtepAddress.parse(KERNEL_VTEP), h2.vtep());
        String kernel = TestNetns.exec(VTEP, "bridge", "fdb", "show", "dev", "isthmus-vx100");
        assertTrue(kernel.contains(H1_MAC + " dst " + OUR_VTEP), "the kernel learned h1 behind us: " + kernel);
        String bridge = TestNetns.exec(VTEP, "bridge", "fdb", "show", "br", "isthmus-br100");
        assertTrue(bridge.contains(H2_MAC + " dev " + BRIDGE_PORT), "and h2 on its own bridge port: " + bridge);
        Map<String, Long> counters = control.domainCounters(100);
        assertTrue(counters.get("rx_remote") > 0 && counters.get("tx_remote") > 0, counters.toString());
        assertEquals(null, counters.get("drop_unknown_vtep"), counters.toString());
        assertEquals(null, counters.get("drop_mtu_exceeded"), counters.toString());
    }
}
