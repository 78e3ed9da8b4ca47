package dev.isthmus.control.vswitch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.isthmus.control.appliance.PortDirectory;
import dev.isthmus.control.journal.Journal;
import dev.isthmus.vswitch.control.VswitchControl;
import io.micronaut.serde.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VswitchRestoreTest {

    @TempDir
    Path dir;

    private final PortDirectory ports = new PortDirectory(List.of("access0", "uplink0"));

    @Test
    void underlayAndBridgeDomainsComeBackAsLastJournalled() {
        try (Journal journal = new Journal(dir); VswitchControl control = new VswitchControl()) {
            VswitchService vswitch = new VswitchService(control, ports, journal, ObjectMapper.getDefault());
            vswitch.setUnderlay(new UnderlayView("uplink0", "02:00:00:00:01:01", "198.18.1.1/24", null, null, null, null, 1450), "t");
            vswitch.create(new BridgeDomainView(10, "ten", List.of(new PortRef("access0", 10)), List.of("198.18.1.2"),
                    List.of(new StaticEntryView("02:00:00:00:00:0a", null, "198.18.1.2")), 500, 60, false), "t");
            vswitch.create(new BridgeDomainView(20, "", List.of(), List.of(), List.of(), null, null, null), "t");
            vswitch.addVtep(10, "198.18.1.3", "t");
            vswitch.delete(20, "t");
        }
        try (Journal journal = new Journal(dir); VswitchControl control = new VswitchControl()) {
            VswitchService restored = new VswitchService(control, ports, journal, ObjectMapper.getDefault());
            restored.restore();
            assertEquals(1450, restored.underlay().orElseThrow().mtu());
            assertEquals(List.of(new BridgeDomainView(10, "ten", List.of(new PortRef("access0", 10)),
                    List.of("198.18.1.2", "198.18.1.3"), List.of(new StaticEntryView("02:00:00:00:00:0a", null, "198.18.1.2")),
                    500, 60, false)), restored.bridgeDomains());
            assertEquals("underlay 10", journal.latest(1, e -> e.action().equals("restored")).getFirst().value());
        }
    }
}
