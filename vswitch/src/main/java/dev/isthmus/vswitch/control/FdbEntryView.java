package dev.isthmus.vswitch.control;

import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.vswitch.config.AccessPort;
import dev.isthmus.vswitch.config.VtepAddress;

/**
 * One FDB entry for people and the REST layer: exactly one of {@code port} and {@code vtep} is set.
 *
 * @param mac the station's MAC
 * @param port the access port it is behind, or null
 * @param vtep the remote VTEP it is behind, or null
 * @param isStatic whether it is configured (never ages or moves)
 * @param ageSeconds seconds since it was last seen; 0 for static entries
 */
public record FdbEntryView(MacAddress mac, AccessPort port, VtepAddress vtep, boolean isStatic, int ageSeconds) {
}
