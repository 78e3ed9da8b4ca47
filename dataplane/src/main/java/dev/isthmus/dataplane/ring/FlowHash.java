package dev.isthmus.dataplane.ring;

import dev.isthmus.dataplane.packet.EthernetHeader;
import dev.isthmus.dataplane.packet.PacketMemory;

/**
 * Chooses a worker for a packet by a hash of its flow, so every packet of one flow goes to the same worker (and
 * keeps its order) while flows spread over the workers. The flow is the 5-tuple — addresses, protocol, and for
 * UDP/TCP/SCTP the ports — of IPv4 or IPv6 (after up to two VLAN tags); fragments and non-IP frames hash on what
 * they have (addresses, or the MAC addresses), which keeps a fragmented datagram's pieces together.
 *
 * <p>With {@code symmetric} both directions of a conversation hash alike (source and destination are combined
 * order-independently), as a stateful function that sees replies on another port needs.
 */
public final class FlowHash {

    private FlowHash() {
    }

    /** A 64-bit hash of the flow of the frame at {@code address}; reads only within {@code length}. */
    public static long hash(long address, int length, boolean symmetric) {
        // Kept short, with each case in its own method, so that the JIT inlines the hash and the IPv4 case into a
        // hot caller (as one method it was too big to inline).
        if (length < EthernetHeader.HEADER_LENGTH) {
            return 0;
        }
        int offset = EthernetHeader.TYPE_OFFSET;
        int type = PacketMemory.u16(address + offset);
        for (int tags = 0; (type == EthernetHeader.TYPE_VLAN || type == EthernetHeader.TYPE_QINQ) && tags < 2; tags++) {
            offset += 4;
            if (offset + 2 > length) {
                return 0;
            }
            type = PacketMemory.u16(address + offset);
        }
        int l3 = offset + 2;
        if (type == EthernetHeader.TYPE_IPV4 && l3 + 20 <= length) {
            return hashIpv4(address, l3, length, symmetric);
        }
        if (type == EthernetHeader.TYPE_IPV6 && l3 + 40 <= length) {
            return hashIpv6(address, l3, length, symmetric);
        }
        return hashEthernet(address, type, symmetric);
    }

    private static long hashIpv4(long address, int l3, int length, boolean symmetric) {
        long ip = address + l3;
        long a = PacketMemory.i32(ip + 12) & 0xFFFF_FFFFL;
        long b = PacketMemory.i32(ip + 16) & 0xFFFF_FFFFL;
        int protocol = PacketMemory.u8(ip + 9);
        int ihl = (PacketMemory.u8(ip) & 0x0F) << 2;
        boolean fragment = (PacketMemory.u16(ip + 6) & 0x3FFF) != 0;
        int ports = !fragment && hasPorts(protocol) && l3 + ihl + 4 <= length ? PacketMemory.i32(ip + ihl) : 0;
        return mix(combine(a, b, ports, symmetric) ^ ((long) protocol << 56));
    }

    private static long hashIpv6(long address, int l3, int length, boolean symmetric) {
        long ip = address + l3;
        long a = PacketMemory.i64(ip + 8) * 31 + PacketMemory.i64(ip + 16);
        long b = PacketMemory.i64(ip + 24) * 31 + PacketMemory.i64(ip + 32);
        int next = PacketMemory.u8(ip + 6);
        // Ports only when the transport header follows directly; an extension chain hashes on addresses alone.
        int ports = hasPorts(next) && l3 + 44 <= length ? PacketMemory.i32(ip + 40) : 0;
        return mix(combine(a, b, ports, symmetric) ^ ((long) next << 56));
    }

    private static long hashEthernet(long address, int type, boolean symmetric) {
        long dst = PacketMemory.u48(address);
        long src = PacketMemory.u48(address + 6);
        return mix(combine(src, dst, 0, symmetric) ^ type);
    }

    /** A worker index in {@code [0, workers)} for a hash, by multiply-shift (no division, no modulo bias to speak of). */
    public static int select(long hash, int workers) {
        return (int) (((hash >>> 32) * workers) >>> 32);
    }

    private static boolean hasPorts(int protocol) {
        return protocol == 6 || protocol == 17 || protocol == 132;
    }

    private static long combine(long source, long destination, int ports, boolean symmetric) {
        if (symmetric) {
            int sourcePort = ports >>> 16;
            int destinationPort = ports & 0xFFFF;
            return (source ^ destination) * 0x9E37_79B9_7F4A_7C15L + (sourcePort ^ destinationPort) + (source + destination);
        }
        return source * 0x9E37_79B9_7F4A_7C15L + destination * 0xC2B2_AE3D_27D4_EB4FL + (ports & 0xFFFF_FFFFL);
    }

    /** The 64-bit finaliser of MurmurHash3: every input bit affects every output bit. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        h ^= h >>> 33;
        return h;
    }
}
