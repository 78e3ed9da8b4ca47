package dev.isthmus.dataplane.packet;

import dev.isthmus.dataplane.counters.DataplaneDrop;
import dev.isthmus.dataplane.counters.DropReasons;

/**
 * What {@link HeaderParser} found in each packet of a burst, parsed once and read by every stage: the packet's
 * opaque metadata, as VPP keeps {@code vnet_buffer(b)->l3_hdr_offset}/{@code l4_hdr_offset} and the
 * checksum-verified flags, and DPDK {@code packet_type} and {@code l2_len}/{@code l3_len}.
 *
 * <p>Two {@code long}s per packet, indexed by the packet's slot in the burst ({@code 0..MbufBurst.MAX-1}), owned by
 * one lcore's frame: the parser writes each word once from registers (two stores per IP packet, one for anything
 * else), and a stage reads a packet's layer-3 facts with one load and one bounds check. 32 packets' metadata is 512
 * bytes of Java {@code long[]}, stays in L1 across the stages, and costs no native layout (the mbuf private area
 * would need every pool created with a {@code priv_size} and would put the metadata on a third cache line per mbuf;
 * a dynfield needs registering and is only 8-16 bytes). The price: the metadata does not travel with the mbuf
 * through a ring; the lcore that dequeues a packet parses it again (one parse per lcore that touches it).
 *
 * <p>The packet word ({@code packet[i]}), from bit 0: EtherType (16 bits), l3Offset (8), protocol (8), flags (16:
 * the public ones below and two of the parser's, {@code UPPER_LAYER} and {@code PORTS}, that say whether the
 * protocol, the upper-layer word and the ports describe this packet), status + 1 (8), l4Status + 1 (8), so that a
 * VALID packet has zeros in its top 16 bits and a stage can test a whole class of packets with one mask and one
 * compare ({@link #isUdpOverPlainIpv4}). The upper-layer word ({@code upper[i]}), written only with a protocol:
 * ports (32 bits, source high), l4Offset (16), l4Length (16).
 *
 * <p>Per slot, through the accessors:
 * <ul>
 *   <li>{@link #status}: {@link DropReasons#VALID}, or the {@link DataplaneDrop} code of the first failed check
 *       of the Ethernet header and tags, ARP, or the IPv4/IPv6 header (its checksum and fragments included);</li>
 *   <li>{@link #etherType} (after the VLAN tags), {@link #l3Offset};</li>
 *   <li>for IP: {@link #protocol} (IPv4 Protocol, or IPv6's first header after the extension headers),
 *       {@link #l4Offset}, {@link #l4Length} (from Total Length / Payload Length, not the frame, which may be
 *       padded), and {@link #l4Status}: VALID or why the UDP header (truncated, bad Length) or ICMP message
 *       (truncated) is malformed;</li>
 *   <li>{@link #ports}: source port in the high 16 bits, destination in the low, for a well-formed UDP or TCP
 *       header; -1 otherwise;</li>
 *   <li>{@link #flags}: {@code IPV4}, {@code IPV6}, {@code IP_OPTIONS}, {@code FRAGMENT}, {@code VLAN}, the
 *       checksum bits ({@code IP_CHECKSUM_BY_NIC}, {@code L4_CHECKSUM_CHECKED}, {@code L4_CHECKSUM_GOOD},
 *       {@code L4_CHECKSUM_BY_NIC}), and {@code UDP_FILLS_PAYLOAD}.</li>
 * </ul>
 *
 * <p>The upper-layer checksum is verified lazily, at most once per packet, by {@link #l4ChecksumValid}: the parser
 * settles it from the NIC's verdict or from a zero UDP checksum when it can, and a stage that claims the packet
 * asks for the rest (a VxLAN packet with a zero checksum, or a packet for another host, is never summed).
 *
 * <p>Fields describe the bytes as received. A stage that rewrites a packet's headers decides the packet in the same
 * pass (answers it, or decapsulates and switches it), so no later stage reads a stale slot.
 */
public final class PacketHeaders {

    /** An IPv4 packet whose header is well formed (when {@link #status} is VALID). */
    public static final int IPV4 = 1;
    /** An IPv6 packet. */
    public static final int IPV6 = 1 << 1;
    /** IPv4 options (IHL above 5) or IPv6 extension headers are present. */
    public static final int IP_OPTIONS = 1 << 2;
    /** A fragment (IPv4 MF or offset, IPv6 Fragment header other than an atomic one); {@link #status} says so. */
    public static final int FRAGMENT = 1 << 3;
    /** One or two 802.1Q/802.1ad tags precede the EtherType. */
    public static final int VLAN = 1 << 4;
    /** The IPv4 header checksum was taken from the NIC's GOOD verdict instead of summed. */
    public static final int IP_CHECKSUM_BY_NIC = 1 << 5;
    /** The upper-layer checksum is settled: {@link #L4_CHECKSUM_GOOD} says which way. */
    public static final int L4_CHECKSUM_CHECKED = 1 << 6;
    /** The upper-layer checksum is correct, or absent where that is allowed (zero UDP checksum over IPv4). */
    public static final int L4_CHECKSUM_GOOD = 1 << 7;
    /** The upper-layer checksum was settled from the NIC's verdict. */
    public static final int L4_CHECKSUM_BY_NIC = 1 << 8;
    /**
     * Well-formed UDP whose Length is the whole IP payload (no octets follow the datagram inside the IP packet), so
     * that {@link #l4Length} is the UDP Length and a stage need not read that field again.
     */
    public static final int UDP_FILLS_PAYLOAD = 1 << 9;

    /** Parser's flag: {@link #protocol}, {@link #l4Offset} and {@link #l4Length} describe the packet. */
    static final int UPPER_LAYER = 1 << 14;
    /** Parser's flag: {@link #ports} are the packet's (a well-formed UDP header, or TCP's fixed one). */
    static final int PORTS = 1 << 15;
    private static final int PUBLIC_FLAGS = (1 << 10) - 1;

    static final int L3_OFFSET_SHIFT = 16;
    static final int PROTOCOL_SHIFT = 24;
    static final int FLAGS_SHIFT = 32;
    static final int STATUS_SHIFT = 48;
    static final int L4_STATUS_SHIFT = 56;
    static final int L4_OFFSET_SHIFT = 32;
    static final int L4_LENGTH_SHIFT = 48;

    /** What {@link #isUdpOverPlainIpv4} compares, and the value it expects. */
    private static final long PLAIN_IPV4_UDP_MASK = 0xFFFFL | 0xFFL << PROTOCOL_SHIFT
            | (long) (VLAN | IP_OPTIONS | UPPER_LAYER | PORTS | L4_CHECKSUM_CHECKED | L4_CHECKSUM_GOOD
                    | UDP_FILLS_PAYLOAD) << FLAGS_SHIFT
            | 0xFFFFL << STATUS_SHIFT;
    private static final long PLAIN_IPV4_UDP = EthernetHeader.TYPE_IPV4 | (long) Ipv4Header.PROTOCOL_UDP << PROTOCOL_SHIFT
            | (long) (UPPER_LAYER | PORTS | L4_CHECKSUM_CHECKED | L4_CHECKSUM_GOOD | UDP_FILLS_PAYLOAD) << FLAGS_SHIFT;

    /** What {@link #udpDestinationPort} compares, and the value it expects. */
    private static final long WELL_FORMED_UDP_MASK = 0xFFL << PROTOCOL_SHIFT | (long) PORTS << FLAGS_SHIFT
            | 0xFFFFL << STATUS_SHIFT;
    private static final long WELL_FORMED_UDP = (long) Ipv4Header.PROTOCOL_UDP << PROTOCOL_SHIFT
            | (long) PORTS << FLAGS_SHIFT;

    /** Slots: one per packet of a burst ({@code MbufBurst.MAX}). */
    public static final int SLOTS = 32;

    static {
        // status + 1 and l4Status + 1 are kept in 8 bits each.
        if (DataplaneDrop.values().length >= 0xFF) {
            throw new ExceptionInInitializerError("DataplaneDrop codes no longer fit PacketHeaders' 8-bit status");
        }
    }

    /** Per slot: the packet word (layout in the class comment). */
    final long[] packet = new long[SLOTS];
    /** Per slot: the upper-layer word, meaningful when the packet word has {@link #UPPER_LAYER}. */
    final long[] upper = new long[SLOTS];

    /** A status code as the packet word holds it. */
    static long statusBits(int code) {
        return (long) (code + 1) << STATUS_SHIFT;
    }

    /** An l4Status code as the packet word holds it. */
    static long l4StatusBits(int code) {
        return (long) (code + 1) << L4_STATUS_SHIFT;
    }

    /** VALID, or the drop code of the first malformed L2/L3 header (see the class comment). */
    public int status(int i) {
        return ((int) (packet[i] >>> STATUS_SHIFT) & 0xFF) - 1;
    }

    /** The EtherType after any VLAN tags; 0 when the frame is too short to hold one. */
    public int etherType(int i) {
        return (int) packet[i] & 0xFFFF;
    }

    /** Where the network header starts, from the frame's first byte. */
    public int l3Offset(int i) {
        return (int) (packet[i] >>> L3_OFFSET_SHIFT) & 0xFF;
    }

    /** The IP protocol (IPv4) or first non-extension header (IPv6); -1 when not well-formed IP. */
    public int protocol(int i) {
        final long p = packet[i];
        return (p & (long) UPPER_LAYER << FLAGS_SHIFT) != 0 ? (int) (p >>> PROTOCOL_SHIFT) & 0xFF : -1;
    }

    /** Where the upper-layer header starts, from the frame's first byte (meaningful when {@link #protocol} is). */
    public int l4Offset(int i) {
        return (int) (upper[i] >>> L4_OFFSET_SHIFT) & 0xFFFF;
    }

    /** Upper-layer bytes per the IP length fields (meaningful when {@link #protocol} is). */
    public int l4Length(int i) {
        return (int) (upper[i] >>> L4_LENGTH_SHIFT);
    }

    /** VALID, or the drop code of a malformed UDP header or truncated ICMP/ICMPv6 message. */
    public int l4Status(int i) {
        return (int) (packet[i] >>> L4_STATUS_SHIFT) - 1;
    }

    /** UDP/TCP source port &lt;&lt; 16 | destination port, or -1. */
    public int ports(int i) {
        return (packet[i] & (long) PORTS << FLAGS_SHIFT) != 0 ? (int) upper[i] : -1;
    }

    public int sourcePort(int i) {
        return ports(i) >>> 16;
    }

    public int destinationPort(int i) {
        return ports(i) & 0xFFFF;
    }

    public int flags(int i) {
        return (int) (packet[i] >>> FLAGS_SHIFT) & PUBLIC_FLAGS;
    }

    public boolean isIpv4(int i) {
        return (flags(i) & IPV4) != 0;
    }

    public boolean isIpv6(int i) {
        return (flags(i) & IPV6) != 0;
    }

    /**
     * Whether packet {@code i} is the common case of UDP in a tunnel's underlay, told by one compare of its packet
     * word: untagged IPv4 without options, every header well formed, UDP whose checksum the parser settled as correct
     * (a zero checksum, or the NIC's GOOD verdict) and whose Length is the whole IP payload. Its UDP header is then at
     * {@code l3Offset + 20}, and {@link #ports} and the UDP Length ({@link #l4Length}) are known. A packet this
     * refuses may still be such UDP (e.g. a checksum to sum), and goes through the field-by-field reads.
     */
    public boolean isUdpOverPlainIpv4(int i) {
        return (packet[i] & PLAIN_IPV4_UDP_MASK) == PLAIN_IPV4_UDP;
    }

    /**
     * The UDP destination port of packet {@code i} when it is well-formed UDP (over IPv4 or IPv6, tagged or not, with
     * or without options; status and l4Status VALID), else -1 — told by one mask and compare of the packet word, so
     * that a stage can pass over the UDP that is not its own (on a shared uplink, the DNS stage over the VxLAN
     * underlay) without reading the packet or any other field.
     */
    public int udpDestinationPort(int i) {
        return (packet[i] & WELL_FORMED_UDP_MASK) == WELL_FORMED_UDP ? (int) upper[i] & 0xFFFF : -1;
    }

    /**
     * Whether the upper-layer checksum of packet {@code i} (whose frame starts at {@code frame}) is correct: UDP
     * (RFC 768, the pseudo-header's length being UDP Length; a zero checksum is none over IPv4 and invalid over
     * IPv6, RFC 8200 §8.1), TCP (RFC 9293 §3.1), ICMP (RFC 792, no pseudo-header) or ICMPv6 (RFC 4443 §2.3). Summed
     * at most once per packet, unless the parser settled it already (NIC verdict, zero UDP checksum). Only for a
     * packet whose {@link #status} and {@link #l4Status} are VALID.
     */
    public boolean l4ChecksumValid(int i, long frame) {
        final long p = packet[i];
        final int f = (int) (p >>> FLAGS_SHIFT);
        if ((f & L4_CHECKSUM_CHECKED) != 0) {
            return (f & L4_CHECKSUM_GOOD) != 0;
        }
        final boolean good = sumsRight(i, frame, p);
        packet[i] = p | (long) (L4_CHECKSUM_CHECKED | (good ? L4_CHECKSUM_GOOD : 0)) << FLAGS_SHIFT;
        return good;
    }

    /**
     * {@link #l4ChecksumValid(int, long)}'s sum for a stage that has loaded the addresses and length already and
     * found the verdict not settled in the packet's {@link #flags} (the DNS stage answering in place): whether the
     * {@code length} octets at {@code l4} and the pseudo-header's sum {@code pseudo} fold to 0xFFFF. The same code
     * as the per-packet method, without marking the packet word: for a stage that answers or drops the packet in
     * the same pass.
     */
    public static boolean l4SumsRight(long l4, int length, long pseudo) {
        return InternetChecksum.verifies(InternetChecksum.sum(l4, length, pseudo));
    }

    private boolean sumsRight(int i, long frame, long p) {
        final long u = upper[i];
        final long l4 = frame + ((int) (u >>> L4_OFFSET_SHIFT) & 0xFFFF);
        final long l3 = frame + ((int) (p >>> L3_OFFSET_SHIFT) & 0xFF);
        final int proto = (int) (p >>> PROTOCOL_SHIFT) & 0xFF;
        int length = (int) (u >>> L4_LENGTH_SHIFT);
        if (proto == Ipv4Header.PROTOCOL_UDP && (p & (long) UDP_FILLS_PAYLOAD << FLAGS_SHIFT) == 0) {
            length = PacketMemory.u16(l4 + UdpHeader.LENGTH_OFFSET); // octets follow the datagram
        }
        final long pseudo;
        if ((p & (long) IPV4 << FLAGS_SHIFT) != 0) {
            if (proto == Ipv4Header.PROTOCOL_ICMP) {
                pseudo = 0;
            } else {
                pseudo = InternetChecksum.ipv4PseudoHeader(PacketMemory.i32(l3 + Ipv4Header.SOURCE_OFFSET),
                        PacketMemory.i32(l3 + Ipv4Header.DESTINATION_OFFSET), proto, length);
            }
        } else {
            pseudo = InternetChecksum.ipv6PseudoHeader(l3 + Ipv6Header.SOURCE_OFFSET, length, proto);
        }
        return l4SumsRight(l4, length, pseudo);
    }
}
