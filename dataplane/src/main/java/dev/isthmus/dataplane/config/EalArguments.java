package dev.isthmus.dataplane.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The EAL command line for a {@link DataplaneConfig}.
 *
 * <p>Without hugepages (the embedded and test case): {@code --no-huge --no-shconf -m MB}. Without PCI ports:
 * {@code --no-pci}; with them, an allow-list entry {@code -a ADDRESS[,devargs]} per port, so DPDK touches no other
 * NIC. Virtual devices are not passed as {@code --vdev}: the dataplane creates them when it starts
 * ({@code rte_vdev_init}), so that it can stop, remove and create them again without a second EAL.
 */
public final class EalArguments {

    private EalArguments() {
    }

    public static List<String> of(DataplaneConfig config) {
        EalConfig eal = config.eal();
        List<String> args = new ArrayList<>();
        if (!eal.hugepages()) {
            args.add("--no-huge");
            args.add("--no-shconf");
        }
        if (eal.memoryMb() > 0) {
            args.add("-m");
            args.add(Integer.toString(eal.memoryMb()));
        }
        List<PortConfig> pci = config.ports().stream().filter(PortConfig::isPci).toList();
        if (pci.isEmpty()) {
            args.add("--no-pci");
        }
        for (PortConfig port : pci) {
            args.add("-a");
            args.add(port.devargs().isEmpty() ? port.device() : port.device() + "," + port.devargs());
        }
        if (eal.filePrefix() != null) {
            args.add("--file-prefix");
            args.add(eal.filePrefix());
        }
        args.add("--no-telemetry");
        args.addAll(eal.extraArguments());
        return List.copyOf(args);
    }
}
