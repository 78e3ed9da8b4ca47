package dev.isthmus.control.vswitch;

import dev.isthmus.control.vswitch.view.StaticEntryView;
import dev.isthmus.control.vswitch.view.PortRef;
import dev.isthmus.control.vswitch.view.UnderlayView;
import dev.isthmus.control.vswitch.view.BridgeDomainView;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.isthmus.control.config.ApplianceConfig;
import dev.isthmus.control.config.ConfigLoader;
import dev.isthmus.control.error.RejectedException;
import dev.isthmus.control.journal.Journal;
import dev.isthmus.control.journal.JournalEntry;
import dev.isthmus.vswitch.control.VswitchControl;
import io.micronaut.serde.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VswitchRestoreTest {

    @TempDir
    Path dir;

    private final PortDirectory ports = new PortDirectory(List.of("access0", "uplink0"));

    @Test
    void configuredSectionAppliesWithTheUplinksOwnMacAndIsNotAChange() throws Exception {
        ApplianceConfig config = ConfigLoader.parse("t.yml", """
                ports:
                  - {name: access0, device: net_null0, addresses: [198.18.0.53/24]}
                  - {name: uplink0, device: net_null1}
                vswitch:
                  underlay: {port: uplink0, ipv4: 198.18.1.1/24, mtu: 1600}
                  bridge-domains:
                    - vni: 7
                      ports: [access0.70]
                      vteps: [198.18.1.9]
                      static-entries: [{mac: "02:00:00:00:00:07", vtep: 198.18.1.9}]
                      aging-seconds: 30
                """, dir);
        try (Journal journal = new Journal(dir.resolve("journal")); VswitchControl control = new VswitchControl()) {
            VswitchService vswitch = new VswitchService(control, ports, journal, ObjectMapper.getDefault(),
                    port -> Optional.of("02:00:00:00:0" + port + ":01"));
            vswitch.configure(config.vswitch());
            assertEquals("02:00:00:00:01:01", vswitch.underlay().orElseThrow().mac(), "uplink0 is port 1");
            assertEquals(1600, vswitch.underlay().orElseThrow().mtu());
            BridgeDomainView seven = vswitch.bridgeDomain(7);
            assertEquals(List.of(new PortRef("access0", 70)), seven.ports());
            assertEquals(30, seven.agingSeconds());
            assertEquals(List.of(new StaticEntryView("02:00:00:00:00:07", null, "198.18.1.9")), seven.staticEntries());
            assertEquals(List.of(), journal.latest(10, e -> e.kind() == JournalEntry.Kind.CHANGE));
        }
    }

    @Test
    void anUnderlayWithoutMacNeedsARunningDataPlane() {
        try (Journal journal = new Journal(dir); VswitchControl control = new VswitchControl()) {
            VswitchService vswitch = new VswitchService(control, ports, journal, ObjectMapper.getDefault(), port -> Optional.empty());
            RejectedException e = assertThrows(RejectedException.class, () -> vswitch.setUnderlay(
                    new UnderlayView("uplink0", null, "198.18.1.1/24", null, null, null, null, null), "t"));
            assertEquals(List.of("mac is required while the data plane does not run (the default is the port's own)"), e.problems());
            assertTrue(vswitch.underlay().isEmpty());
        }
    }

    @Test
    void underlayAndBridgeDomainsComeBackAsLastJournalled() {
        try (Journal journal = new Journal(dir); VswitchControl control = new VswitchControl()) {
            VswitchService vswitch = new VswitchService(control, ports, journal, ObjectMapper.getDefault(), port -> Optional.empty());
            vswitch.setUnderlay(new UnderlayView("uplink0", "02:00:00:00:01:01", "198.18.1.1/24", null, null, null, null, 1450), "t");
            vswitch.create(new BridgeDomainView(10, "ten", List.of(new PortRef("access0", 10)), List.of("198.18.1.2"),
                    List.of(new StaticEntryView("02:00:00:00:00:0a", null, "198.18.1.2")), 500, 60, false, null, null, null), "t");
            vswitch.create(new BridgeDomainView(20, "", List.of(), List.of(), List.of(), null, null, null, null, null, null), "t");
            vswitch.addVtep(10, "198.18.1.3", "t");
            vswitch.delete(20, "t");
        }
        try (Journal journal = new Journal(dir); VswitchControl control = new VswitchControl()) {
            VswitchService restored = new VswitchService(control, ports, journal, ObjectMapper.getDefault(), port -> Optional.empty());
            restored.restore();
            assertEquals(1450, restored.underlay().orElseThrow().mtu());
            assertEquals(List.of(new BridgeDomainView(10, "ten", List.of(new PortRef("access0", 10)),
                    List.of("198.18.1.2", "198.18.1.3"), List.of(new StaticEntryView("02:00:00:00:00:0a", null, "198.18.1.2")),
                    500, 60, false, false, 64, List.of())), restored.bridgeDomains());
            assertEquals("underlay 10", journal.latest(1, e -> e.action().equals("restored")).getFirst().value());
        }
    }

    @Test
    void learnedVtepsAreShownApartFromTheFloodListButNeitherJournalledNorRestored() {
        try (Journal journal = new Journal(dir); VswitchControl control = new VswitchControl()) {
            VswitchService vswitch = new VswitchService(control, ports, journal, ObjectMapper.getDefault(), port -> Optional.empty());
            vswitch.setUnderlay(new UnderlayView("uplink0", "02:00:00:00:01:01", "198.18.1.1/24", null, null, null, null, null), "t");
            vswitch.create(new BridgeDomainView(30, "", List.of(), List.of("198.18.1.2"), List.of(), null, null, null,
                    true, 8, List.of("198.18.1.99")), "t");
            assertEquals(List.of(), vswitch.bridgeDomain(30).learnedVteps(), "a command cannot name learned VTEPs");
            // As an lcore would: a packet from 198.18.1.9 in VNI 30.
            assertTrue(control.snapshot().learnRequests().lane(0).offer(30, false, 0, 0xC612_0109L));
            control.processVtepLearning();
            BridgeDomainView shown = vswitch.bridgeDomain(30);
            assertEquals(List.of("198.18.1.2"), shown.vteps());
            assertEquals(List.of("198.18.1.9"), shown.learnedVteps());
            assertEquals(Boolean.TRUE, shown.learnVteps());
            assertEquals(8, shown.maxLearnedVteps());
            vswitch.addVtep(30, "198.18.1.3", "t");
            String journalled = journal.latest(1, e -> e.subject().equals("vswitch.bd/30")).getFirst().value();
            assertTrue(!journalled.contains("198.18.1.9"), journalled);
        }
        try (Journal journal = new Journal(dir); VswitchControl control = new VswitchControl()) {
            VswitchService restored = new VswitchService(control, ports, journal, ObjectMapper.getDefault(), port -> Optional.empty());
            restored.restore();
            BridgeDomainView domain = restored.bridgeDomain(30);
            assertEquals(Boolean.TRUE, domain.learnVteps());
            assertEquals(8, domain.maxLearnedVteps());
            assertEquals(List.of("198.18.1.2", "198.18.1.3"), domain.vteps());
            assertEquals(List.of(), domain.learnedVteps(), "learned again from traffic after a restart");
        }
    }
}
