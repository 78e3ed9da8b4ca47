package dev.isthmus.dataplane.config;

import java.util.List;
import java.util.Objects;

/**
 * How the EAL is started.
 *
 * @param hugepages      false for the embedded/virtual case: {@code --no-huge --no-shconf -m memoryMb} (tests, laptops,
 *                       vdevs only); true on a deployment with hugepages mounted
 * @param memoryMb       memory to reserve (with {@code -m}); 0 lets DPDK take what it needs from hugepages
 * @param filePrefix     {@code --file-prefix}, to run several DPDK processes side by side; null for the default
 * @param extraArguments further EAL arguments, passed through unchanged (after the derived ones)
 */
public record EalConfig(boolean hugepages, int memoryMb, String filePrefix, List<String> extraArguments) {

    public EalConfig {
        Objects.requireNonNull(extraArguments, "eal: extraArguments is missing (use an empty list)");
        extraArguments = List.copyOf(extraArguments);
        if (memoryMb < 0) {
            throw new IllegalArgumentException("eal: memoryMb must be >= 0, got " + memoryMb);
        }
        if (!hugepages && memoryMb == 0) {
            throw new IllegalArgumentException("eal: without hugepages memoryMb must be set (e.g. 512)");
        }
        if (filePrefix != null && !filePrefix.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("eal: filePrefix '" + filePrefix + "' must be letters, digits, _ or -");
        }
    }

    /** No hugepages, 512 MB: the embedded default. */
    public static EalConfig virtual() {
        return new EalConfig(false, 512, null, List.of());
    }
}
