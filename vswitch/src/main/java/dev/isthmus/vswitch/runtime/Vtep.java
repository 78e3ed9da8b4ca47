package dev.isthmus.vswitch.runtime;

import dev.isthmus.vswitch.config.VtepAddress;
import dev.isthmus.vswitch.counters.TrafficCounters;
import dev.isthmus.vswitch.pipeline.VxlanEncapsulation;

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
    private final long outerIpv4Sum;

    Vtep(int id, VtepAddress address, Neighbor nextHop, TrafficCounters counters, int localIpv4) {
        this.id = id;
        this.address = address;
        this.nextHop = nextHop;
        this.counters = counters;
        this.outerIpv4Sum = address.ipv6() ? 0 : VxlanEncapsulation.ipv4ConstantSum(localIpv4, address.ipv4());
    }

    /**
     * @return the ones' complement sum of the outer IPv4 header's fields that do not change per packet (all but
     *         total length and checksum), so each packet's header checksum costs one add and a fold
     */
    public long outerIpv4Sum() {
        return outerIpv4Sum;
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
