package dev.isthmus.vswitch.control;

import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.vswitch.config.VtepAddress;

/**
 * An underlay next hop and what ARP/ND resolved for it.
 *
 * @param address the next hop (a VTEP on-link, or a gateway)
 * @param mac its MAC, or null while unresolved
 * @param ageSeconds seconds since it was last confirmed, or -1 when never
 */
public record NextHopView(VtepAddress address, MacAddress mac, int ageSeconds) {
}
