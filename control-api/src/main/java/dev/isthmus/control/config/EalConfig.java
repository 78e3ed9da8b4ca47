package dev.isthmus.control.config;

import java.util.List;

/**
 * How the DPDK Environment Abstraction Layer is started.
 *
 * @param hugepages whether EAL backs its memory with hugepages (bare metal) or with ordinary pages
 *                  ({@code --no-huge}, for development and CI)
 * @param memoryMb memory EAL reserves at start ({@code -m}), in MiB
 * @param filePrefix the EAL runtime-file prefix, so several appliances can share a host
 * @param extraArgs further EAL arguments passed as they are (e.g. {@code --log-level=pmd.net.tap:debug})
 */
public record EalConfig(boolean hugepages, int memoryMb, String filePrefix, List<String> extraArgs) {

    public EalConfig {
        extraArgs = List.copyOf(extraArgs);
    }
}
