package dev.isthmus.vswitch.pipeline;

import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.dataplane.counters.DataplaneDrop;
import dev.isthmus.dataplane.counters.DropReasons;
import dev.isthmus.dataplane.pipeline.PacketFrame;
import dev.isthmus.dataplane.testing.Scapy;
import dev.isthmus.dataplane.testing.TestDataplanes;
import dev.isthmus.nativebindings.Eal;
import dev.isthmus.nativebindings.MbufBurst;
import dev.isthmus.nativebindings.Mempool;
import dev.isthmus.vswitch.config.AccessPort;
import dev.isthmus.vswitch.config.BridgeDomainConfig;
import dev.isthmus.vswitch.config.UnderlayConfig;
import dev.isthmus.vswitch.config.VswitchConfig;
import dev.isthmus.vswitch.config.VtepAddress;
import dev.isthmus.vswitch.control.FdbEntryView;
import dev.isthmus.vswitch.control.VswitchControl;
import dev.isthmus.vswitch.counters.VxlanDrop;
import dev.isthmus.vswitch.fdb.SecondsClock;
import dev.isthmus.vswitch.pipeline.StageHarness.Emitted;
import dev.isthmus.vswitch.pipeline.StageHarness.Result;
import dev.isthmus.vswitch.runtime.Neighbor;
import dev.isthmus.vswitch.runtime.VswitchSnapshot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vswitch stage on frames built by scapy in real mbufs; its output decoded by scapy. Topology:
 * uplink = port 0 (VTEP 198.18.0.1 and 2001:db8::1); VNI 100 on ports 1, 2 and port 3 VLAN 10 with remote VTEPs
 * 198.18.0.2, 198.18.0.3 and 2001:db8::6; VNI 200 on port 3 VLAN 20 and port 4 with remote VTEP 198.18.0.2.
 */
class VswitchStageTest {

    private static final String UPLINK_MAC = "02:00:00:00:00:fe";
    private static final String VTEP2_MAC = "02:00:00:00:02:02";
    private static final String VTEP3_MAC = "02:00:00:00:03:03";
    private static final String VTEP6_MAC = "02:00:00:00:06:06";
    private static final String A = "02:00:00:00:00:0a";
    private static final String B = "02:00:00:00:00:0b";
    private static final String C = "02:00:00:00:00:0c";
    private static final String INNER_AB = "Ether(src='" + A + "', dst='" + B + "')/IP(src='10.0.0.10', dst='10.0.0.11')"
            + "/ICMP()/Raw(b'x'*32)";
    private static final String INNER_BA = "Ether(src='" + B + "', dst='" + A + "')/IP(src='10.0.0.11', dst='10.0.0.10')"
            + "/ICMP(type=0)/Raw(b'y'*32)";

    private static Mempool pool;
    private VswitchControl control;
    private StageHarness harness;

    @BeforeAll
    static void eal() {
        Eal.shared();
        pool = Mempool.create(TestDataplanes.uniqueName("vsw"), 2047);
    }

    @AfterAll
    static void noLeak() {
        assertEquals(pool.size(), pool.available(), "every mbuf back in the pool");
        pool.close();
    }

    @BeforeEach
    void topology() {
        UnderlayConfig underlay = UnderlayConfig.ipv4(0, MacAddress.parse(UPLINK_MAC), Ipv4Address.parse("198.18.0.1"), 24)
                .withIpv6(Ipv6Address.parse("2001:db8::1"), 64, null);
        BridgeDomainConfig vni100 = BridgeDomainConfig.of(100)
                .withPort(AccessPort.untagged(1)).withPort(AccessPort.untagged(2)).withPort(new AccessPort(3, 10))
                .withVtep(VtepAddress.parse("198.18.0.2")).withVtep(VtepAddress.parse("198.18.0.3"))
                .withVtep(VtepAddress.parse("2001:db8::6"));
        BridgeDomainConfig vni200 = BridgeDomainConfig.of(200)
                .withPort(new AccessPort(3, 20)).withPort(AccessPort.untagged(4))
                .withVtep(VtepAddress.parse("198.18.0.2"));
        control = new VswitchControl(new VswitchConfig(underlay, List.of(vni100, vni200)), SecondsClock::now);
        harness = new StageHarness(pool, new VswitchStage(control::snapshot, 0, pool));
    }

    @AfterEach
    void closeControl() {
        control.close();
    }

    private void resolveNextHops() {
        VswitchSnapshot s = control.snapshot();
        for (int i = 0; i < s.neighborCount(); i++) {
            Neighbor n = s.neighbor(i);
            String mac = n.address().toString().equals("198.18.0.2") ? VTEP2_MAC
                    : n.address().toString().equals("198.18.0.3") ? VTEP3_MAC : VTEP6_MAC;
            n.confirm(MacAddress.parse(mac).value(), SecondsClock.now());
        }
    }

    private static String vxlan(String vtep, int vni, String inner) {
        return "Ether(src='" + VTEP2_MAC + "', dst='" + UPLINK_MAC + "')/IP(src='" + vtep + "', dst='198.18.0.1')"
                + "/UDP(sport=51234, dport=4789)/VXLAN(flags=0x08, vni=" + vni + ")/" + inner;
    }

    private static int code(VxlanDrop reason) {
        return DropReasons.code(reason);
    }

    @Test
    void decapsulatesLearnsRemoteStationsAndEncapsulatesKnownUnicast() {
        resolveNextHops();
        // A speaks first from port 1: B is unknown, so the frame floods (ports 2, 3 and three VTEPs).
        Result first = harness.run(1, Scapy.build(List.of(INNER_AB)));
        assertEquals(PacketFrame.TRANSMIT, first.get(0).kind());
        assertEquals(4, first.emitted().size(), "five destinations: four copies and the original");

        // B answers through VTEP 198.18.0.2: decapsulated and switched to port 1, where A was learned.
        byte[] inner = Scapy.build(INNER_BA);
        Result second = harness.run(0, Scapy.build(List.of(vxlan("198.18.0.2", 100, INNER_BA))));
        assertEquals(PacketFrame.TRANSMIT, second.get(0).kind());
        assertEquals(1, second.get(0).target());
        assertArrayEquals(inner, second.get(0).bytes(), "the inner frame, unchanged");
        assertTrue(second.emitted().isEmpty());
        List<FdbEntryView> fdb = control.fdb(100);
        assertEquals(List.of(
                new FdbEntryView(MacAddress.parse(A), AccessPort.untagged(1), null, false, fdb.get(0).ageSeconds()),
                new FdbEntryView(MacAddress.parse(B), null, VtepAddress.parse("198.18.0.2"), false, fdb.get(1).ageSeconds())),
                fdb);

        // Now A to B is known unicast: encapsulated once, to 198.18.0.2 only.
        byte[] ab = Scapy.build(INNER_AB);
        Result third = harness.run(1, List.of(ab));
        assertEquals(PacketFrame.TRANSMIT, third.get(0).kind());
        assertEquals(0, third.get(0).target(), "out of the uplink");
        assertTrue(third.emitted().isEmpty());
        List<String> decoded = StageHarness.decode(List.of(third.get(0).bytes()), List.of(
                "(p.dst, p.src, p[IP].src, p[IP].dst, p[IP].flags.DF, ok(p, IP), p[UDP].dport, p[UDP].chksum,"
                        + " int(p[VXLAN].flags), p[VXLAN].vni, bytes(p[VXLAN].payload).hex())"));
        assertEquals("('" + VTEP2_MAC + "', '" + UPLINK_MAC + "', '198.18.0.1', '198.18.0.2', True, True, 4789, 0, 8, 100, '"
                + StageHarness.hex(ab) + "')", decoded.getFirst());
        Map<String, Long> counters = control.domainCounters(100);
        assertEquals(2L, counters.get("rx_local"));
        assertEquals(1L, counters.get("rx_remote"));
        assertEquals(2L, counters.get("learned"));
        assertEquals(1L, counters.get("flooded"));
        assertEquals(1L, control.vtepCounters(VtepAddress.parse("198.18.0.2")).get("rx_frames"));
    }

    @Test
    void floodsToOtherPortsWithTagsAndReplicatesToEveryVtep() {
        resolveNextHops();
        byte[] broadcast = Scapy.build("Ether(src='" + A + "', dst='ff:ff:ff:ff:ff:ff')/ARP(psrc='10.0.0.10', pdst='10.0.0.99')");
        Result result = harness.run(1, List.of(broadcast));
        List<byte[]> all = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        for (Emitted e : result.emitted()) {
            all.add(e.bytes());
            ports.add(e.port());
        }
        all.add(result.get(0).bytes());
        ports.add(result.get(0).target());
        assertEquals(List.of(2, 3, 0, 0, 0), ports, "port 2, port 3, then three VTEPs over the uplink");
        List<String> decoded = StageHarness.decode(all, List.of(
                "(p.src, p.type, p[ARP].pdst)",
                "(p.src, p[Dot1Q].vlan, p[ARP].pdst)",
                "(p.dst, p[IP].dst, ok(p, IP), p[VXLAN].vni, p[VXLAN].payload.src)",
                "(p.dst, p[IP].dst, ok(p, IP), p[VXLAN].vni, p[VXLAN].payload.src)",
                "(p.dst, p[IPv6].dst, ok(p, UDP), p[VXLAN].vni, p[VXLAN].payload.src)"));
        assertEquals("('" + A + "', 2054, '10.0.0.99')", decoded.get(0));
        assertEquals("('" + A + "', 10, '10.0.0.99')", decoded.get(1));
        assertEquals("('" + VTEP2_MAC + "', '198.18.0.2', True, 100, '" + A + "')", decoded.get(2));
        assertEquals("('" + VTEP3_MAC + "', '198.18.0.3', True, 100, '" + A + "')", decoded.get(3));
        assertEquals("('" + VTEP6_MAC + "', '2001:db8::6', True, 100, '" + A + "')", decoded.get(4));

        // From a remote VTEP, a broadcast goes to the local ports only (split horizon).
        Result fromRemote = harness.run(0, Scapy.build(List.of(vxlan("198.18.0.2", 100,
                "Ether(src='" + B + "', dst='ff:ff:ff:ff:ff:ff')/ARP(psrc='10.0.0.11', pdst='10.0.0.99')"))));
        List<Integer> remotePorts = new ArrayList<>();
        fromRemote.emitted().forEach(e -> remotePorts.add(e.port()));
        remotePorts.add(fromRemote.get(0).target());
        assertEquals(List.of(1, 2, 3), remotePorts);
    }

    @Test
    void aNextHopExpiredDuringAFloodIsNotWrittenAsBroadcast() {
        resolveNextHops();
        // The control thread's expiry can land between the VTEP check and the header write of a flood copy: here it
        // lands right after the first copy leaves, before the VTEP copies are written.
        harness.afterEmit = () -> {
            VswitchSnapshot s = control.snapshot();
            for (int n = 0; n < s.neighborCount(); n++) {
                s.neighbor(n).expire(SecondsClock.now() + 10 * Neighbor.EXPIRY_SECONDS);
            }
        };
        byte[] broadcast = Scapy.build("Ether(src='" + A + "', dst='ff:ff:ff:ff:ff:ff')/ARP(psrc='10.0.0.10', pdst='10.0.0.99')");
        Result result = harness.run(1, List.of(broadcast));
        harness.afterEmit = () -> { };
        List<byte[]> encapsulated = result.emitted().stream().filter(e -> e.port() == 0)
                .map(Emitted::bytes).filter(b -> b[12] == 0x08 && b[13] == 0x00).toList();
        assertEquals(2, encapsulated.size(), "the copies to the two IPv4 VTEPs, checked before the expiry");
        assertEquals(List.of("('" + VTEP2_MAC + "', '198.18.0.2')", "('" + VTEP3_MAC + "', '198.18.0.3')"),
                StageHarness.decode(encapsulated, List.of("(p.dst, p[IP].dst)", "(p.dst, p[IP].dst)")),
                "each copy carries the MAC its check saw, never ff:ff:ff:ff:ff:ff");
        // The original, to the IPv6 VTEP, was checked with the others before the expiry: sent with that MAC too.
        assertEquals(PacketFrame.TRANSMIT, result.get(0).kind());
        assertEquals("('" + VTEP6_MAC + "', '2001:db8::6')", StageHarness.decode(List.of(result.get(0).bytes()),
                List.of("(p.dst, p[IPv6].dst)")).getFirst());
    }

    @Test
    void aFloodWhoseOnlyVtepIsUnresolvedIsOneDropWithThatReason() {
        control.createBridgeDomain(BridgeDomainConfig.of(300).withPort(AccessPort.untagged(5))
                .withVtep(VtepAddress.parse("198.18.0.2")));
        Result result = harness.run(5, Scapy.build(List.of(
                "Ether(src='" + A + "', dst='ff:ff:ff:ff:ff:ff')/ARP(psrc='10.0.0.10', pdst='10.0.0.99')")));
        assertEquals(PacketFrame.DROP, result.get(0).kind());
        assertEquals(code(VxlanDrop.NEXT_HOP_UNRESOLVED), result.get(0).target());
        Map<String, Long> counters = control.domainCounters(300);
        // Every drop reason is listed, zeros too: exactly one is not zero, counted once (no drop_nowhere_to_flood: a
        // VTEP was there), and drop_nowhere_to_flood is present at zero (a renamed counter would fail this).
        Map<String, Long> drops = new java.util.TreeMap<>(counters);
        drops.keySet().removeIf(k -> !k.startsWith("drop_"));
        assertEquals(0L, drops.get("drop_nowhere_to_flood"));
        drops.values().removeIf(v -> v == 0L);
        assertEquals(Map.of("drop_next_hop_unresolved", 1L), drops);
    }

    @Test
    void anExhaustedPoolIsCountedAsNoMbufAndTheOriginalStillLeaves() {
        // Everything but one mbuf taken out of the pool: the input frame gets it, the flood copies and probes nothing.
        List<MbufBurst> held = new ArrayList<>();
        try {
            for (int n = MbufBurst.MAX; n > 0; n /= 2) {
                while (true) {
                    MbufBurst b = new MbufBurst();
                    if (!b.allocate(pool, n)) {
                        break;
                    }
                    held.add(b);
                }
            }
            held.getLast().freeAll();
            held.removeLast();
            assertEquals(1, pool.available());
            resolveNextHops();
            byte[] broadcast = Scapy.build("Ether(src='" + A + "', dst='ff:ff:ff:ff:ff:ff')/ARP(psrc='10.0.0.10', pdst='10.0.0.99')");
            Result result = harness.run(1, List.of(broadcast));
            assertEquals(4, harness.noMbuf, "four copies (ports 2 and 3, two VTEPs) asked for and not had");
            assertEquals(4L, control.domainCounters(100).get("drop_replication_failed"));
            assertTrue(result.emitted().isEmpty());
            assertEquals(PacketFrame.TRANSMIT, result.get(0).kind(), "the original still goes to the last destination");
        } finally {
            held.forEach(MbufBurst::freeAll);
        }
    }

    @Test
    void twoVnisOnTheSamePortsDoNotLeak() {
        resolveNextHops();
        // A broadcast in VNI 200 (port 3 VLAN 20) reaches port 4 and VTEP 2 with VNI 200, nothing of VNI 100.
        byte[] tagged = Scapy.build("Ether(src='" + C + "', dst='ff:ff:ff:ff:ff:ff')/Dot1Q(vlan=20)/IP(dst='10.9.9.9')/UDP()");
        Result result = harness.run(3, List.of(tagged));
        List<byte[]> all = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        result.emitted().forEach(e -> {
            all.add(e.bytes());
            ports.add(e.port());
        });
        all.add(result.get(0).bytes());
        ports.add(result.get(0).target());
        assertEquals(List.of(4, 0), ports);
        List<String> decoded = StageHarness.decode(all, List.of("(Dot1Q in p, p.src)", "(p[VXLAN].vni, Dot1Q in p[VXLAN].payload)"));
        assertEquals("(False, '" + C + "')", decoded.get(0), "the VLAN tag is removed inside the domain");
        assertEquals("(200, False)", decoded.get(1));
        assertTrue(control.fdb(100).isEmpty(), "nothing learned in VNI 100");

        // VNI 200 from VTEP 2: to port 3 tagged 20 and port 4; C learned in VNI 200 only.
        Result remote = harness.run(0, Scapy.build(List.of(vxlan("198.18.0.2", 200,
                "Ether(src='" + B + "', dst='" + C + "')/IP(dst='10.9.9.9')/UDP()"))));
        assertEquals(PacketFrame.TRANSMIT, remote.get(0).kind());
        assertEquals(3, remote.get(0).target());
        assertEquals("(20,)", StageHarness.decode(List.of(remote.get(0).bytes()), List.of("(p[Dot1Q].vlan,)")).getFirst());
        assertEquals(2, control.fdb(200).size());
        assertTrue(control.fdb(100).isEmpty());
        // An untagged frame on port 3 and VLAN 30 belong to no domain.
        Result stray = harness.run(3, Scapy.build(List.of("Ether(src='" + C + "', dst='" + A + "')/IP()",
                "Ether(src='" + C + "', dst='" + A + "')/Dot1Q(vlan=30)/IP()")));
        for (int i = 0; i < 2; i++) {
            assertEquals(PacketFrame.DROP, stray.get(i).kind());
            assertEquals(code(VxlanDrop.NO_BRIDGE_DOMAIN), stray.get(i).target());
        }
    }

    @Test
    void malformedVxlanIsDroppedWithItsReason() {
        resolveNextHops();
        String inner = "Ether(src='" + B + "', dst='" + A + "')/IP()";
        List<String> frames = List.of(
                vxlan("198.18.0.2", 100, inner).replace("VXLAN(flags=0x08, vni=100)/" + inner, "Raw(b'\\x08\\x00\\x00\\x00\\x00\\x00d\\x00')"),
                vxlan("198.18.0.2", 100, inner).replace("flags=0x08, vni=100)", "flags=0x0C, vni=100)"),
                vxlan("198.18.0.2", 100, inner).replace("flags=0x08, vni=100)", "flags=0x00, vni=100)"),
                vxlan("198.18.0.2", 100, inner).replace("flags=0x08, vni=100)", "flags=0x08, vni=100, reserved2=1)"),
                vxlan("198.18.0.2", 999, inner),
                vxlan("198.18.0.9", 100, inner),
                vxlan("198.18.0.3", 200, inner),
                vxlan("198.18.0.2", 100, inner).replace("dst='198.18.0.1')", "dst='198.18.0.1', chksum=0x1234)"),
                vxlan("198.18.0.2", 100, inner).replace("dport=4789)", "dport=4789, chksum=0x1234)"),
                vxlan("198.18.0.2", 100, inner).replace("dst='198.18.0.1')", "dst='198.18.0.1', flags='MF')"),
                vxlan("198.18.0.2", 100, inner).replace("dport=4789)", "dport=4789, len=200)"),
                "Ether(src='" + VTEP2_MAC + "', dst='" + UPLINK_MAC + "')/IPv6(src='2001:db8::6', dst='2001:db8::1')"
                        + "/UDP(sport=1, dport=4789, chksum=0)/VXLAN(flags=0x08, vni=100)/" + inner,
                vxlan("198.18.0.2", 100, inner).replace("dport=4789)", "dport=4789, chksum=0)"),
                vxlan("198.18.0.2", 100, inner).replace("dport=4789", "dport=4790"),
                "Ether(src='" + VTEP2_MAC + "', dst='ff:ff:ff:ff:ff:ff')/ARP(op=1, psrc='198.18.0.2', pdst='198.18.0.1')");
        Result result = harness.run(0, Scapy.build(frames));
        int[] expected = {
                code(VxlanDrop.VXLAN_TRUNCATED), code(VxlanDrop.VXLAN_BAD_FLAGS), code(VxlanDrop.VXLAN_BAD_FLAGS),
                code(VxlanDrop.VXLAN_BAD_FLAGS), code(VxlanDrop.UNKNOWN_VNI), code(VxlanDrop.UNKNOWN_VTEP),
                code(VxlanDrop.UNKNOWN_VTEP), DropReasons.code(DataplaneDrop.IPV4_BAD_CHECKSUM),
                DropReasons.code(DataplaneDrop.UDP_BAD_CHECKSUM), DropReasons.code(DataplaneDrop.IPV4_FRAGMENT),
                DropReasons.code(DataplaneDrop.UDP_BAD_LENGTH), DropReasons.code(DataplaneDrop.UDP_BAD_CHECKSUM)};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(PacketFrame.DROP, result.get(i).kind(), "frame " + i);
            assertEquals(expected[i], result.get(i).target(), "frame " + i + ": " + DropReasons.reason(result.get(i).target()));
        }
        assertEquals(PacketFrame.TRANSMIT, result.get(12).kind(), "zero UDP checksum over IPv4 is fine (RFC 7348)");
        assertEquals(PacketFrame.PENDING, result.get(13).kind(), "another UDP port: not VxLAN, left to the host");
        assertEquals(PacketFrame.PENDING, result.get(14).kind(), "ARP for our VTEP address: left to the host");
        assertEquals(1L, control.domainCounters(100).get("drop_unknown_vtep"));
        assertEquals(1L, control.domainCounters(200).get("drop_unknown_vtep"));
    }

    /**
     * The same kinds of malformed VxLAN, and a few well-formed packets off the common path, with the zero UDP
     * checksum RFC 7348 senders send: the common-case check in front of the field-by-field one must give the same
     * verdicts and reasons, and strip well-formed packets exactly.
     */
    @Test
    void zeroUdpChecksumVxlanGetsTheSameVerdictsThroughTheCommonCaseCheck() {
        resolveNextHops();
        harness.run(1, Scapy.build(List.of(INNER_AB))); // A is learned on port 1
        String inner = "Ether(src='" + B + "', dst='" + A + "')/IP()";
        String ok = vxlan("198.18.0.2", 100, inner).replace("dport=4789)", "dport=4789, chksum=0)");
        List<String> frames = List.of(
                ok.replace("VXLAN(flags=0x08, vni=100)/" + inner, "Raw(b'\\x08\\x00\\x00\\x00\\x00\\x00d\\x00')"),
                ok.replace("flags=0x08, vni=100)", "flags=0x0C, vni=100)"),
                ok.replace("flags=0x08, vni=100)", "flags=0x00, vni=100)"),
                ok.replace("flags=0x08, vni=100)", "flags=0x08, vni=100, reserved2=1)"),
                ok.replace("vni=100", "vni=999"),
                ok.replace("src='198.18.0.2'", "src='198.18.0.9'"),
                ok.replace("src='198.18.0.2'", "src='198.18.0.3'").replace("vni=100", "vni=200"),
                ok.replace("dst='198.18.0.1')", "dst='198.18.0.1', chksum=0x1234)"),
                ok.replace("dst='198.18.0.1')", "dst='198.18.0.1', flags='MF')"),
                ok.replace("dst='198.18.0.1')", "dst='198.18.0.1', frag=3)"),
                ok.replace("chksum=0)", "chksum=0, len=200)"),
                ok.replace("dst='198.18.0.1')", "dst='198.18.0.1', version=5)"),
                ok.replace("dst='198.18.0.1')", "dst='198.18.0.1', len=500)"),
                ok.replace("chksum=0)", "chksum=0, len=20)"),
                ok.replace("dport=4789", "dport=4790"),
                ok,
                ok.replace("dst='198.18.0.1')", "dst='198.18.0.1', options=[IPOption_NOP()] * 3 + [IPOption_EOL()])"),
                "Ether(bytes(" + ok + ") + b'\\x00' * 10)",
                ok.replace("dst='198.18.0.1')", "dst='198.18.0.1', flags='DF', ttl=1, tos=0xb8, id=777)"),
                // Octets after the datagram inside the IP packet: not the common case (the UDP Length is not the
                // IP payload), stripped to the UDP Length by the field-by-field path.
                "Ether(src='" + VTEP2_MAC + "', dst='" + UPLINK_MAC + "')/IP(src='198.18.0.2', dst='198.18.0.1', "
                        + "proto=17)/Raw(bytes(UDP(sport=51234, dport=4789, chksum=0)/VXLAN(flags=0x08, vni=100)/"
                        + inner + ") + b'\\x00' * 6)");
        Result result = harness.run(0, Scapy.build(frames));
        int[] expected = {
                code(VxlanDrop.VXLAN_TRUNCATED), code(VxlanDrop.VXLAN_BAD_FLAGS), code(VxlanDrop.VXLAN_BAD_FLAGS),
                code(VxlanDrop.VXLAN_BAD_FLAGS), code(VxlanDrop.UNKNOWN_VNI), code(VxlanDrop.UNKNOWN_VTEP),
                code(VxlanDrop.UNKNOWN_VTEP), DropReasons.code(DataplaneDrop.IPV4_BAD_CHECKSUM),
                DropReasons.code(DataplaneDrop.IPV4_FRAGMENT), DropReasons.code(DataplaneDrop.IPV4_FRAGMENT),
                DropReasons.code(DataplaneDrop.UDP_BAD_LENGTH), DropReasons.code(DataplaneDrop.IPV4_BAD_VERSION),
                DropReasons.code(DataplaneDrop.IPV4_BAD_TOTAL_LENGTH), code(VxlanDrop.VXLAN_TRUNCATED)};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(PacketFrame.DROP, result.get(i).kind(), "frame " + i);
            assertEquals(expected[i], result.get(i).target(), "frame " + i + ": " + DropReasons.reason(result.get(i).target()));
        }
        assertEquals(PacketFrame.PENDING, result.get(14).kind(), "another UDP port: not VxLAN, left to the host");
        byte[] innerBytes = Scapy.build(inner);
        for (int i = 15; i < frames.size(); i++) {
            assertEquals(PacketFrame.TRANSMIT, result.get(i).kind(), "frame " + i);
            assertEquals(1, result.get(i).target(), "frame " + i);
            assertArrayEquals(innerBytes, result.get(i).bytes(), "frame " + i + ": the inner frame, stripped exactly");
        }
        assertEquals(5L, control.vtepCounters(VtepAddress.parse("198.18.0.2")).get("rx_frames"));
        assertEquals(1L, control.domainCounters(100).get("drop_unknown_vtep"));
        assertEquals(1L, control.domainCounters(200).get("drop_unknown_vtep"));
    }

    @Test
    void unresolvedNextHopIsProbedAndDroppedUntilTheReplyComes() {
        Result result = harness.run(1, Scapy.build(List.of(INNER_AB, INNER_AB)));
        // B unknown: the flood reaches ports 2 and 3 but no VTEP (next hops unresolved), one ARP request each.
        List<Emitted> all = result.emitted().stream().filter(e -> e.port() == 0).toList();
        assertEquals(3, all.size(), "one probe per next hop, though two frames wanted each");
        assertEquals(2, all.stream().filter(e -> e.bytes()[12] == 0x08 && e.bytes()[13] == 0x06).count(),
                "ARP requests for the two IPv4 next hops; the IPv6 one gets a solicitation");
        List<String> decoded = StageHarness.decode(
                List.of(all.get(0).bytes(), all.get(1).bytes()),
                List.of("(p.dst, p[ARP].op, p[ARP].psrc, p[ARP].hwsrc, p[ARP].pdst)",
                        "(p.dst, p[ARP].op, p[ARP].psrc, p[ARP].hwsrc, p[ARP].pdst)"));
        assertEquals("('ff:ff:ff:ff:ff:ff', 1, '198.18.0.1', '" + UPLINK_MAC + "', '198.18.0.2')", decoded.get(0));
        assertEquals("('ff:ff:ff:ff:ff:ff', 1, '198.18.0.1', '" + UPLINK_MAC + "', '198.18.0.3')", decoded.get(1));
        assertTrue(control.domainCounters(100).get("drop_next_hop_unresolved") >= 3);

        // 198.18.0.2 answers; the reply is left pending for the host stage, and the next hop is now known.
        Result reply = harness.run(0, Scapy.build(List.of("Ether(src='" + VTEP2_MAC + "', dst='" + UPLINK_MAC
                + "')/ARP(op=2, hwsrc='" + VTEP2_MAC + "', psrc='198.18.0.2', hwdst='" + UPLINK_MAC + "', pdst='198.18.0.1')")));
        assertEquals(PacketFrame.PENDING, reply.get(0).kind());
        assertEquals(VTEP2_MAC, control.underlayStatus().nextHops().stream()
                .filter(h -> h.address().toString().equals("198.18.0.2")).findFirst().orElseThrow().mac().toString());
    }

    @Test
    void ipv6NextHopIsSolicitedAndIpv6VxlanIsDecapsulated() {
        Result result = harness.run(1, Scapy.build(List.of(INNER_AB)));
        byte[] solicitation = result.emitted().stream().filter(e -> e.port() == 0).map(Emitted::bytes)
                .filter(b -> b[12] == (byte) 0x86).findFirst().orElseThrow();
        assertEquals("('33:33:ff:00:00:06', 'ff02::1:ff00:6', 255, '2001:db8::6', '" + UPLINK_MAC + "', True)",
                StageHarness.decode(List.of(solicitation), List.of("(p.dst, p[IPv6].dst, p[IPv6].hlim,"
                        + " p[ICMPv6ND_NS].tgt, p[ICMPv6NDOptSrcLLAddr].lladdr, okc(p, ICMPv6ND_NS))")).getFirst());
        Result advert = harness.run(0, Scapy.build(List.of("Ether(src='" + VTEP6_MAC + "', dst='" + UPLINK_MAC + "')"
                + "/IPv6(src='2001:db8::6', dst='2001:db8::1', hlim=255)/ICMPv6ND_NA(tgt='2001:db8::6', S=1)"
                + "/ICMPv6NDOptDstLLAddr(lladdr='" + VTEP6_MAC + "')")));
        assertEquals(PacketFrame.PENDING, advert.get(0).kind());
        Result decap = harness.run(0, Scapy.build(List.of("Ether(src='" + VTEP6_MAC + "', dst='" + UPLINK_MAC + "')"
                + "/IPv6(src='2001:db8::6', dst='2001:db8::1')/UDP(sport=1, dport=4789)/VXLAN(flags=0x08, vni=100)/" + INNER_BA)));
        assertEquals(PacketFrame.TRANSMIT, decap.get(0).kind());
        assertEquals(1, decap.get(0).target());
        // And back: A to B is now encapsulated over IPv6 with a valid UDP checksum.
        Result encap = harness.run(1, Scapy.build(List.of(INNER_AB)));
        assertEquals(0, encap.get(0).target());
        assertEquals("('" + VTEP6_MAC + "', '2001:db8::6', 100, True)", StageHarness.decode(List.of(encap.get(0).bytes()),
                List.of("(p.dst, p[IPv6].dst, p[VXLAN].vni, ok(p, UDP))")).getFirst());
    }

    @Test
    void oversizedFramesAreDroppedForTheUnderlayMtu() {
        resolveNextHops();
        harness.run(0, Scapy.build(List.of(vxlan("198.18.0.2", 100, INNER_BA))));
        // 1464 inner bytes fit a 1500-byte underlay MTU over IPv4; 1465 do not.
        String fits = "Ether(src='" + A + "', dst='" + B + "')/IP()/Raw(b'z'*(1464-34))";
        String tooBig = "Ether(src='" + A + "', dst='" + B + "')/IP()/Raw(b'z'*(1465-34))";
        Result result = harness.run(1, Scapy.build(List.of(fits, tooBig)));
        assertEquals(PacketFrame.TRANSMIT, result.get(0).kind());
        assertEquals(1514, result.get(0).bytes().length);
        assertEquals(PacketFrame.DROP, result.get(1).kind());
        assertEquals(code(VxlanDrop.MTU_EXCEEDED), result.get(1).target());
        assertEquals(1L, control.domainCounters(100).get("drop_mtu_exceeded"));
        assertEquals(1464, control.underlayStatus().maxInnerFrameIpv4());
    }

    @Test
    void arpRequestsForKnownBindingsAreAnsweredLocally() {
        resolveNextHops();
        // C (port 2) announces itself; then A (port 1) asks for C's address: the switch answers, nothing floods.
        harness.run(2, Scapy.build(List.of("Ether(src='" + C + "', dst='ff:ff:ff:ff:ff:ff')/ARP(op=2, hwsrc='" + C
                + "', psrc='10.0.0.12', hwdst='ff:ff:ff:ff:ff:ff', pdst='10.0.0.12')")));
        Result result = harness.run(1, Scapy.build(List.of("Ether(src='" + A + "', dst='ff:ff:ff:ff:ff:ff')/ARP(op=1, hwsrc='"
                + A + "', psrc='10.0.0.10', pdst='10.0.0.12')")));
        assertEquals(PacketFrame.TRANSMIT, result.get(0).kind());
        assertEquals(1, result.get(0).target(), "back to the requester's port");
        assertTrue(result.emitted().isEmpty(), "not flooded");
        assertEquals("('" + A + "', '" + C + "', 2, '" + C + "', '10.0.0.12', '" + A + "', '10.0.0.10')",
                StageHarness.decode(List.of(result.get(0).bytes()), List.of(
                        "(p.dst, p.src, p[ARP].op, p[ARP].hwsrc, p[ARP].psrc, p[ARP].hwdst, p[ARP].pdst)")).getFirst());
        assertEquals(1L, control.domainCounters(100).get("arp_suppressed"));
    }

    @Test
    void macFloodStopsAtTheDomainLimit() {
        control.updateSettings(100, 100, 300, true);
        Random random = new Random(7);
        Set<String> macs = new TreeSet<>();
        while (macs.size() < 500) {
            macs.add(String.format("02:%02x:%02x:%02x:%02x:%02x", random.nextInt(256), random.nextInt(256),
                    random.nextInt(256), random.nextInt(256), random.nextInt(256)));
        }
        List<String> frames = macs.stream().map(m -> "Ether(src='" + m + "', dst='" + B + "')/IP()").toList();
        harness.run(2, Scapy.build(frames));
        Map<String, Long> counters = control.domainCounters(100);
        assertEquals(100L, counters.get("macs_learned_now"));
        assertEquals(100L, counters.get("learned"));
        assertEquals(400L, counters.get("learn_limit"));
        assertEquals(100, control.fdb(100).size());
    }

    @Test
    void knownUnicastBackToItsOwnPortIsFilteredAndGroupSourcesDropped() {
        harness.run(1, Scapy.build(List.of("Ether(src='" + C + "', dst='" + A + "')/IP()")));
        Result result = harness.run(1, Scapy.build(List.of("Ether(src='" + A + "', dst='" + C + "')/IP()",
                "Ether(src='01:00:5e:00:00:01', dst='" + C + "')/IP()", "Ether(src='" + A + "')")));
        assertEquals(code(VxlanDrop.SAME_PORT), result.get(0).target());
        assertEquals(code(VxlanDrop.GROUP_SOURCE_MAC), result.get(1).target());
        assertEquals(Arrays.asList(PacketFrame.DROP, PacketFrame.DROP), List.of(result.get(0).kind(), result.get(1).kind()));
    }
}
