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
import dev.isthmus.vswitch.control.LearnedVtepView;
import dev.isthmus.vswitch.control.VswitchControl;
import dev.isthmus.vswitch.fdb.SecondsClock;
import dev.isthmus.vswitch.pipeline.VswitchStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * VTEP learning against the Linux kernel's VxLAN: the same topology as {@link KernelVxlanInteropTest}, but VNI 100
 * has an empty flood list and learns VTEPs, so the kernel VTEP is known to Isthmus only from its traffic. h2 speaks
 * first (the kernel floods its ARP request to us, its configured remote): those first packets are dropped and the
 * kernel VTEP learned; the kernel's retries then get through, and the ping works both ways through the learned VTEP.
 *
 * <pre>
 *  [isthmus-lh1] h1 198.19.11.1 ── veth ── access port │ Isthmus │ uplink 198.18.11.1 ── veth ──
 *      198.18.11.2 [isthmus-lk: vxlan VNI 100 ── bridge ── veth] ── h2 198.19.11.2 [isthmus-lh2]
 * </pre>
 */
class KernelVxlanLearningInteropTest {

    private static final String H1 = "isthmus-lh1";
    private static final String VTEP = "isthmus-lk";
    private static final String H2 = "isthmus-lh2";
    private static final List<String> NAMESPACES = List.of(H1, VTEP, H2);
    private static final String ACCESS = "isthmus-la0";
    private static final String ACCESS_PEER = "isthmus-la1";
    private static final String UPLINK = "isthmus-lu0";
    private static final String UPLINK_PEER = "isthmus-lu1";
    private static final String BRIDGE_PORT = "isthmus-lb1";
    private static final String H2_PORT = "isthmus-lb2";
    private static final String H1_MAC = "02:00:00:19:0b:01";
    private static final String H2_MAC = "02:00:00:19:0b:02";
    private static final String UPLINK_MAC = "02:00:00:18:0b:01";
    private static final String OUR_VTEP = "198.18.11.1";
    private static final String KERNEL_VTEP = "198.18.11.2";

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
        TestNetns.exec(H1, "ip", "link", "set", ACCESS_PEER, "address", H1_MAC, "mtu", "1450", "up");
        TestNetns.exec(H1, "ip", "addr", "add", "198.19.11.1/24", "dev", ACCESS_PEER);
        TestNetns.exec(H2, "ip", "link", "set", H2_PORT, "address", H2_MAC, "mtu", "1450", "up");
        TestNetns.exec(H2, "ip", "addr", "add", "198.19.11.2/24", "dev", H2_PORT);
        TestNetns.exec(VTEP, "ip", "link", "set", UPLINK_PEER, "up");
        TestNetns.exec(VTEP, "ip", "addr", "add", KERNEL_VTEP + "/24", "dev", UPLINK_PEER);
        TestNetns.exec(VTEP, "ip", "link", "add", "isthmus-lx100", "type", "vxlan", "id", "100", "local", KERNEL_VTEP,
                "remote", OUR_VTEP, "dstport", "4789", "dev", UPLINK_PEER);
        TestNetns.exec(VTEP, "ip", "link", "add", "isthmus-lr100", "type", "bridge");
        TestNetns.exec(VTEP, "ip", "link", "set", "isthmus-lx100", "master", "isthmus-lr100", "up");
        TestNetns.exec(VTEP, "ip", "link", "set", BRIDGE_PORT, "master", "isthmus-lr100", "mtu", "1450", "up");
        TestNetns.exec(VTEP, "ip", "link", "set", "isthmus-lr100", "up");
        TestNetns.exec(H1, "ethtool", "-K", ACCESS_PEER, "tx", "off");
        TestNetns.exec(H2, "ethtool", "-K", H2_PORT, "tx", "off");
        TestNetns.exec(VTEP, "ethtool", "-K", UPLINK_PEER, "tx", "off");

        Eal.shared();
        PortConfig uplink = new PortConfig("uplink", "net_af_packet" + TestDataplanes.uniqueName(""),
                "iface=" + UPLINK + ",qpairs=1", 1, 1024, 1024, 0, MacAddress.parse(UPLINK_MAC),
                List.of(Ipv4Address.parse(OUR_VTEP)), List.of(), false);
        PortConfig access = new PortConfig("access", "net_af_packet" + TestDataplanes.uniqueName(""),
                "iface=" + ACCESS + ",qpairs=1", 1, 1024, 1024, 0, null, List.of(), List.of(), true);
        DataplaneConfig config = new DataplaneConfig(TestDataplanes.uniqueName("vxl"), EalConfig.virtual(),
                MempoolConfig.of(8191), List.of(uplink, access),
                List.of(new LcoreConfig(-1, List.of(new QueueRef("uplink", 0), new QueueRef("access", 0)))),
                Duration.ofNanos(100_000), 0, null);
        UnderlayConfig underlay = UnderlayConfig.ipv4(0, MacAddress.parse(UPLINK_MAC), Ipv4Address.parse(OUR_VTEP), 24);
        // No flood list: the kernel VTEP is accepted only once learned.
        control = new VswitchControl(new VswitchConfig(underlay, List.of(BridgeDomainConfig.of(100)
                .withPort(AccessPort.untagged(1)).withVtepLearning(true, 4))), SecondsClock::now);
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

    @Test
    void theKernelVtepIsLearnedFromItsFirstPacketsAndPingWorksThroughIt() {
        assertTrue(control.learnedVteps(100).isEmpty());
        // h2 speaks first: its first ARP requests are dropped while the kernel VTEP is learned; ARP retries once a
        // second, so a bounded number of echoes and "some received".
        Shell.Result first = TestNetns.run(40, H2, "ping", "-c", "12", "-i", "0.5", "-W", "2", "198.19.11.1");
        assertTrue(first.ok() && !first.output().contains(" 0 received"), first.output());
        assertEquals(List.of(VtepAddress.parse(KERNEL_VTEP)),
                control.learnedVteps(100).stream().map(LearnedVtepView::address).toList());
        assertTrue(control.bridgeDomain(100).floodList().isEmpty(), "learned, not configured");
        // Now both ways at once.
        Shell.Result again = TestNetns.run(30, H1, "ping", "-c", "3", "-i", "0.2", "-W", "2", "198.19.11.2");
        assertTrue(again.ok() && again.output().contains("3 received"), again.output());

        List<FdbEntryView> ours = control.fdb(100);
        FdbEntryView h2 = ours.stream().filter(e -> e.mac().toString().equals(H2_MAC)).findFirst().orElse(null);
        assertNotNull(h2, "h2 learned: " + ours);
        assertEquals(VtepAddress.parse(KERNEL_VTEP), h2.vtep(), "behind the learned VTEP");
        Map<String, Long> counters = control.domainCounters(100);
        assertTrue(counters.get("drop_vtep_learning") > 0, counters.toString());
        assertEquals(1L, counters.get("vteps_learned"), counters.toString());
        assertTrue(counters.get("rx_remote") > 0 && counters.get("tx_remote") > 0, counters.toString());
        assertEquals(null, counters.get("drop_unknown_vtep"), counters.toString());
        String kernel = TestNetns.exec(VTEP, "bridge", "fdb", "show", "dev", "isthmus-lx100");
        assertTrue(kernel.contains(H1_MAC + " dst " + OUR_VTEP), "the kernel learned h1 behind us: " + kernel);
    }
}
