package dev.isthmus.control.config;

import dev.isthmus.dataplane.config.EalConfig;
import dev.isthmus.dataplane.config.MempoolConfig;
import java.util.List;
import java.util.Optional;

/**
 * The whole appliance configuration, as read from one YAML file and validated by {@link ConfigLoader}. Immutable.
 *
 * @param source where it was read from (a path or a {@code classpath:} location), for messages
 * @param eal how EAL starts (the data plane's own type)
 * @param lcores the cores
 * @param mempool the packet-buffer pool, sized (the data plane's own type)
 * @param ports the ports, at least one
 * @param dns the DNS function
 * @param vswitch the vswitch's underlay and bridge domains at start
 * @param api where the REST API listens
 * @param journal the journal
 * @param anycast the service addresses announced by BGP while healthy, if any
 */
public record ApplianceConfig(String source, EalConfig eal, LcoreLayout lcores, MempoolConfig mempool,
                              List<AppliancePort> ports, DnsConfig dns, VswitchSection vswitch, ApiConfig api,
                              JournalConfig journal, Optional<AnycastConfig> anycast) {

    public ApplianceConfig {
        ports = List.copyOf(ports);
    }

    /** The addresses the data plane answers on the DNS uplink besides the port's own: the anycast service ones. */
    public List<IpPrefix> serviceAddresses() {
        return anycast.map(AnycastConfig::announce).orElse(List.of());
    }

    /** @return the port of that name, if configured */
    public Optional<AppliancePort> port(String name) {
        return ports.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
