package dev.isthmus.vswitch.pipeline;

import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.dataplane.counters.DropReasons;
import dev.isthmus.dataplane.pipeline.PacketFrame;
import dev.isthmus.dataplane.testing.Scapy;
import dev.isthmus.dataplane.testing.TestDataplanes;
import dev.isthmus.nativebindings.Eal;
import dev.isthmus.nativebindings.Mempool;
import dev.isthmus.vswitch.config.AccessPort;
import dev.isthmus.vswitch.config.BridgeDomainConfig;
import dev.isthmus.vswitch.config.UnderlayConfig;
import dev.isthmus.vswitch.config.VswitchConfig;
import dev.isthmus.vswitch.config.VtepAddress;
import dev.isthmus.vswitch.control.FdbEntryView;
import dev.isthmus.vswitch.control.LearnedVtepView;
import dev.isthmus.vswitch.control.VswitchControl;
import dev.isthmus.vswitch.counters.VxlanDrop;
import dev.isthmus.vswitch.fdb.SecondsClock;
import dev.isthmus.vswitch.pipeline.StageHarness.Result;
import dev.isthmus.vswitch.runtime.Neighbor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * VTEP learning through the stage, over scapy-built frames in real mbufs. Uplink = port 0 (VTEP 198.18.0.1 and
 * 2001:db8::1); VNI 100 learns VTEPs (at most 2) on port 1 with 198.18.0.2 configured; VNI 200 does not learn, on
 * port 2 with 198.18.0.2 configured.
 */
class VtepLearningStageTest {

    private static final String UPLINK_MAC = "02:00:00:00:00:fe";
    private static final String VTEP2_MAC = "02:00:00:00:02:02";
    private static final String VTEP9_MAC = "02:00:00:00:09:09";
    private static final String A = "02:00:00:00:00:0a";
    private static final String B = "02:00:00:00:00:0b";
    private static final String INNER_BA = "Ether(src='" + B + "', dst='" + A + "')/IP(src='10.0.0.11', dst='10.0.0.10')"
            + "/ICMP(type=0)/Raw(b'y'*32)";
    private static final String INNER_AB = "Ether(src='" + A + "', dst='" + B + "')/IP(src='10.0.0.10', dst='10.0.0.11')"
            + "/ICMP()/Raw(b'x'*32)";
    private static final VtepAddress VTEP9 = VtepAddress.parse("198.18.0.9");

    private static Mempool pool;
    private VswitchControl control;
    private StageHarness harness;

    @BeforeAll
    static void eal() {
        Eal.shared();
        pool = Mempool.create(TestDataplanes.uniqueName("vtl"), 1023);
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
        BridgeDomainConfig learning = BridgeDomainConfig.of(100).withPort(AccessPort.untagged(1))
                .withVtep(VtepAddress.parse("198.18.0.2")).withVtepLearning(true, 2);
        BridgeDomainConfig fixed = BridgeDomainConfig.of(200).withPort(AccessPort.untagged(2))
                .withVtep(VtepAddress.parse("198.18.0.2"));
        control = new VswitchControl(new VswitchConfig(underlay, List.of(learning, fixed)), SecondsClock::now);
        harness = new StageHarness(pool, new VswitchStage(control::snapshot, 0, pool));
        Neighbor vtep2 = control.snapshot().neighborOf(VtepAddress.parse("198.18.0.2").ipv4());
        vtep2.confirm(MacAddress.parse(VTEP2_MAC).value(), SecondsClock.now());
    }

    @AfterEach
    void closeControl() {
        control.close();
    }

    private static String vxlan(String vtep, int vni, String inner) {
        return "Ether(src='" + VTEP9_MAC + "', dst='" + UPLINK_MAC + "')/IP(src='" + vtep + "', dst='198.18.0.1')"
                + "/UDP(sport=51234, dport=4789)/VXLAN(flags=0x08, vni=" + vni + ")/" + inner;
    }

    private static String vxlan6(String vtep, int vni, String inner) {
        return "Ether(src='" + VTEP9_MAC + "', dst='" + UPLINK_MAC + "')/IPv6(src='" + vtep + "', dst='2001:db8::1')"
                + "/UDP(sport=51234, dport=4789)/VXLAN(flags=0x08, vni=" + vni + ")/" + inner;
    }

    private static void dropped(Result result, int i, VxlanDrop reason) {
        assertEquals(PacketFrame.DROP, result.get(i).kind(), "frame " + i);
        assertEquals(DropReasons.code(reason), result.get(i).target(),
                "frame " + i + ": " + DropReasons.reason(result.get(i).target()));
    }

    @Test
    void withLearningOffAnUnknownVtepIsDroppedAsToday() {
        Result result = harness.run(0, Scapy.build(List.of(vxlan("198.18.0.9", 200, INNER_BA))));
        dropped(result, 0, VxlanDrop.UNKNOWN_VTEP);
        assertEquals(0, control.processVtepLearning(), "no request was made");
        assertEquals(1L, control.domainCounters(200).get("drop_unknown_vtep"));
    }

    @Test
    void aVtepIsLearnedFromItsFirstPacketThenItsStationsAreLearnedAndReachedByUnicast() {
        // First packet: dropped, and learning requested (both the common and the field-by-field path ask).
        Result first = harness.run(0, Scapy.build(List.of(vxlan("198.18.0.9", 100, INNER_BA),
                vxlan("198.18.0.9", 100, INNER_BA).replace("dport=4789)", "dport=4789, chksum=None)"))));
        dropped(first, 0, VxlanDrop.VTEP_LEARNING);
        dropped(first, 1, VxlanDrop.VTEP_LEARNING);
        assertEquals(2L, control.domainCounters(100).get("drop_vtep_learning"));
        assertTrue(control.fdb(100).isEmpty());

        assertEquals(1, control.processVtepLearning());
        assertEquals(List.of(VTEP9), control.learnedVteps(100).stream().map(LearnedVtepView::address).toList());

        // Next packet from it: accepted, the inner frame switched to port 1 (A unknown: flood to local ports only).
        Result second = harness.run(0, Scapy.build(List.of(vxlan("198.18.0.9", 100, INNER_BA))));
        assertEquals(PacketFrame.TRANSMIT, second.get(0).kind());
        assertEquals(1, second.get(0).target());
        assertArrayEquals(Scapy.build(INNER_BA), second.get(0).bytes());
        assertTrue(second.emitted().isEmpty(), "nothing replicated to a VTEP: from a VTEP, split horizon");
        List<FdbEntryView> fdb = control.fdb(100);
        assertEquals(List.of(new FdbEntryView(MacAddress.parse(B), null, VTEP9, false, fdb.getFirst().ageSeconds())),
                fdb);

        // A to B: known unicast behind the learned VTEP. Its next hop is unresolved: dropped and an ARP request sent.
        Result unresolved = harness.run(1, Scapy.build(List.of(INNER_AB)));
        dropped(unresolved, 0, VxlanDrop.NEXT_HOP_UNRESOLVED);
        assertEquals(1, unresolved.emitted().size());
        assertEquals("('ff:ff:ff:ff:ff:ff', 1, '198.18.0.1', '198.18.0.9')", StageHarness.decode(
                List.of(unresolved.emitted().getFirst().bytes()),
                List.of("(p.dst, p[ARP].op, p[ARP].psrc, p[ARP].pdst)")).getFirst());
        // The reply on the uplink resolves it, as for any VTEP.
        Result reply = harness.run(0, Scapy.build(List.of("Ether(src='" + VTEP9_MAC + "', dst='" + UPLINK_MAC
                + "')/ARP(op=2, hwsrc='" + VTEP9_MAC + "', psrc='198.18.0.9', hwdst='" + UPLINK_MAC
                + "', pdst='198.18.0.1')")));
        assertEquals(PacketFrame.PENDING, reply.get(0).kind());

        byte[] ab = Scapy.build(INNER_AB);
        Result encapsulated = harness.run(1, List.of(ab));
        assertEquals(PacketFrame.TRANSMIT, encapsulated.get(0).kind());
        assertEquals(0, encapsulated.get(0).target(), "out of the uplink");
        assertEquals("('" + VTEP9_MAC + "', '198.18.0.1', '198.18.0.9', True, 100, '" + StageHarness.hex(ab) + "')",
                StageHarness.decode(List.of(encapsulated.get(0).bytes()), List.of(
                        "(p.dst, p[IP].src, p[IP].dst, ok(p, IP), p[VXLAN].vni, bytes(p[VXLAN].payload).hex())"))
                        .getFirst());
        assertEquals(1L, control.vtepCounters(VTEP9).get("rx_frames"));
        assertEquals(1L, control.vtepCounters(VTEP9).get("tx_frames"));

        // A broadcast from port 1 is replicated to the configured VTEP only, never to the learned one. Its neighbour
        // is confirmed afresh: on a loaded machine the scapy calls above can take longer than REFRESH_SECONDS, and the
        // stage would then also (rightly) emit an ARP refresh for 198.18.0.2.
        control.snapshot().neighborOf(VtepAddress.parse("198.18.0.2").ipv4())
                .confirm(MacAddress.parse(VTEP2_MAC).value(), SecondsClock.now());
        Result flood = harness.run(1, Scapy.build(List.of(
                "Ether(src='" + A + "', dst='ff:ff:ff:ff:ff:ff')/ARP(psrc='10.0.0.10', pdst='10.0.0.99')")));
        List<byte[]> out = new ArrayList<>();
        flood.emitted().forEach(e -> out.add(e.bytes()));
        out.add(flood.get(0).bytes());
        assertEquals(1, out.size());
        assertEquals("'198.18.0.2'", StageHarness.decode(out, List.of("p[IP].dst")).getFirst().replace('"', '\''));
    }

    @Test
    void ipv6VtepsAreLearnedToo() {
        dropped(harness.run(0, Scapy.build(List.of(vxlan6("2001:db8::9", 100, INNER_BA)))), 0, VxlanDrop.VTEP_LEARNING);
        assertEquals(1, control.processVtepLearning());
        Result second = harness.run(0, Scapy.build(List.of(vxlan6("2001:db8::9", 100, INNER_BA))));
        assertEquals(PacketFrame.TRANSMIT, second.get(0).kind());
        assertEquals(VtepAddress.parse("2001:db8::9"), control.fdb(100).getFirst().vtep());
    }

    @Test
    void theLimitHoldsAgainstManySources() {
        List<String> frames = new ArrayList<>();
        for (int k = 10; k < 40; k++) {
            frames.add(vxlan("198.18.0." + k, 100, INNER_BA));
        }
        Result result = harness.run(0, Scapy.build(frames));
        for (int i = 0; i < frames.size(); i++) {
            dropped(result, i, VxlanDrop.VTEP_LEARNING);
        }
        assertEquals(2, control.processVtepLearning());
        assertEquals(2, control.learnedVteps(100).size());
        Map<String, Long> counters = control.domainCounters(100);
        assertEquals(28L, counters.get("vtep_learn_limit"));
        assertEquals(0L, counters.get("vtep_learn_queue_full"));
        // Past the limit, packets from the others keep being dropped and refused.
        Result again = harness.run(0, Scapy.build(frames));
        int accepted = 0;
        for (int i = 0; i < frames.size(); i++) {
            if (again.get(i).kind() == PacketFrame.TRANSMIT) {
                accepted++;
            } else {
                dropped(again, i, VxlanDrop.VTEP_LEARNING);
            }
        }
        assertEquals(2, accepted);
        assertEquals(0, control.processVtepLearning());
        assertEquals(2, control.learnedVteps(100).size());
    }

    @Test
    void aFullQueueIsCountedAndDropsTheRequest() {
        List<String> frames = new ArrayList<>();
        for (int k = 0; k < 100; k++) {
            frames.add(vxlan("198.18.0.9", 100, INNER_BA));
        }
        harness.run(0, Scapy.build(frames));
        Map<String, Long> counters = control.domainCounters(100);
        assertEquals(100L, counters.get("drop_vtep_learning"));
        assertEquals(100L - 64, counters.get("vtep_learn_queue_full"));
        assertEquals(1, control.processVtepLearning(), "64 duplicates, one VTEP");
    }
}
