package dev.isthmus.vswitch.wire;

import dev.isthmus.dataplane.packet.EthernetHeader;
import dev.isthmus.dataplane.packet.InternetChecksum;
import dev.isthmus.dataplane.packet.PacketMemory;

/**
 * Writes the outer headers of a VxLAN packet in front of an inner Ethernet frame (RFC 7348 section 5):
 *
 * <pre>
 * IPv4 underlay, 50 bytes:                       IPv6 underlay, 70 bytes:
 * +----------------------------+ 0               +----------------------------+ 0
 * | Ethernet  dst src 0x0800   |                 | Ethernet  dst src 0x86DD   |
 * +----------------------------+ 14              +----------------------------+ 14
 * | IPv4  DF, TTL 64, proto 17 |                 | IPv6  hop limit 64, nh 17  |
 * +----------------------------+ 34              +----------------------------+ 54
 * | UDP  sport=hash  dport     |                 | UDP  sport=hash  dport     |
 * |      checksum 0            |                 |      checksum computed     |
 * +----------------------------+ 42              +----------------------------+ 62
 * | VxLAN  I flag, VNI         |                 | VxLAN  I flag, VNI         |
 * +----------------------------+ 50              +----------------------------+ 70
 * | inner Ethernet frame ...   |                 | inner Ethernet frame ...   |
 * </pre>
 *
 * <p>Field choices, each from its RFC: the UDP source port comes from a hash of the inner flow, within the dynamic
 * range 49152-65535, so that underlay ECMP spreads flows (RFC 7348 section 5, "Outer UDP Header"); the IPv4 header
 * sets DF, because a VTEP must not fragment (RFC 7348 section 4.3), and an IPv4 UDP checksum of zero ("SHOULD be
 * transmitted as zero", RFC 7348 section 5); over IPv6 the UDP checksum is computed, the default that RFC 6935
 * section 5 and RFC 6936 keep unless both ends opt into zero, and the flow label carries the same hash (RFC 6438).
 * An IPv4 packet with DF set is atomic, so its Identification may be zero (RFC 6864 section 4.1).
 */
public final class VxlanEncapsulation {

    /** Outer bytes over IPv4: Ethernet 14, IPv4 20, UDP 8, VxLAN 8. */
    public static final int IPV4_OUTER_LENGTH = 50;
    /** Outer bytes over IPv6: Ethernet 14, IPv6 40, UDP 8, VxLAN 8. */
    public static final int IPV6_OUTER_LENGTH = 70;
    /** Outer hop limit / TTL. */
    public static final int OUTER_TTL = 64;

    private static final int IPV4_VERSION_IHL_TOS = 0x4500;
    private static final int IPV4_FLAGS_DF = 0x4000;
    private static final int TTL_PROTOCOL_UDP = OUTER_TTL << 8 | 17;
    private static final int IPV4_AND_UDP_AND_VXLAN = 20 + 8 + 8;
    private static final int UDP_AND_VXLAN = 8 + 8;
    private static final int DYNAMIC_PORT_BASE = 49152;

    private VxlanEncapsulation() {
    }

    /**
     * The ones' complement sum of the outer IPv4 header fields that are the same for every packet to one VTEP.
     *
     * @param source this VTEP's IPv4 address
     * @param destination the remote VTEP's IPv4 address
     * @return the unfolded partial sum
     */
    public static long ipv4ConstantSum(int source, int destination) {
        return IPV4_VERSION_IHL_TOS + IPV4_FLAGS_DF + TTL_PROTOCOL_UDP
                + (source >>> 16) + (source & 0xFFFF) + (destination >>> 16) + (destination & 0xFFFF);
    }

    /**
     * The UDP source port for an inner flow: the dynamic range 49152-65535 (RFC 7348 section 5).
     *
     * @param flowHash a hash of the inner frame's flow
     * @return the port
     */
    public static int sourcePort(long flowHash) {
        return DYNAMIC_PORT_BASE | (int) ((flowHash ^ (flowHash >>> 32)) & 0x3FFF);
    }

    /**
     * Writes 50 bytes of outer Ethernet/IPv4/UDP/VxLAN headers at {@code at}; the inner frame of {@code innerLength}
     * bytes must follow them.
     *
     * @param at the address of the outer Ethernet header (the inner frame's start minus 50)
     * @param innerLength the inner frame's length
     * @param nextHopMac the underlay next hop's MAC
     * @param sourceMac the uplink's MAC
     * @param source this VTEP's IPv4 address
     * @param destination the remote VTEP's IPv4 address
     * @param constantSum {@link #ipv4ConstantSum} for that pair
     * @param sourcePort the UDP source port
     * @param destinationPort the VxLAN UDP port
     * @param vxlanHeader the 8 VxLAN header bytes as a big-endian long
     */
    public static void writeIpv4(long at, int innerLength, long nextHopMac, long sourceMac, int source,
                                 int destination, long constantSum, int sourcePort, int destinationPort,
                                 long vxlanHeader) {
        final int totalLength = IPV4_AND_UDP_AND_VXLAN + innerLength;
        PacketMemory.put48(at, nextHopMac);
        PacketMemory.put48(at + 6, sourceMac);
        PacketMemory.put16(at + 12, EthernetHeader.TYPE_IPV4);
        final long ip = at + 14;
        PacketMemory.put32(ip, IPV4_VERSION_IHL_TOS << 16 | totalLength);
        PacketMemory.put32(ip + 4, IPV4_FLAGS_DF);
        PacketMemory.put32(ip + 8, TTL_PROTOCOL_UDP << 16 | InternetChecksum.finish(constantSum + totalLength));
        PacketMemory.put32(ip + 12, source);
        PacketMemory.put32(ip + 16, destination);
        final long udp = ip + 20;
        PacketMemory.put32(udp, sourcePort << 16 | destinationPort);
        PacketMemory.put32(udp + 4, (UDP_AND_VXLAN + innerLength) << 16);
        PacketMemory.put64(udp + 8, vxlanHeader);
    }

    /**
     * Writes 70 bytes of outer Ethernet/IPv6/UDP/VxLAN headers at {@code at} and computes the UDP checksum over the
     * UDP header, the VxLAN header and the inner frame that must follow them.
     *
     * @param at the address of the outer Ethernet header (the inner frame's start minus 70)
     * @param innerLength the inner frame's length
     * @param nextHopMac the underlay next hop's MAC
     * @param sourceMac the uplink's MAC
     * @param sourceHigh first 64 bits of this VTEP's IPv6 address
     * @param sourceLow last 64 bits
     * @param destinationHigh first 64 bits of the remote VTEP's IPv6 address
     * @param destinationLow last 64 bits
     * @param flowHash a hash of the inner flow (UDP source port and flow label)
     * @param destinationPort the VxLAN UDP port
     * @param vxlanHeader the 8 VxLAN header bytes as a big-endian long
     */
    public static void writeIpv6(long at, int innerLength, long nextHopMac, long sourceMac, long sourceHigh,
                                 long sourceLow, long destinationHigh, long destinationLow, long flowHash,
                                 int destinationPort, long vxlanHeader) {
        final int udpLength = UDP_AND_VXLAN + innerLength;
        PacketMemory.put48(at, nextHopMac);
        PacketMemory.put48(at + 6, sourceMac);
        PacketMemory.put16(at + 12, EthernetHeader.TYPE_IPV6);
        final long ip = at + 14;
        PacketMemory.put32(ip, 0x6000_0000 | (int) (flowHash & 0xF_FFFF));
        PacketMemory.put32(ip + 4, udpLength << 16 | 17 << 8 | OUTER_TTL);
        PacketMemory.put64(ip + 8, sourceHigh);
        PacketMemory.put64(ip + 16, sourceLow);
        PacketMemory.put64(ip + 24, destinationHigh);
        PacketMemory.put64(ip + 32, destinationLow);
        final long udp = ip + 40;
        PacketMemory.put32(udp, sourcePort(flowHash) << 16 | destinationPort);
        PacketMemory.put32(udp + 4, udpLength << 16);
        PacketMemory.put64(udp + 8, vxlanHeader);
        // RFC 8200 section 8.1: the pseudo-header is the two addresses, the upper-layer length and next header 17.
        final long sum = InternetChecksum.ipv6PseudoHeader(ip + 8, udpLength, 17);
        final int checksum = InternetChecksum.finish(InternetChecksum.sum(udp, udpLength, sum));
        // RFC 768 / RFC 8200 section 8.1: a computed zero is sent as all ones, since zero means "no checksum".
        PacketMemory.put16(udp + 6, checksum == 0 ? 0xFFFF : checksum);
    }
}
