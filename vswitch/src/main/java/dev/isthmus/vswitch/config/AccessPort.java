package dev.isthmus.vswitch.config;

/**
 * A local access port of a bridge domain: a dataplane port, untagged or one 802.1Q VLAN on it. Frames arriving
 * on that port (with that VLAN id) belong to the domain; frames sent to it leave untagged or with that tag.
 *
 * @param portId the dataplane port id
 * @param vlan the 802.1Q VLAN id in [1, 4094], or 0 for untagged frames
 */
public record AccessPort(int portId, int vlan) implements Comparable<AccessPort> {

    /** The most port ids the vswitch indexes. */
    public static final int MAX_PORT_ID = 1023;

    public AccessPort {
        VswitchConfigException.require(portId >= 0 && portId <= MAX_PORT_ID,
                "port id must be in [0, " + MAX_PORT_ID + "]: " + portId);
        // IEEE 802.1Q table 9-2: VID 0 means priority-tagged (no VLAN) and 4095 is reserved.
        VswitchConfigException.require(vlan >= 0 && vlan <= 4094, "VLAN id must be in [1, 4094] (0 = untagged): " + vlan);
    }

    /**
     * @param portId the dataplane port id
     * @return the untagged access port
     */
    public static AccessPort untagged(int portId) {
        return new AccessPort(portId, 0);
    }

    @Override
    public int compareTo(AccessPort other) {
        return portId != other.portId ? Integer.compare(portId, other.portId) : Integer.compare(vlan, other.vlan);
    }

    @Override
    public String toString() {
        return vlan == 0 ? "port " + portId : "port " + portId + " vlan " + vlan;
    }
}
