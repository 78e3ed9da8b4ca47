package dev.isthmus.vswitch.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import dev.isthmus.vswitch.control.VswitchControl;
import dev.isthmus.vswitch.fdb.SecondsClock;
import dev.isthmus.vswitch.pipeline.VswitchStage;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The kernel interop tests' topology: host h1 behind an Isthmus access port (a net_af_packet port on a veth), host
 * h2 behind a kernel bridge whose other port is a kernel vxlan device (VNI 100, its remote our VTEP address), reached
 * over a second veth that is Isthmus's uplink. Each test class picks a letter and a subnet so that its names and
 * addresses are its own:
 *
 * <pre>
 *  [isthmus-Lh1] h1 198.19.N.1 ── veth ── access port │ Isthmus │ uplink 198.18.N.1 ── veth ──
 *      198.18.N.2 [isthmus-Lk: vxlan isthmus-Lx100 ── bridge isthmus-Lr100 ── veth] ── h2 198.19.N.2 [isthmus-Lh2]
 * </pre>
 *
 * {@link #close} removes everything, also after a failed {@link #start}.
 */
final class KernelVtepTopology implements AutoCloseable {

    final String h1;
    final String vtepNamespace;
    final String h2;
    final String bridgePort;
    final String vxlanDevice;
    final String bridge;
    final String h1Mac;
    final String h2Mac;
    final String h1Address;
    final String h2Address;
    final String ourVtep;
    final String kernelVtep;
    private final String access;
    private final String accessPeer;
    private final String uplink;
    private final String uplinkPeer;
    private final String h2Port;
    private final String uplinkMac;
    private final String dataplaneName;
    private final int underlayMtu;

    Dataplane dataplane;
    VswitchControl control;

    /** @param letter this test's letter in every name @param subnet N in the addresses, and in the MACs */
    KernelVtepTopology(char letter, int subnet) {
        this(letter, subnet, UnderlayConfig.DEFAULT_MTU);
    }

    /**
     * @param underlayMtu the IP MTU of the underlay veths, of Isthmus's ports (set on the devices through DPDK) and
     *                    of its VxLAN underlay; the hosts' overlay MTU is 50 bytes less (VxLAN over IPv4)
     */
    KernelVtepTopology(char letter, int subnet, int underlayMtu) {
        this.underlayMtu = underlayMtu;
        String p = "isthmus-" + letter;
        h1 = p + "h1";
        vtepNamespace = p + "k";
        h2 = p + "h2";
        access = p + "a0";
        accessPeer = p + "a1";
        uplink = p + "u0";
        uplinkPeer = p + "u1";
        bridgePort = p + "b1";
        h2Port = p + "b2";
        vxlanDevice = p + "x100";
        bridge = p + "r100";
        h1Mac = String.format("02:00:00:19:%02x:01", subnet);
        h2Mac = String.format("02:00:00:19:%02x:02", subnet);
        uplinkMac = String.format("02:00:00:18:%02x:01", subnet);
        h1Address = "198.19." + subnet + ".1";
        h2Address = "198.19." + subnet + ".2";
        ourVtep = "198.18." + subnet + ".1";
        kernelVtep = "198.18." + subnet + ".2";
        dataplaneName = "vx" + letter;
    }

    /**
     * Builds the namespaces and the kernel VTEP, then starts Isthmus with VNI 100 as {@code domain} makes it.
     *
     * @param domain given VNI 100 with the access port (port 1) and the kernel VTEP's address, the domain to run
     */
    void start(BiFunction<BridgeDomainConfig, VtepAddress, BridgeDomainConfig> domain) {
        removeAll();
        for (String ns : List.of(h1, vtepNamespace, h2)) {
            TestNetns.add(ns);
        }
        veth(access, accessPeer, h1);
        veth(uplink, uplinkPeer, vtepNamespace);
        Shell.must("ip", "link", "add", bridgePort, "netns", vtepNamespace, "type", "veth", "peer", "name", h2Port,
                "netns", h2);
        // The hosts: overlay MTU 50 bytes below the underlay's (1450 under 1500), so that their frames fit the
        // underlay after the VxLAN encapsulation (RFC 7348 §4.3: VTEPs must not fragment).
        String overlayMtu = Integer.toString(underlayMtu - UnderlayConfig.IPV4_OVERHEAD - 14);
        TestNetns.exec(h1, "ip", "link", "set", accessPeer, "address", h1Mac, "mtu", overlayMtu, "up");
        TestNetns.exec(h1, "ip", "addr", "add", h1Address + "/24", "dev", accessPeer);
        TestNetns.exec(h2, "ip", "link", "set", h2Port, "address", h2Mac, "mtu", overlayMtu, "up");
        TestNetns.exec(h2, "ip", "addr", "add", h2Address + "/24", "dev", h2Port);
        // The kernel VTEP: vxlan VNI 100 towards us, bridged with h2's port.
        TestNetns.exec(vtepNamespace, "ip", "link", "set", uplinkPeer, "mtu", Integer.toString(underlayMtu), "up");
        TestNetns.exec(vtepNamespace, "ip", "addr", "add", kernelVtep + "/24", "dev", uplinkPeer);
        TestNetns.exec(vtepNamespace, "ip", "link", "add", vxlanDevice, "type", "vxlan", "id", "100", "local",
                kernelVtep, "remote", ourVtep, "dstport", "4789", "dev", uplinkPeer);
        TestNetns.exec(vtepNamespace, "ip", "link", "set", vxlanDevice, "mtu", overlayMtu);
        TestNetns.exec(vtepNamespace, "ip", "link", "add", bridge, "type", "bridge");
        TestNetns.exec(vtepNamespace, "ip", "link", "set", vxlanDevice, "master", bridge, "up");
        TestNetns.exec(vtepNamespace, "ip", "link", "set", bridgePort, "master", bridge, "mtu", overlayMtu, "up");
        TestNetns.exec(vtepNamespace, "ip", "link", "set", bridge, "up");
        // Veths leave checksums to "hardware" that does not exist behind an AF_PACKET socket: compute them in
        // software on every kernel sender whose frames reach Isthmus.
        TestNetns.exec(h1, "ethtool", "-K", accessPeer, "tx", "off");
        TestNetns.exec(h2, "ethtool", "-K", h2Port, "tx", "off");
        TestNetns.exec(vtepNamespace, "ethtool", "-K", uplinkPeer, "tx", "off");

        Eal.shared();
        boolean jumbo = underlayMtu > UnderlayConfig.DEFAULT_MTU;
        // AF_PACKET's ring frames (2048 bytes by default) must hold a whole jumbo frame after their 32-byte TPACKET
        // header, or the PMD refuses the MTU; and an mbuf's data room after its headroom must hold a whole ring
        // frame's data, or the PMD refuses the RX queue (no multi-segment RX here). Blocks: whole pages, 4 frames.
        int frame = 9216;
        String packetRing = jumbo ? ",qpairs=1,blocksz=" + 4 * frame + ",framesz=" + frame + ",framecnt=256"
                : ",qpairs=1";
        // DPDK 22.11's AF_PACKET PMD reports a 1514-byte max_rx_pktlen, so rte_eth_dev_set_mtu refuses a jumbo MTU
        // (EINVAL): the ports keep the device's (mtu 0) and the kernel sets the veths' MTU.
        int mtu = 0;
        PortConfig uplinkPort = new PortConfig("uplink", "net_af_packet" + TestDataplanes.uniqueName(""),
                "iface=" + uplink + packetRing, 1, 1024, 1024, mtu, MacAddress.parse(uplinkMac),
                List.of(Ipv4Address.parse(ourVtep)), List.of(), false);
        PortConfig accessPort = new PortConfig("access", "net_af_packet" + TestDataplanes.uniqueName(""),
                "iface=" + access + packetRing, 1, 1024, 1024, mtu, null, List.of(), List.of(), true);
        MempoolConfig mempool = jumbo ? new MempoolConfig(8191, 256, 128 + frame)
                : MempoolConfig.of(8191);
        DataplaneConfig config = new DataplaneConfig(TestDataplanes.uniqueName(dataplaneName), EalConfig.virtual(),
                mempool, List.of(uplinkPort, accessPort),
                List.of(new LcoreConfig(-1, List.of(new QueueRef("uplink", 0), new QueueRef("access", 0)))),
                Duration.ofNanos(100_000), 0, null);
        UnderlayConfig underlay = UnderlayConfig.ipv4(0, MacAddress.parse(uplinkMac), Ipv4Address.parse(ourVtep), 24)
                .withMtu(underlayMtu);
        control = new VswitchControl(new VswitchConfig(underlay, List.of(domain.apply(
                BridgeDomainConfig.of(100).withPort(AccessPort.untagged(1)), VtepAddress.parse(kernelVtep)))),
                SecondsClock::now);
        control.startMaintenance();
        dataplane = Dataplane.start(config, lcore -> Pipeline.of(new VswitchStage(control::snapshot, lcore),
                new HostStage(lcore.ports())));
    }

    private void veth(String here, String there, String ns) {
        TestNetns.dpdkVeth(here, there, ns);
        Shell.must("ethtool", "-K", here, "tx", "off");
        Shell.must("ip", "link", "set", here, "mtu", Integer.toString(underlayMtu));
    }

    /** Stops Isthmus (checking every mbuf came back) and removes the namespaces and veths. */
    @Override
    public void close() {
        try {
            if (dataplane != null) {
                dataplane.close();
                assertEquals(0, dataplane.mbufsMissingAtClose(), "every mbuf back in the pool");
            }
            if (control != null) {
                control.close();
            }
        } finally {
            removeAll();
        }
    }

    private void removeAll() {
        TestNetns.delete(List.of(h1, vtepNamespace, h2), access, uplink);
    }
}
