package dev.isthmus.vswitch.pipeline;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.dataplane.testing.FuzzedBurst;
import dev.isthmus.vswitch.config.AccessPort;
import dev.isthmus.vswitch.config.BridgeDomainConfig;
import dev.isthmus.vswitch.config.UnderlayConfig;
import dev.isthmus.vswitch.config.VswitchConfig;
import dev.isthmus.vswitch.config.VtepAddress;
import dev.isthmus.vswitch.control.VswitchControl;
import dev.isthmus.vswitch.fdb.SecondsClock;
import dev.isthmus.vswitch.runtime.Neighbor;
import dev.isthmus.vswitch.runtime.VswitchSnapshot;
import java.util.List;

/**
 * Whole frames in real mbufs against the vswitch stage: L2 frames on access ports (untagged and 802.1Q; unknown
 * unicast, broadcast, learned unicast) and VxLAN over IPv4 and IPv6 on the uplink (decapsulation, learning, split
 * horizon), with flood copies and encapsulations the stage allocates from the same pool. No exception escapes,
 * every packet ends with one valid verdict, every new packet goes to a port of the dataplane, and the mempool's
 * free count returns to where it started ({@link FuzzedBurst}). Each input starts from the same switch:
 * resolved next hops and nothing learned, on a clock that stands still, so a finding reproduces from its
 * file alone.
 * Topology as in {@link VswitchStageTest} but with small MAC limits, ARP suppression in VNI 100; seeds in VswitchStageFuzzTestInputs/ (see frame-seeds.py).
 */
class VswitchStageFuzzTest {
    private static final FuzzedBurst BURST = new FuzzedBurst("vswfuzz", 5);
    private static final VswitchControl CONTROL;
    private static final VswitchStage STAGE;

    static {
        UnderlayConfig underlay = UnderlayConfig.ipv4(0, MacAddress.parse("02:00:00:00:00:fe"),
                Ipv4Address.parse("198.18.0.1"), 24).withIpv6(Ipv6Address.parse("2001:db8::1"), 64, null);
        BridgeDomainConfig vni100 = BridgeDomainConfig.of(100)
                .withPort(AccessPort.untagged(1)).withPort(AccessPort.untagged(2)).withPort(new AccessPort(3, 10))
                .withVtep(VtepAddress.parse("198.18.0.2")).withVtep(VtepAddress.parse("198.18.0.3"))
                .withVtep(VtepAddress.parse("2001:db8::6")).withSettings(16, 300, true);
        BridgeDomainConfig vni200 = BridgeDomainConfig.of(200)
                .withPort(new AccessPort(3, 20)).withPort(AccessPort.untagged(4))
                .withVtep(VtepAddress.parse("198.18.0.2")).withSettings(8, 300, false);
        // Small MAC limits: a burst of 32 frames can reach them, and flushing small tables between inputs is cheap.
        // The control plane's clock reads the data path's second, so ages agree on both sides; it stands still.
        final int now = SecondsClock.at(BURST.nanoTime());
        CONTROL = new VswitchControl(new VswitchConfig(underlay, List.of(vni100, vni200)), () -> now);
        VswitchSnapshot s = CONTROL.snapshot();
        for (int i = 0; i < s.neighborCount(); i++) {
            Neighbor n = s.neighbor(i);
            n.confirm(MacAddress.parse(String.format("02:00:00:00:0%d:0%d", i + 1, i + 1)).value(), now);
        }
        STAGE = new VswitchStage(CONTROL::snapshot, 0, BURST.pool());
    }

    @FuzzTest(maxDuration = "", maxExecutions = 300_000)
    void vswitchStageGivesEveryFrameOneVerdictAndLeaksNothing(byte[] data) {
        // Every input starts from the same switch: nothing learned (a fresh control plane per input would cost 20 ms).
        CONTROL.flush(100);
        CONTROL.flush(200);
        BURST.run(data, STAGE);
    }
}
