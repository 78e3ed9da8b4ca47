package dev.isthmus.vswitch.config;

import dev.isthmus.dataplane.address.MacAddress;

/**
 * A configured FDB entry: a station that lives behind an access port or a remote VTEP, never learned away and
 * never aged. Exactly one of {@code port} and {@code vtep} is set.
 *
 * @param mac a unicast MAC
 * @param port the access port, or null
 * @param vtep the remote VTEP, or null
 */
public record StaticEntry(MacAddress mac, AccessPort port, VtepAddress vtep) {

    public StaticEntry {
        VswitchConfigException.require(mac != null, "static entry needs a MAC");
        VswitchConfigException.require(!mac.isMulticast() && mac.value() != 0,
                "static entry MAC must be unicast: " + mac);
        VswitchConfigException.require((port == null) != (vtep == null),
                "static entry for " + mac + " needs exactly one of a port and a VTEP");
    }

    /** @param mac the MAC @param port its access port @return the entry */
    public static StaticEntry atPort(MacAddress mac, AccessPort port) {
        return new StaticEntry(mac, port, null);
    }

    /** @param mac the MAC @param vtep its remote VTEP @return the entry */
    public static StaticEntry atVtep(MacAddress mac, VtepAddress vtep) {
        return new StaticEntry(mac, null, vtep);
    }
}
