package dev.isthmus.vswitch.runtime;

import dev.isthmus.vswitch.config.AccessPort;
import dev.isthmus.vswitch.config.UnderlayConfig;
import dev.isthmus.vswitch.config.VswitchConfig;
import dev.isthmus.vswitch.config.VtepAddress;
import dev.isthmus.vswitch.learn.VtepLearnRequests;

import java.util.List;

/**
 * Everything the data path needs to switch a frame, compiled from one {@link VswitchConfig}: immutable, built off
 * the data path, published with one volatile write, read once per burst. Lookups are array indexing or short
 * open-addressing probes over primitive arrays; none allocates.
 */
public final class VswitchSnapshot {

    private static final int VLANS = 4096;

    private final VswitchConfig config;
    private final UnderlayConfig underlay;
    private final int uplinkPort;
    private final long uplinkMac;
    private final int udpPort;
    private final int ipv4;
    private final long ipv6High;
    private final long ipv6Low;
    private final int maxInnerIpv4;
    private final int maxInnerIpv6;

    private final BridgeDomain[] domains;
    private final int vniMask;
    private final int[] vniKeys;
    private final BridgeDomain[] vniValues;
    private final BridgeDomain[][] byPortVlan;

    private final Vtep[] vtepsById;
    private final int v4Mask;
    private final int[] v4Keys;
    private final int[] v4Ids;
    private final int v6Mask;
    private final long[] v6Keys;
    private final int[] v6Ids;
    private final Neighbor[] neighbors;
    private final VtepLearnRequests learnRequests;

    VswitchSnapshot(VswitchConfig config, List<BridgeDomain> domains, List<Vtep> vteps, List<Neighbor> neighbors,
                    VtepLearnRequests learnRequests) {
        this.config = config;
        this.learnRequests = learnRequests;
        this.underlay = config.underlay();
        this.uplinkPort = underlay == null ? -1 : underlay.uplinkPort();
        this.uplinkMac = underlay == null ? 0 : underlay.uplinkMac().value();
        this.udpPort = underlay == null ? -1 : underlay.udpPort();
        this.ipv4 = underlay == null || underlay.ipv4() == null ? 0 : underlay.ipv4().value();
        this.ipv6High = underlay == null || underlay.ipv6() == null ? 0 : underlay.ipv6().high();
        this.ipv6Low = underlay == null || underlay.ipv6() == null ? 0 : underlay.ipv6().low();
        this.maxInnerIpv4 = underlay == null || underlay.ipv4() == null ? -1 : underlay.maxInnerFrame(false);
        this.maxInnerIpv6 = underlay == null || underlay.ipv6() == null ? -1 : underlay.maxInnerFrame(true);

        this.domains = domains.toArray(BridgeDomain[]::new);
        final int vniSlots = tableSize(this.domains.length);
        this.vniMask = vniSlots - 1;
        this.vniKeys = new int[vniSlots];
        this.vniValues = new BridgeDomain[vniSlots];
        int maxPort = -1;
        for (BridgeDomain domain : this.domains) {
            int i = mix(domain.vni()) & vniMask;
            while (vniValues[i] != null) {
                i = (i + 1) & vniMask;
            }
            vniKeys[i] = domain.vni();
            vniValues[i] = domain;
            for (AccessPort port : domain.config().ports()) {
                maxPort = Math.max(maxPort, port.portId());
            }
        }
        this.byPortVlan = new BridgeDomain[maxPort + 1][];
        for (BridgeDomain domain : this.domains) {
            for (AccessPort port : domain.config().ports()) {
                if (byPortVlan[port.portId()] == null) {
                    byPortVlan[port.portId()] = new BridgeDomain[VLANS];
                }
                byPortVlan[port.portId()][port.vlan()] = domain;
            }
        }

        int maxId = -1;
        int v4Count = 0;
        int v6Count = 0;
        for (Vtep vtep : vteps) {
            maxId = Math.max(maxId, vtep.id());
            if (vtep.address().ipv6()) {
                v6Count++;
            } else {
                v4Count++;
            }
        }
        this.vtepsById = new Vtep[maxId + 1];
        final int v4Slots = tableSize(v4Count);
        this.v4Mask = v4Slots - 1;
        this.v4Keys = new int[v4Slots];
        this.v4Ids = new int[v4Slots];
        java.util.Arrays.fill(v4Ids, -1);
        final int v6Slots = tableSize(v6Count);
        this.v6Mask = v6Slots - 1;
        this.v6Keys = new long[2 * v6Slots];
        this.v6Ids = new int[v6Slots];
        java.util.Arrays.fill(v6Ids, -1);
        for (Vtep vtep : vteps) {
            vtepsById[vtep.id()] = vtep;
            VtepAddress address = vtep.address();
            if (address.ipv6()) {
                int i = mix6(address.high(), address.low()) & v6Mask;
                while (v6Ids[i] >= 0) {
                    i = (i + 1) & v6Mask;
                }
                v6Keys[2 * i] = address.high();
                v6Keys[2 * i + 1] = address.low();
                v6Ids[i] = vtep.id();
            } else {
                int i = mix(address.ipv4()) & v4Mask;
                while (v4Ids[i] >= 0) {
                    i = (i + 1) & v4Mask;
                }
                v4Keys[i] = address.ipv4();
                v4Ids[i] = vtep.id();
            }
        }
        this.neighbors = neighbors.toArray(Neighbor[]::new);
    }

    private static int tableSize(int entries) {
        return Integer.highestOneBit(Math.max(4, entries * 2 - 1)) << 1;
    }

    private static int mix(int key) {
        final int h = key * 0x9E37_79B9;
        return h ^ (h >>> 16);
    }

    private static int mix6(long high, long low) {
        final long h = (high ^ Long.rotateLeft(low, 29)) * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** @return the configuration this snapshot was compiled from */
    public VswitchConfig config() {
        return config;
    }

    /** @return whether an underlay is configured */
    public boolean hasUnderlay() {
        return underlay != null;
    }

    /** @return the underlay, or null */
    public UnderlayConfig underlay() {
        return underlay;
    }

    /** @return the uplink port id, or -1 */
    public int uplinkPort() {
        return uplinkPort;
    }

    /** @return the uplink MAC */
    public long uplinkMac() {
        return uplinkMac;
    }

    /** @return the VxLAN UDP port, or -1 */
    public int udpPort() {
        return udpPort;
    }

    /** @return whether this VTEP has an IPv4 address */
    public boolean hasIpv4() {
        return maxInnerIpv4 >= 0;
    }

    /** @return this VTEP's IPv4 address */
    public int ipv4() {
        return ipv4;
    }

    /** @return whether this VTEP has an IPv6 address */
    public boolean hasIpv6() {
        return maxInnerIpv6 >= 0;
    }

    /** @return the first 64 bits of this VTEP's IPv6 address */
    public long ipv6High() {
        return ipv6High;
    }

    /** @return the last 64 bits of this VTEP's IPv6 address */
    public long ipv6Low() {
        return ipv6Low;
    }

    /** @param overIpv6 the outer family @return the largest inner frame that fits the underlay MTU */
    public int maxInnerFrame(boolean overIpv6) {
        return overIpv6 ? maxInnerIpv6 : maxInnerIpv4;
    }

    /** @return how many bridge domains */
    public int domainCount() {
        return domains.length;
    }

    /** @param i an index below {@link #domainCount()} @return that domain */
    public BridgeDomain domain(int i) {
        return domains[i];
    }

    /**
     * @param vni a VNI
     * @return its bridge domain, or null
     */
    public BridgeDomain domainByVni(int vni) {
        final int[] keys = vniKeys;
        final BridgeDomain[] values = vniValues;
        int i = mix(vni) & vniMask;
        BridgeDomain found;
        while ((found = values[i]) != null) {
            if (keys[i] == vni) {
                return found;
            }
            i = (i + 1) & vniMask;
        }
        return null;
    }

    /**
     * @param portId the port a frame arrived on
     * @param vlan its 802.1Q VLAN id, 0 when untagged
     * @return the bridge domain of that access port, or null
     */
    public BridgeDomain domainOf(int portId, int vlan) {
        final BridgeDomain[][] table = byPortVlan;
        if (portId < 0 || portId >= table.length) {
            return null;
        }
        final BridgeDomain[] vlans = table[portId];
        return vlans == null ? null : vlans[vlan & (VLANS - 1)];
    }

    /**
     * @param portId a dataplane port number
     * @return whether it is an access port of some bridge domain (for some VLAN)
     */
    public boolean isAccessPort(int portId) {
        return portId >= 0 && portId < byPortVlan.length && byPortVlan[portId] != null;
    }

    /**
     * @param id a VTEP id
     * @return that VTEP, or null when no domain lists it any more (a stale FDB entry)
     */
    public Vtep vtep(int id) {
        return id >= 0 && id < vtepsById.length ? vtepsById[id] : null;
    }

    /**
     * @param address an IPv4 address
     * @return the id of the VTEP with that address, or -1
     */
    public int vtepIdOf(int address) {
        int i = mix(address) & v4Mask;
        int id;
        while ((id = v4Ids[i]) >= 0) {
            if (v4Keys[i] == address) {
                return id;
            }
            i = (i + 1) & v4Mask;
        }
        return -1;
    }

    /**
     * @param high first 64 bits of an IPv6 address
     * @param low last 64 bits
     * @return the id of the VTEP with that address, or -1
     */
    public int vtepIdOf(long high, long low) {
        int i = mix6(high, low) & v6Mask;
        int id;
        while ((id = v6Ids[i]) >= 0) {
            if (v6Keys[2 * i] == high && v6Keys[2 * i + 1] == low) {
                return id;
            }
            i = (i + 1) & v6Mask;
        }
        return -1;
    }

    /** @return where lcores ask the control side to learn a VTEP (the same queues in every snapshot) */
    public VtepLearnRequests learnRequests() {
        return learnRequests;
    }

    /** @return how many underlay next hops */
    public int neighborCount() {
        return neighbors.length;
    }

    /** @param i an index below {@link #neighborCount()} @return that next hop */
    public Neighbor neighbor(int i) {
        return neighbors[i];
    }

    /**
     * @param ipv4 an IPv4 address
     * @return the next hop with that address, or null
     */
    public Neighbor neighborOf(int ipv4) {
        for (Neighbor neighbor : neighbors) {
            VtepAddress address = neighbor.address();
            if (!address.ipv6() && address.ipv4() == ipv4) {
                return neighbor;
            }
        }
        return null;
    }

    /**
     * @param high first 64 bits of an IPv6 address
     * @param low last 64 bits
     * @return the next hop with that address, or null
     */
    public Neighbor neighborOf(long high, long low) {
        for (Neighbor neighbor : neighbors) {
            VtepAddress address = neighbor.address();
            if (address.ipv6() && address.high() == high && address.low() == low) {
                return neighbor;
            }
        }
        return null;
    }
}
