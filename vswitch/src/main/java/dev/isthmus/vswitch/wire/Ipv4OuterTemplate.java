package dev.isthmus.vswitch.wire;

import dev.isthmus.dataplane.packet.EthernetHeader;
import dev.isthmus.dataplane.packet.InternetChecksum;
import dev.isthmus.dataplane.packet.PacketMemory;

/**
 * The 50 outer bytes of VxLAN over IPv4 towards one remote VTEP ({@link VxlanEncapsulation} describes each field and
 * the RFC it comes from), precomputed as the big-endian words the data path stores: per packet only the next hop's
 * MAC (it can change while the VTEP stays), the IPv4 total length and checksum, the UDP source port and length and
 * the VNI's header are filled in, and the whole is written in six 64-bit stores and one 16-bit store instead of one
 * store per field. Byte for byte the same as {@link VxlanEncapsulation#writeIpv4}.
 *
 * <pre>
 * offset  0: next hop MAC, uplink MAC bytes 0-1          (8)   per packet: the next hop's current MAC
 * offset  8: uplink MAC bytes 2-5, 0x0800, 0x45, TOS 0  (8)   constant
 * offset 16: total length, ID 0, DF, TTL 64, UDP        (8)   per packet: total length
 * offset 24: header checksum                            (2)   per packet: constant sum + total length
 * offset 26: source address, destination address        (8)   constant
 * offset 34: source port, VxLAN port, UDP length, 0     (8)   per packet: source port, length
 * offset 42: VxLAN header                               (8)   the domain's
 * </pre>
 *
 * <p>The header checksum is the ones' complement of the sum of the header's 16-bit words (RFC 791 section 3.1); all
 * of them but the total length are the same for every packet to this VTEP, so their sum is taken once here and a
 * packet's checksum costs one add and a fold (RFC 1071 section 2(C): the sum may be accumulated in any grouping). The
 * Identification is always zero, allowed because DF is set (RFC 6864 section 4.1), so it never enters the sum.
 */
public final class Ipv4OuterTemplate {

    private static final int VERSION_IHL_TOS = 0x4500;
    private static final int FLAGS_DF = 0x4000;
    private static final int TTL_PROTOCOL_UDP = VxlanEncapsulation.OUTER_TTL << 8 | 17;
    private static final int IPV4_UDP_VXLAN = 20 + 8 + 8;
    private static final int UDP_VXLAN = 8 + 8;

    private final long uplinkMacHigh;
    private final long macTypeVersion;
    private final long fragmentTtlProtocol;
    private final long constantSum;
    private final long addresses;
    private final long destinationPort;

    /**
     * @param uplinkMac the uplink's MAC (the outer source MAC)
     * @param source this VTEP's IPv4 address
     * @param destination the remote VTEP's IPv4 address
     * @param udpPort the VxLAN UDP destination port
     */
    public Ipv4OuterTemplate(long uplinkMac, int source, int destination, int udpPort) {
        this.uplinkMacHigh = (uplinkMac >>> 32) & 0xFFFF;
        this.macTypeVersion = (uplinkMac & 0xFFFF_FFFFL) << 32 | (long) EthernetHeader.TYPE_IPV4 << 16 | VERSION_IHL_TOS;
        this.fragmentTtlProtocol = (long) FLAGS_DF << 16 | TTL_PROTOCOL_UDP;
        this.constantSum = VxlanEncapsulation.ipv4ConstantSum(source, destination);
        this.addresses = (source & 0xFFFF_FFFFL) << 32 | (destination & 0xFFFF_FFFFL);
        this.destinationPort = (long) (udpPort & 0xFFFF) << 32;
    }

    /**
     * Writes the outer headers at {@code at}; the inner frame of {@code innerLength} bytes must follow them.
     *
     * @param at the address of the outer Ethernet header (the inner frame's start minus 50)
     * @param innerLength the inner frame's length
     * @param nextHopMac the underlay next hop's MAC
     * @param sourcePort the UDP source port ({@link VxlanEncapsulation#sourcePort})
     * @param vxlanHeader the 8 VxLAN header bytes as a big-endian long
     */
    public void write(long at, int innerLength, long nextHopMac, int sourcePort, long vxlanHeader) {
        final int totalLength = IPV4_UDP_VXLAN + innerLength;
        PacketMemory.put64(at, nextHopMac << 16 | uplinkMacHigh);
        PacketMemory.put64(at + 8, macTypeVersion);
        PacketMemory.put64(at + 16, (long) totalLength << 48 | fragmentTtlProtocol);
        PacketMemory.put16(at + 24, InternetChecksum.finish(constantSum + totalLength));
        PacketMemory.put64(at + 26, addresses);
        // RFC 7348 section 5: the outer UDP checksum SHOULD be zero over IPv4; the low 16 bits stay 0.
        PacketMemory.put64(at + 34, (long) (sourcePort & 0xFFFF) << 48 | destinationPort
                | (long) (UDP_VXLAN + innerLength) << 16);
        PacketMemory.put64(at + 42, vxlanHeader);
    }
}
