package dev.isthmus.vswitch.control;

import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.vswitch.arp.ArpSuppressionTable;
import dev.isthmus.vswitch.config.AccessPort;
import dev.isthmus.vswitch.config.ArpBinding;
import dev.isthmus.vswitch.config.BridgeDomainConfig;
import dev.isthmus.vswitch.config.StaticEntry;
import dev.isthmus.vswitch.config.UnderlayConfig;
import dev.isthmus.vswitch.config.VswitchConfig;
import dev.isthmus.vswitch.config.VswitchConfigException;
import dev.isthmus.vswitch.config.VswitchConfigException.Kind;
import dev.isthmus.vswitch.config.VtepAddress;
import dev.isthmus.vswitch.fdb.FdbTarget;
import dev.isthmus.vswitch.fdb.LearnOutcome;
import dev.isthmus.vswitch.runtime.BridgeDomain;
import dev.isthmus.vswitch.runtime.VswitchSnapshot;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VswitchControlTest {

    private static final UnderlayConfig UNDERLAY = UnderlayConfig.ipv4(0, MacAddress.parse("02:00:00:00:00:fe"),
            Ipv4Address.parse("198.18.0.1"), 24);
    private static final VtepAddress VTEP2 = VtepAddress.parse("198.18.0.2");
    private static final VtepAddress VTEP3 = VtepAddress.parse("198.18.0.3");
    private static final MacAddress HOST_A = MacAddress.parse("02:00:00:00:00:0a");

    private final AtomicInteger clock = new AtomicInteger(100);
    private final VswitchControl control = new VswitchControl(new VswitchConfig(UNDERLAY, List.of()), clock::get);

    private void refused(Kind kind, Runnable change) {
        final VswitchSnapshot before = control.snapshot();
        final VswitchConfig config = control.config();
        VswitchConfigException e = assertThrows(VswitchConfigException.class, change::run);
        assertEquals(kind, e.kind(), e.getMessage());
        assertSame(before, control.snapshot(), "a refused change must not publish a snapshot");
        assertEquals(config, control.config());
    }

    @Test
    void createsDomainAndPublishesANewSnapshot() {
        final VswitchSnapshot before = control.snapshot();
        control.createBridgeDomain(BridgeDomainConfig.of(100).withPort(AccessPort.untagged(1)).withVtep(VTEP2));
        final VswitchSnapshot after = control.snapshot();
        assertNotSame(before, after);
        BridgeDomain domain = after.domainByVni(100);
        assertNotNull(domain);
        assertSame(domain, after.domainOf(1, 0));
        assertNull(after.domainOf(1, 5));
        assertNull(after.domainByVni(101));
        int id = after.vtepIdOf(VTEP2.ipv4());
        assertTrue(domain.acceptsVtep(id));
        assertEquals(VTEP2, after.vtep(id).address());
        assertEquals(VTEP2, after.vtep(id).nextHop().address(), "on-link VTEP is its own next hop");
        assertEquals(1464, after.maxInnerFrame(false));
    }

    @Test
    void validationRefusesBadChangesAndChangesNothing() {
        control.createBridgeDomain(BridgeDomainConfig.of(100).withPort(AccessPort.untagged(1)));
        refused(Kind.CONFLICT, () -> control.createBridgeDomain(BridgeDomainConfig.of(100)));
        refused(Kind.CONFLICT, () -> control.createBridgeDomain(BridgeDomainConfig.of(200).withPort(AccessPort.untagged(1))));
        refused(Kind.CONFLICT, () -> control.createBridgeDomain(BridgeDomainConfig.of(200).withPort(AccessPort.untagged(0))));
        refused(Kind.INVALID, () -> control.createBridgeDomain(BridgeDomainConfig.of(1 << 24)));
        refused(Kind.INVALID, () -> control.addFloodVtep(100, VtepAddress.parse("198.18.0.1")));
        refused(Kind.INVALID, () -> control.addFloodVtep(100, VtepAddress.parse("224.0.0.1")));
        refused(Kind.INVALID, () -> control.addFloodVtep(100, VtepAddress.parse("2001:db8::2")));
        refused(Kind.NOT_FOUND, () -> control.addFloodVtep(999, VTEP2));
        refused(Kind.INVALID, () -> control.addStaticEntry(100, StaticEntry.atPort(HOST_A, AccessPort.untagged(7))));
        refused(Kind.INVALID, () -> control.addStaticEntry(100, StaticEntry.atVtep(HOST_A, VTEP3)));
        refused(Kind.INVALID, () -> control.addStaticEntry(100,
                StaticEntry.atPort(MacAddress.parse("01:00:5e:00:00:01"), AccessPort.untagged(1))));
        refused(Kind.INVALID, () -> control.updateSettings(100, 0, 300, true));
        refused(Kind.INVALID, () -> control.updateSettings(100, 10, 5, true));
        refused(Kind.NOT_FOUND, () -> control.removeAccessPort(100, AccessPort.untagged(2)));
        refused(Kind.NOT_FOUND, () -> control.deleteBridgeDomain(5));
        refused(Kind.INVALID, () -> control.addAccessPort(100, new AccessPort(1, 4095)));
        refused(Kind.INVALID, () -> control.setUnderlay(UNDERLAY.withMtu(100)));
    }

    @Test
    void vlanTaggedPortsOfOnePortMapToDifferentDomains() {
        control.createBridgeDomain(BridgeDomainConfig.of(100).withPort(new AccessPort(1, 10)));
        control.createBridgeDomain(BridgeDomainConfig.of(200).withPort(new AccessPort(1, 20)).withPort(AccessPort.untagged(1)));
        VswitchSnapshot s = control.snapshot();
        assertEquals(100, s.domainOf(1, 10).vni());
        assertEquals(200, s.domainOf(1, 20).vni());
        assertEquals(200, s.domainOf(1, 0).vni());
        assertNull(s.domainOf(1, 30));
    }

    @Test
    void staticEntriesAreInstalledAndRemoved() {
        control.createBridgeDomain(BridgeDomainConfig.of(100).withPort(AccessPort.untagged(1)).withVtep(VTEP2));
        control.addStaticEntry(100, StaticEntry.atVtep(HOST_A, VTEP2));
        BridgeDomain domain = control.snapshot().domainByVni(100);
        int target = domain.fdb().lookup(HOST_A.value());
        assertTrue(FdbTarget.isRemote(target));
        assertEquals(VTEP2, control.snapshot().vtep(FdbTarget.vtepId(target)).address());
        assertEquals(List.of(new FdbEntryView(HOST_A, null, VTEP2, true, 0)), control.fdb(100));
        control.removeStaticEntry(100, HOST_A);
        assertEquals(FdbTarget.MISS, domain.fdb().lookup(HOST_A.value()));
    }

    @Test
    void removingAPortOrVtepFlushesWhatWasLearnedBehindIt() {
        control.createBridgeDomain(BridgeDomainConfig.of(100).withPort(AccessPort.untagged(1)).withPort(AccessPort.untagged(2))
                .withVtep(VTEP2).withVtep(VTEP3));
        VswitchSnapshot s = control.snapshot();
        BridgeDomain domain = s.domainByVni(100);
        int vtep3 = FdbTarget.remote(s.vtepIdOf(VTEP3.ipv4()));
        assertEquals(LearnOutcome.LEARNED, domain.fdb().learn(1, FdbTarget.local(1, 0), 100));
        assertEquals(LearnOutcome.LEARNED, domain.fdb().learn(2, FdbTarget.local(2, 0), 100));
        assertEquals(LearnOutcome.LEARNED, domain.fdb().learn(3, vtep3, 100));
        control.removeAccessPort(100, AccessPort.untagged(2));
        control.removeFloodVtep(100, VTEP3);
        List<FdbEntryView> fdb = control.fdb(100);
        assertEquals(1, fdb.size());
        assertEquals(AccessPort.untagged(1), fdb.get(0).port());
        assertEquals(-1, control.snapshot().vtepIdOf(VTEP3.ipv4()));
        // Learned state survives unrelated changes.
        control.updateSettings(100, 500, 60, false);
        assertEquals(1, control.fdb(100).size());
    }

    @Test
    void vtepIdsAreReusedOnlyAfterRelease() {
        control.createBridgeDomain(BridgeDomainConfig.of(100).withVtep(VTEP2));
        control.createBridgeDomain(BridgeDomainConfig.of(200).withVtep(VTEP2).withVtep(VTEP3));
        VswitchSnapshot s = control.snapshot();
        int id2 = s.vtepIdOf(VTEP2.ipv4());
        int id3 = s.vtepIdOf(VTEP3.ipv4());
        assertTrue(id2 != id3);
        assertTrue(s.domainByVni(100).acceptsVtep(id2));
        assertTrue(!s.domainByVni(100).acceptsVtep(id3), "VTEP3 is not in VNI 100's flood list");
        control.deleteBridgeDomain(100);
        assertEquals(id2, control.snapshot().vtepIdOf(VTEP2.ipv4()), "still used by VNI 200");
    }

    @Test
    void agingTickCountsAgedEntries() {
        control.createBridgeDomain(BridgeDomainConfig.of(100).withPort(AccessPort.untagged(1)).withSettings(100, 10, true));
        BridgeDomain domain = control.snapshot().domainByVni(100);
        domain.fdb().learn(5, FdbTarget.local(1, 0), clock.get());
        domain.arp().learn(0xC612_0005, 5, clock.get());
        clock.addAndGet(10);
        control.tick();
        assertEquals(0, control.fdb(100).size());
        assertEquals(1L, control.domainCounters(100).get("aged"));
        // ARP bindings age in 16-second ticks: gone one tick later at the latest.
        clock.addAndGet(16);
        control.tick();
        assertTrue(control.arpTable(100).isEmpty());
    }

    @Test
    void arpBindingsAndFlush() {
        control.createBridgeDomain(BridgeDomainConfig.of(100).withPort(AccessPort.untagged(1)));
        control.addArpBinding(100, new ArpBinding(Ipv4Address.parse("10.0.0.1"), HOST_A));
        BridgeDomain domain = control.snapshot().domainByVni(100);
        assertEquals(HOST_A.value(), domain.arp().lookup(Ipv4Address.parse("10.0.0.1").value()));
        domain.arp().learn(Ipv4Address.parse("10.0.0.2").value(), 0x0200_0000_0002L, clock.get());
        domain.fdb().learn(7, FdbTarget.local(1, 0), clock.get());
        assertEquals(1, control.flush(100));
        assertEquals(1, control.arpTable(100).size(), "configured binding stays");
        control.removeArpBinding(100, Ipv4Address.parse("10.0.0.1"));
        assertTrue(control.arpTable(100).isEmpty());
        assertEquals(ArpSuppressionTable.NONE, domain.arp().lookup(Ipv4Address.parse("10.0.0.1").value()));
        refused(Kind.NOT_FOUND, () -> control.removeArpBinding(100, Ipv4Address.parse("10.0.0.1")));
    }

    @Test
    void ipv6UnderlayResolvesThroughGatewayOffLink() {
        UnderlayConfig dual = UNDERLAY.withIpv6(Ipv6Address.parse("2001:db8::1"), 64, Ipv6Address.parse("2001:db8::fe"))
                .withIpv4Gateway(Ipv4Address.parse("198.18.0.254"));
        control.setUnderlay(dual);
        VtepAddress far4 = VtepAddress.parse("198.19.5.5");
        VtepAddress far6 = VtepAddress.parse("2001:db8:1::5");
        control.createBridgeDomain(BridgeDomainConfig.of(7).withVtep(far4).withVtep(far6).withVtep(VTEP2));
        VswitchSnapshot s = control.snapshot();
        assertEquals(VtepAddress.parse("198.18.0.254"), s.vtep(s.vtepIdOf(far4.ipv4())).nextHop().address());
        assertEquals(VtepAddress.parse("2001:db8::fe"), s.vtep(s.vtepIdOf(far6.high(), far6.low())).nextHop().address());
        assertEquals(3, s.neighborCount());
        UnderlayStatus status = control.underlayStatus();
        assertEquals(1464, status.maxInnerFrameIpv4());
        assertEquals(1444, status.maxInnerFrameIpv6());
    }
}
