package dev.isthmus.vswitch.fdb;

import dev.isthmus.dataplane.address.MacAddress;

/**
 * One FDB entry as the control plane reads it (an object per entry is fine off the data path).
 *
 * @param mac the station's MAC in the low 48 bits
 * @param target where it lives, an {@link FdbTarget}
 * @param isStatic whether it came from configuration (never ages, never moves)
 * @param ageSeconds seconds since the station was last seen (0 for static entries)
 */
public record FdbEntry(long mac, int target, boolean isStatic, int ageSeconds) {

    @Override
    public String toString() {
        String where = FdbTarget.isLocal(target)
                ? "port " + FdbTarget.portId(target) + (FdbTarget.vlan(target) != 0 ? " vlan " + FdbTarget.vlan(target) : "")
                : "vtep#" + FdbTarget.vtepId(target);
        return new MacAddress(mac) + " " + where + (isStatic ? " static" : " age " + ageSeconds + "s");
    }
}
