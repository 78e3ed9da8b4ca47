package dev.isthmus.vswitch.counters;

import dev.isthmus.dataplane.counters.DropReason;

/**
 * Why the vswitch dropped a frame. Malformed outer IPv4/IPv6/UDP headers are counted under the dataplane's own
 * reasons ({@link dev.isthmus.dataplane.counters.DataplaneDrop}); these are the VxLAN and switching ones.
 */
public enum VxlanDrop implements DropReason {
    VXLAN_TRUNCATED("UDP payload shorter than the VxLAN header and an inner Ethernet header"),
    VXLAN_BAD_FLAGS("VxLAN I flag clear or a reserved bit set (RFC 7348 section 5)"),
    UNKNOWN_VNI("VNI of no bridge domain"),
    UNKNOWN_VTEP("outer source address is not a VTEP of the VNI's flood list"),
    VTEP_LEARNING("outer source is not a VTEP of the VNI yet; the domain learns VTEPs and learning it was requested"),
    NOT_OUR_VTEP("outer destination is not this VTEP's address"),
    GROUP_SOURCE_MAC("source MAC is a group address (IEEE 802.1Q section 8.6)"),
    NO_BRIDGE_DOMAIN("frame on a port and VLAN of no bridge domain"),
    SAME_PORT("destination station is behind the port the frame came in on"),
    SPLIT_HORIZON("from a remote VTEP towards a remote VTEP: never re-encapsulated"),
    MTU_EXCEEDED("inner frame larger than the underlay MTU less the VxLAN overhead"),
    NEXT_HOP_UNRESOLVED("underlay next hop not resolved yet by ARP/ND"),
    VTEP_UNREACHABLE("VTEP off-link and no gateway of its family"),
    NOWHERE_TO_FLOOD("broadcast/multicast/unknown unicast with no other port and no remote VTEP"),
    REPLICATION_FAILED("no mbuf for a flood copy"),
    NO_HEADROOM("no room in the mbuf for the outer headers or a VLAN tag"),
    INNER_TRUNCATED("frame shorter than an Ethernet header (after decapsulation or VLAN tag)");

    private final String description;

    VxlanDrop(String description) {
        this.description = description;
    }

    @Override
    public String description() {
        return description;
    }
}
