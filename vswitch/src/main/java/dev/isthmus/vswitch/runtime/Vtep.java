package dev.isthmus.vswitch.runtime;

import dev.isthmus.vswitch.config.VtepAddress;
import dev.isthmus.vswitch.counters.TrafficCounters;
import dev.isthmus.vswitch.wire.Ipv4OuterTemplate;

/**
 * A remote VTEP as the data path sees it: its id (what FDB entries point at), its address, the next hop that
 * reaches it (null when unreachable: off-link with no gateway) and its counters. Lives as long as some bridge domain
 * lists it; its id is not reused while FDB entries may still name it.
 */
public final class Vtep {

    private final int id;
    private final VtepAddress address;
    private final Neighbor nextHop;
    private final TrafficCounters counters;
    private final boolean overIpv6;
    private final Ipv4OuterTemplate ipv4Template;

    Vtep(int id, VtepAddress address, Neighbor nextHop, TrafficCounters counters, long uplinkMac, int localIpv4,
         int udpPort) {
        this.id = id;
        this.address = address;
        this.nextHop = nextHop;
        this.counters = counters;
        this.overIpv6 = address.ipv6();
        this.ipv4Template = address.ipv6() ? null
                : new Ipv4OuterTemplate(uplinkMac, localIpv4, address.ipv4(), udpPort);
    }

    /**
     * @return the outer headers towards this VTEP over IPv4, precomputed for this snapshot's uplink MAC, local
     *         address and UDP port; null for a VTEP reached over IPv6
     */
    public Ipv4OuterTemplate ipv4Template() {
        return ipv4Template;
    }

    /** @return whether this VTEP is reached over IPv6 ({@code address().ipv6()}, kept here beside the id) */
    public boolean overIpv6() {
        return overIpv6;
    }

    /** @return the id FDB entries use */
    public int id() {
        return id;
    }

    /** @return the underlay address */
    public VtepAddress address() {
        return address;
    }

    /** @return the next hop, or null when the underlay cannot reach this VTEP */
    public Neighbor nextHop() {
        return nextHop;
    }

    /** @return frames and bytes to and from this VTEP */
    public TrafficCounters counters() {
        return counters;
    }

    @Override
    public String toString() {
        return "vtep#" + id + " " + address;
    }
}
