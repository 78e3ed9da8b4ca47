package dev.isthmus.vswitch.config;

import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.MacAddress;

/**
 * A configured IPv4-to-MAC binding for ARP suppression: ARP requests for {@code ip} in the domain are answered with
 * {@code mac} by the switch instead of being flooded.
 *
 * @param ip the IPv4 address
 * @param mac its unicast MAC
 */
public record ArpBinding(Ipv4Address ip, MacAddress mac) {

    public ArpBinding {
        VswitchConfigException.require(ip != null && mac != null, "ARP binding needs an IPv4 address and a MAC");
        VswitchConfigException.require(!mac.isMulticast() && mac.value() != 0, "ARP binding MAC must be unicast: " + mac);
    }
}
