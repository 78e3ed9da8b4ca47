package dev.isthmus.control.config;

import java.util.List;
import java.util.Optional;

/**
 * The whole appliance configuration, as read from one YAML file and validated by {@link ConfigLoader}. Immutable.
 *
 * @param source where it was read from (a path or a {@code classpath:} location), for messages
 * @param eal how EAL starts
 * @param lcores the cores
 * @param mempool the packet-buffer pool
 * @param ports the ports, at least one
 * @param dns the DNS function
 * @param vswitch the vswitch's underlay and bridge domains at start
 * @param api where the REST API listens
 * @param journal the journal
 */
public record ApplianceConfig(String source, EalConfig eal, LcoreConfig lcores, MempoolConfig mempool,
                              List<PortConfig> ports, DnsConfig dns, VswitchSection vswitch, ApiConfig api,
                              JournalConfig journal) {

    public ApplianceConfig {
        ports = List.copyOf(ports);
    }

    /** @return the port of that name, if configured */
    public Optional<PortConfig> port(String name) {
        return ports.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
