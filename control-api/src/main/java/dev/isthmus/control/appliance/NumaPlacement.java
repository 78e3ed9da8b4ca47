package dev.isthmus.control.appliance;

import dev.isthmus.control.config.ApplianceConfig;
import dev.isthmus.control.config.AppliancePort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * Checks that each polling lcore is on the NUMA node of the NICs it polls, from sysfs: a worker on another socket
 * than its NIC crosses the inter-socket link for every descriptor and every packet (and the NIC's DMA into a
 * mempool on the far node does too). Only warns: the appliance still runs, more slowly. Virtual devices and
 * machines whose sysfs does not say (a node of -1, one node) give no warning.
 */
public final class NumaPlacement {

    /** Where the kernel's sysfs is mounted. */
    public static final Path SYSFS = Path.of("/sys");

    private NumaPlacement() {
    }

    /** @return one warning per (worker, port) pair on different nodes, with the reason and the fix */
    public static List<String> warnings(ApplianceConfig config, Path sysfs) {
        List<String> warnings = new ArrayList<>();
        List<Integer> workers = config.lcores().workers();
        for (AppliancePort port : config.ports()) {
            if (!port.isPci()) {
                continue;
            }
            OptionalInt portNode = portNode(sysfs, port.device());
            if (portNode.isEmpty()) {
                continue;
            }
            for (int i = 0; i < workers.size(); i++) {
                int cpu = workers.get(i);
                if (cpu < 0) {
                    continue;
                }
                OptionalInt cpuNode = cpuNode(sysfs, cpu);
                if (cpuNode.isPresent() && cpuNode.getAsInt() != portNode.getAsInt()) {
                    warnings.add("lcores.workers[" + i + "]: CPU " + cpu + " is on NUMA node " + cpuNode.getAsInt()
                            + " but port " + port.name() + " (" + port.device() + ") is on node " + portNode.getAsInt()
                            + ": every packet it polls crosses the inter-socket link; pick CPUs of node "
                            + portNode.getAsInt() + " (docs/deploy.md)");
                }
            }
        }
        return warnings;
    }

    /** @return the NUMA node sysfs gives the PCI device, empty when it does not say (-1) */
    static OptionalInt portNode(Path sysfs, String pciAddress) {
        Path file = sysfs.resolve("bus/pci/devices").resolve(pciAddress).resolve("numa_node");
        try {
            int node = Integer.parseInt(Files.readString(file).strip());
            return node < 0 ? OptionalInt.empty() : OptionalInt.of(node);
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** @return the node of {@code cpu}: the {@code nodeN} entry in its sysfs directory */
    static OptionalInt cpuNode(Path sysfs, int cpu) {
        Path directory = sysfs.resolve("devices/system/cpu/cpu" + cpu);
        if (!Files.isDirectory(directory)) {
            return OptionalInt.empty();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.matches("node\\d+"))
                    .mapToInt(n -> Integer.parseInt(n.substring(4))).findFirst();
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }
}
