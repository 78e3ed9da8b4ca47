package dev.isthmus.vswitch.control;

import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.vswitch.config.AccessPort;
import dev.isthmus.vswitch.config.BridgeDomainConfig;
import dev.isthmus.vswitch.config.UnderlayConfig;
import dev.isthmus.vswitch.config.VswitchConfig;
import dev.isthmus.vswitch.config.VtepAddress;
import dev.isthmus.vswitch.fdb.FdbTarget;
import dev.isthmus.vswitch.fdb.LearnOutcome;
import dev.isthmus.vswitch.runtime.BridgeDomain;
import dev.isthmus.vswitch.runtime.VswitchSnapshot;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The control side of VTEP learning: requests as the lcores queue them, dedup, the limit, aging, configuration. */
class VtepLearningControlTest {

    private static final UnderlayConfig UNDERLAY = UnderlayConfig.ipv4(0, MacAddress.parse("02:00:00:00:00:fe"),
            Ipv4Address.parse("198.18.0.1"), 24);
    private static final VtepAddress CONFIGURED = VtepAddress.parse("198.18.0.2");
    private static final VtepAddress LEARNABLE = VtepAddress.parse("198.18.0.7");

    private final AtomicInteger clock = new AtomicInteger(100);
    private final VswitchControl control = new VswitchControl(new VswitchConfig(UNDERLAY, List.of()), clock::get);

    private void request(int lane, int vni, VtepAddress vtep) {
        assertTrue(control.snapshot().learnRequests().lane(lane).offer(vni, vtep.ipv6(), vtep.high(), vtep.low()));
    }

    private void createLearningDomain(int max) {
        control.createBridgeDomain(BridgeDomainConfig.of(100).withPort(AccessPort.untagged(1)).withVtep(CONFIGURED)
                .withSettings(1000, 30, true).withVtepLearning(true, max));
    }

    @Test
    void aLearnedVtepIsAcceptedButNotFloodedToAndItsNextHopIsResolvedLikeAnyVteps() {
        createLearningDomain(4);
        final VswitchSnapshot before = control.snapshot();
        request(0, 100, LEARNABLE);
        assertEquals(1, control.processVtepLearning());
        final VswitchSnapshot after = control.snapshot();
        assertNotSame(before, after);
        final int id = after.vtepIdOf(LEARNABLE.ipv4());
        final BridgeDomain domain = after.domainByVni(100);
        assertTrue(domain.acceptsVtep(id));
        assertEquals(1, domain.floodCount(), "head-end replication only to configured VTEPs");
        assertEquals(CONFIGURED, domain.floodVtep(0).address());
        assertEquals(1, domain.learnedCount());
        assertEquals(LEARNABLE, domain.learnedVtep(0).address());
        assertNotNull(after.vtep(id).nextHop(), "on-link: its own next hop, resolved by ARP like any VTEP's");
        assertEquals(LEARNABLE, after.vtep(id).nextHop().address());
        assertEquals(List.of(new LearnedVtepView(LEARNABLE, 0)), control.learnedVteps(100));
        assertEquals(List.of(CONFIGURED), control.bridgeDomain(100).floodList(), "not configured");
        assertEquals(1L, control.domainCounters(100).get("vteps_learned"));
    }

    @Test
    void duplicatesFromManyPacketsAndLanesAreOneVtepAndOnePublication() {
        createLearningDomain(4);
        for (int k = 0; k < 10; k++) {
            request(k % 3, 100, LEARNABLE);
        }
        request(1, 100, CONFIGURED); // already accepted: nothing to learn
        assertEquals(1, control.processVtepLearning());
        final VswitchSnapshot once = control.snapshot();
        request(2, 100, LEARNABLE); // queued before the lcore saw the new snapshot
        assertEquals(0, control.processVtepLearning());
        assertSame(once, control.snapshot(), "nothing new: nothing published");
        assertEquals(1, control.learnedVteps(100).size());
        assertEquals(1L, control.domainCounters(100).get("vteps_learned"));
    }

    @Test
    void theLimitHoldsAndFurtherVtepsAreCountedAndRefused() {
        createLearningDomain(3);
        for (int k = 10; k < 20; k++) {
            request(0, 100, VtepAddress.parse("198.18.0." + k));
        }
        assertEquals(3, control.processVtepLearning());
        assertEquals(3, control.snapshot().domainByVni(100).learnedCount());
        assertEquals(7L, control.domainCounters(100).get("vtep_learn_limit"));
        assertEquals(-1, control.snapshot().vtepIdOf(VtepAddress.parse("198.18.0.13").ipv4()));
        // Lowering the limit forgets the newest beyond it.
        control.updateVtepLearning(100, true, 1);
        assertEquals(List.of(VtepAddress.parse("198.18.0.10")),
                control.learnedVteps(100).stream().map(LearnedVtepView::address).toList());
    }

    @Test
    void unusableAddressesAndDomainsThatDoNotLearnAreRefused() {
        createLearningDomain(8);
        control.createBridgeDomain(BridgeDomainConfig.of(200).withPort(AccessPort.untagged(2)));
        request(0, 100, VtepAddress.parse("198.18.0.1"));    // our own address, spoofed
        request(0, 100, VtepAddress.parse("224.0.0.5"));     // multicast
        request(0, 100, VtepAddress.parse("2001:db8::7"));   // no IPv6 underlay
        request(0, 200, LEARNABLE);                           // learning off in VNI 200
        request(0, 300, LEARNABLE);                           // no such domain
        assertEquals(0, control.processVtepLearning());
        assertEquals(3L, control.domainCounters(100).get("vtep_learn_refused"));
        assertTrue(control.learnedVteps(100).isEmpty());
        assertTrue(control.learnedVteps(200).isEmpty());
    }

    @Test
    void aLearnedVtepAgesOnceNoFdbEntryPointsAtItForTheAgingTime() {
        createLearningDomain(4);
        request(0, 100, LEARNABLE);
        control.processVtepLearning();
        VswitchSnapshot s = control.snapshot();
        final int id = s.vtepIdOf(LEARNABLE.ipv4());
        assertEquals(LearnOutcome.LEARNED, s.domainByVni(100).fdb().learn(0xA, FdbTarget.remote(id), clock.get()));
        assertEquals(1, control.fdb(100).size());
        assertEquals(LEARNABLE, control.fdb(100).get(0).vtep(), "shown like any VTEP's entry");
        // The MAC is refreshed for 50 s: the VTEP stays although it was learned 50 s ago (aging 30 s).
        for (int t = 0; t < 50; t += 5) {
            clock.addAndGet(5);
            s.domainByVni(100).fdb().learn(0xA, FdbTarget.remote(id), clock.get());
            control.tick();
            s = control.snapshot();
        }
        assertEquals(1, control.learnedVteps(100).size());
        // Silence: the MAC ages after 30 s, then the VTEP 30 s after its last reference.
        clock.addAndGet(30);
        control.tick();
        assertEquals(0, control.fdb(100).size());
        assertEquals(1, control.learnedVteps(100).size());
        clock.addAndGet(29);
        control.tick();
        assertEquals(1, control.learnedVteps(100).size());
        clock.addAndGet(1);
        control.tick();
        assertTrue(control.learnedVteps(100).isEmpty());
        assertEquals(-1, control.snapshot().vtepIdOf(LEARNABLE.ipv4()), "its id is freed");
        assertFalse(control.snapshot().domainByVni(100).acceptsVtep(id));
        assertEquals(1L, control.domainCounters(100).get("vteps_aged"));
    }

    @Test
    void turningLearningOffOrConfiguringTheVtepEndsItsLearnedState() {
        createLearningDomain(4);
        request(0, 100, LEARNABLE);
        request(0, 100, VtepAddress.parse("198.18.0.8"));
        control.processVtepLearning();
        final VswitchSnapshot s = control.snapshot();
        final int id = s.vtepIdOf(LEARNABLE.ipv4());
        s.domainByVni(100).fdb().learn(0xA, FdbTarget.remote(id), clock.get());
        // Configured on the flood list: no longer learned, same id, and the MAC behind it stays.
        control.addFloodVtep(100, LEARNABLE);
        assertEquals(List.of(VtepAddress.parse("198.18.0.8")),
                control.learnedVteps(100).stream().map(LearnedVtepView::address).toList());
        assertEquals(id, control.snapshot().vtepIdOf(LEARNABLE.ipv4()));
        assertEquals(1, control.fdb(100).size());
        // Learning off: every learned VTEP goes, with what was learned behind it.
        final int id8 = control.snapshot().vtepIdOf(VtepAddress.parse("198.18.0.8").ipv4());
        control.snapshot().domainByVni(100).fdb().learn(0xB, FdbTarget.remote(id8), clock.get());
        control.updateVtepLearning(100, false, 4);
        assertTrue(control.learnedVteps(100).isEmpty());
        assertEquals(1, control.fdb(100).size());
        assertEquals(LEARNABLE, control.fdb(100).get(0).vtep());
    }

    @Test
    void ipv6VtepsAreLearnedOverAnIpv6Underlay() {
        final UnderlayConfig dual = new UnderlayConfig(0, MacAddress.parse("02:00:00:00:00:fe"),
                Ipv4Address.parse("198.18.0.1"), 24, null, Ipv6Address.parse("2001:db8::1"), 64, null, 4789, 1500);
        control.setUnderlay(dual);
        createLearningDomain(4);
        final VtepAddress v6 = VtepAddress.parse("2001:db8::9");
        request(0, 100, v6);
        assertEquals(1, control.processVtepLearning());
        final int id = control.snapshot().vtepIdOf(v6.high(), v6.low());
        assertNotEquals(-1, id);
        assertTrue(control.snapshot().domainByVni(100).acceptsVtep(id));
    }
}
