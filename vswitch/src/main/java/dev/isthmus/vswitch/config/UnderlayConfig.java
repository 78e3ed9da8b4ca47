package dev.isthmus.vswitch.config;

import dev.isthmus.dataplane.address.Ipv4Address;
import dev.isthmus.dataplane.address.Ipv6Address;
import dev.isthmus.dataplane.address.MacAddress;
import dev.isthmus.vswitch.wire.VxlanHeader;

/**
 * The underlay: the uplink port that carries VxLAN, this VTEP's own addresses on it (IPv4, IPv6 or both), where
 * remote VTEPs are reached, the UDP port and the MTU.
 *
 * <p>A remote VTEP inside a configured prefix is reached directly (its own MAC is resolved by ARP or ND); any other
 * goes through the gateway of its family.
 *
 * @param uplinkPort the dataplane port id of the uplink
 * @param uplinkMac the uplink's MAC, the source of every encapsulated frame
 * @param ipv4 this VTEP's IPv4 address, or null
 * @param ipv4PrefixLength the on-link IPv4 prefix length (1..32)
 * @param ipv4Gateway the IPv4 next hop for VTEPs off the prefix, or null
 * @param ipv6 this VTEP's IPv6 address, or null
 * @param ipv6PrefixLength the on-link IPv6 prefix length (1..128)
 * @param ipv6Gateway the IPv6 next hop for VTEPs off the prefix, or null
 * @param udpPort the VxLAN UDP destination port (RFC 7348 section 5: 4789 by default)
 * @param mtu the underlay IP MTU of the uplink; an inner frame that would exceed it once encapsulated is dropped
 */
public record UnderlayConfig(int uplinkPort, MacAddress uplinkMac, Ipv4Address ipv4, int ipv4PrefixLength,
                             Ipv4Address ipv4Gateway, Ipv6Address ipv6, int ipv6PrefixLength, Ipv6Address ipv6Gateway,
                             int udpPort, int mtu) {

    /** Default underlay MTU. */
    public static final int DEFAULT_MTU = 1500;
    /** Outer IPv4 + UDP + VxLAN bytes added in front of the inner frame. */
    public static final int IPV4_OVERHEAD = 20 + 8 + VxlanHeader.LENGTH;
    /** Outer IPv6 + UDP + VxLAN bytes added in front of the inner frame. */
    public static final int IPV6_OVERHEAD = 40 + 8 + VxlanHeader.LENGTH;
    /** Largest accepted MTU (jumbo frames). */
    public static final int MAX_MTU = 9216;

    public UnderlayConfig {
        VswitchConfigException.require(uplinkPort >= 0 && uplinkPort <= AccessPort.MAX_PORT_ID,
                "uplink port id must be in [0, " + AccessPort.MAX_PORT_ID + "]: " + uplinkPort);
        VswitchConfigException.require(uplinkMac != null && !uplinkMac.isMulticast() && uplinkMac.value() != 0,
                "uplink MAC must be a unicast address");
        VswitchConfigException.require(ipv4 != null || ipv6 != null, "the underlay needs an IPv4 or an IPv6 address");
        if (ipv4 != null) {
            VswitchConfigException.require(VtepAddress.of(ipv4).isUsableUnicast(), "VTEP IPv4 address must be unicast: " + ipv4);
            VswitchConfigException.require(ipv4PrefixLength >= 1 && ipv4PrefixLength <= 32,
                    "IPv4 prefix length must be in [1, 32]: " + ipv4PrefixLength);
            VswitchConfigException.require(ipv4Gateway == null || sameIpv4Prefix(ipv4, ipv4Gateway, ipv4PrefixLength),
                    "IPv4 gateway " + ipv4Gateway + " is not on " + ipv4 + "/" + ipv4PrefixLength);
        } else {
            VswitchConfigException.require(ipv4Gateway == null, "IPv4 gateway without an IPv4 address");
        }
        if (ipv6 != null) {
            VswitchConfigException.require(VtepAddress.of(ipv6).isUsableUnicast(), "VTEP IPv6 address must be unicast: " + ipv6);
            VswitchConfigException.require(ipv6PrefixLength >= 1 && ipv6PrefixLength <= 128,
                    "IPv6 prefix length must be in [1, 128]: " + ipv6PrefixLength);
        } else {
            VswitchConfigException.require(ipv6Gateway == null, "IPv6 gateway without an IPv6 address");
        }
        VswitchConfigException.require(udpPort >= 1 && udpPort <= 65535, "UDP port must be in [1, 65535]: " + udpPort);
        // RFC 8200 section 5: every IPv6 link has an MTU of at least 1280; RFC 791: 68 for IPv4. Below 576 no
        // useful inner frame fits anyway.
        int minMtu = ipv6 != null ? 1280 : 576;
        VswitchConfigException.require(mtu >= minMtu && mtu <= MAX_MTU,
                "underlay MTU must be in [" + minMtu + ", " + MAX_MTU + "]: " + mtu);
    }

    /**
     * An IPv4-only underlay with defaults: UDP 4789, MTU 1500, no gateway.
     *
     * @param uplinkPort the uplink port id
     * @param uplinkMac its MAC
     * @param ipv4 this VTEP's address
     * @param prefixLength the on-link prefix length
     * @return the underlay
     */
    public static UnderlayConfig ipv4(int uplinkPort, MacAddress uplinkMac, Ipv4Address ipv4, int prefixLength) {
        return new UnderlayConfig(uplinkPort, uplinkMac, ipv4, prefixLength, null, null, 0, null,
                VxlanHeader.IANA_UDP_PORT, DEFAULT_MTU);
    }

    /** @param udpPort the UDP port @return this underlay with it */
    public UnderlayConfig withUdpPort(int udpPort) {
        return new UnderlayConfig(uplinkPort, uplinkMac, ipv4, ipv4PrefixLength, ipv4Gateway, ipv6, ipv6PrefixLength,
                ipv6Gateway, udpPort, mtu);
    }

    /** @param mtu the underlay MTU @return this underlay with it */
    public UnderlayConfig withMtu(int mtu) {
        return new UnderlayConfig(uplinkPort, uplinkMac, ipv4, ipv4PrefixLength, ipv4Gateway, ipv6, ipv6PrefixLength,
                ipv6Gateway, udpPort, mtu);
    }

    /**
     * @param ipv6 this VTEP's IPv6 address
     * @param prefixLength its on-link prefix length
     * @param gateway the IPv6 next hop off the prefix, or null
     * @return this underlay with IPv6
     */
    public UnderlayConfig withIpv6(Ipv6Address ipv6, int prefixLength, Ipv6Address gateway) {
        return new UnderlayConfig(uplinkPort, uplinkMac, ipv4, ipv4PrefixLength, ipv4Gateway, ipv6, prefixLength,
                gateway, udpPort, mtu);
    }

    /** @param gateway the IPv4 next hop off the prefix @return this underlay with it */
    public UnderlayConfig withIpv4Gateway(Ipv4Address gateway) {
        return new UnderlayConfig(uplinkPort, uplinkMac, ipv4, ipv4PrefixLength, gateway, ipv6, ipv6PrefixLength,
                ipv6Gateway, udpPort, mtu);
    }

    /**
     * The largest inner Ethernet frame (header included, no FCS) that fits the underlay MTU over a family:
     * e.g. 1464 bytes on IPv4 with MTU 1500, that is an inner IP MTU of 1450.
     *
     * @param overIpv6 whether the outer header is IPv6
     * @return the largest inner frame in bytes
     */
    public int maxInnerFrame(boolean overIpv6) {
        return mtu - (overIpv6 ? IPV6_OVERHEAD : IPV4_OVERHEAD);
    }

    /**
     * Whether a remote VTEP's family has an address here.
     *
     * @param vtep a VTEP address
     * @return true when the underlay can reach it
     */
    public boolean supports(VtepAddress vtep) {
        return vtep.ipv6() ? ipv6 != null : ipv4 != null;
    }

    /**
     * The address to resolve to reach {@code vtep}: the VTEP itself when on-link, else the gateway of its family
     * (null when there is none: the VTEP is then unreachable and counted so).
     *
     * @param vtep a remote VTEP
     * @return the next hop, or null
     */
    public VtepAddress nextHop(VtepAddress vtep) {
        if (!vtep.ipv6()) {
            if (ipv4 == null) {
                return null;
            }
            return sameIpv4Prefix(ipv4, new Ipv4Address(vtep.ipv4()), ipv4PrefixLength) ? vtep
                    : ipv4Gateway == null ? null : VtepAddress.of(ipv4Gateway);
        }
        if (ipv6 == null) {
            return null;
        }
        return sameIpv6Prefix(ipv6, vtep, ipv6PrefixLength) ? vtep
                : ipv6Gateway == null ? null : VtepAddress.of(ipv6Gateway);
    }

    /** @return this VTEP's own addresses as VTEP addresses (to refuse them as remote VTEPs) */
    public boolean isOwn(VtepAddress vtep) {
        return (ipv4 != null && VtepAddress.of(ipv4).equals(vtep)) || (ipv6 != null && VtepAddress.of(ipv6).equals(vtep));
    }

    private static boolean sameIpv4Prefix(Ipv4Address a, Ipv4Address b, int prefixLength) {
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        return (a.value() & mask) == (b.value() & mask);
    }

    private static boolean sameIpv6Prefix(Ipv6Address a, VtepAddress b, int prefixLength) {
        long highMask = prefixLength >= 64 ? -1L : prefixLength == 0 ? 0 : -1L << (64 - prefixLength);
        long lowMask = prefixLength <= 64 ? 0 : prefixLength == 128 ? -1L : -1L << (128 - prefixLength);
        return (a.high() & highMask) == (b.high() & highMask) && (a.low() & lowMask) == (b.low() & lowMask);
    }
}
