package dev.isthmus.control.config;

import java.util.List;

/**
 * The authoritative DNS function.
 *
 * @param enabled whether the data plane answers UDP/53 on the appliance addresses
 * @param zones the zones loaded at start
 */
public record DnsConfig(boolean enabled, List<ZoneSource> zones) {

    public DnsConfig {
        zones = List.copyOf(zones);
    }
}
