package dev.isthmus.control.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.isthmus.control.config.ApplianceConfig;
import dev.isthmus.control.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workers on another NUMA node than their NIC are warned about, from a sysfs laid out by the test. */
class NumaPlacementTest {

    @TempDir
    Path sysfs;

    private void cpu(int cpu, int node) throws Exception {
        Files.createDirectories(sysfs.resolve("devices/system/cpu/cpu" + cpu + "/node" + node));
    }

    private void nic(String address, int node) throws Exception {
        Path device = Files.createDirectories(sysfs.resolve("bus/pci/devices/" + address));
        Files.writeString(device.resolve("numa_node"), node + "\n");
    }

    private static ApplianceConfig config(String workers) throws Exception {
        return ConfigLoader.parse("numa.yml", """
                eal: {hugepages: true}
                lcores: {workers: %s}
                ports:
                  - {name: dns0, device: "0000:3b:00.0", addresses: [192.0.2.53/24]}
                  - {name: tap0, device: net_tap0}
                dns: {exception-path: false}
                """.formatted(workers), Path.of("/etc/isthmus"));
    }

    @Test
    void aWorkerOnTheOtherSocketIsWarnedAboutWithTheFix() throws Exception {
        nic("0000:3b:00.0", 0);
        cpu(2, 0);
        cpu(20, 1);
        assertEquals(List.of("lcores.workers[1]: CPU 20 is on NUMA node 1 but port dns0 (0000:3b:00.0) is on node 0:"
                + " every packet it polls crosses the inter-socket link; pick CPUs of node 0 (docs/deploy.md)"),
                NumaPlacement.warnings(config("[2, 20, -1]"), sysfs));
        assertEquals(List.of(), NumaPlacement.warnings(config("[2]"), sysfs));
    }

    @Test
    void noWarningWhereSysfsDoesNotSay() throws Exception {
        nic("0000:3b:00.0", -1);
        cpu(20, 1);
        assertEquals(List.of(), NumaPlacement.warnings(config("[20]"), sysfs));
        assertEquals(List.of(), NumaPlacement.warnings(config("[20]"), sysfs.resolve("nothing")));
    }
}
