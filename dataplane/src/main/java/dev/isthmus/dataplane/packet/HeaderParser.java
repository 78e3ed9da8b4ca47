package dev.isthmus.dataplane.packet;

import dev.isthmus.dataplane.counters.DataplaneDrop;
import dev.isthmus.dataplane.counters.DropReasons;
import dev.isthmus.nativebindings.RxOffloads;

/**
 * The one validator of received L2/L3/L4 headers: parses a frame once into a slot of {@link PacketHeaders}, which
 * every stage then reads instead of checking the headers again. Stateless, allocation-free.
 *
 * <p>The checks and their order (each failure is the {@link DataplaneDrop} in {@link PacketHeaders#status}):
 * <ol>
 *   <li>Ethernet: the 14-byte header and up to {@link EthernetHeader#MAX_VLAN_TAGS} 802.1Q/802.1ad tags present
 *       ({@code ETHERNET_TRUNCATED}).</li>
 *   <li>ARP: Ethernet/IPv4 and long enough (RFC 826; {@code ARP_MALFORMED}).</li>
 *   <li>IPv4 (RFC 791 §3.1): 20 bytes present, version 4, IHL of at least 5 words and within the frame, Total
 *       Length at least the header and at most the frame, the header checksum (the NIC's verdict when the port
 *       gives one: GOOD skips the sum, BAD fails as the sum would), then not a fragment (RFC 791 §3.2; there is no
 *       reassembly).</li>
 *   <li>IPv6 (RFC 8200): 40 bytes present, version 6, Payload Length within the frame, then the extension headers
 *       walked — Hop-by-Hop (first only, §4.3), Routing, Destination Options ((Hdr Ext Len + 1) × 8, §4.3-4.6), AH
 *       ((Payload Len + 2) × 4, RFC 4302 §2.2), Fragment (§4.5: a fragment fails, an atomic fragment, RFC 6946, is
 *       skipped) — at most {@link Ipv6Header#MAX_EXTENSION_HEADERS}, never past Payload Length; the walk stops at
 *       the first other header (ESP and No Next Header included).</li>
 * </ol>
 * Then the upper layer, into {@link PacketHeaders#l4Status}: UDP needs 8 bytes ({@code UDP_TRUNCATED}) and a Length
 * of at least 8 within the IP payload ({@code UDP_BAD_LENGTH}, RFC 768); ICMP and ICMPv6 need 8 bytes
 * ({@code ICMP_TRUNCATED}). The UDP checksum is settled here only when that costs no sum: zero (none, over IPv4;
 * invalid, over IPv6), or the NIC's verdict when UDP Length is the whole IP payload (a NIC may sum the whole payload,
 * as DPDK's {@code rte_ipv4_udptcp_cksum_verify} in net_tap does, which differs from RFC 768's sum when octets follow
 * the datagram; such a datagram is flagged {@code UDP_FILLS_PAYLOAD}). The rest is summed on demand
 * ({@link PacketHeaders#l4ChecksumValid}).
 *
 * <p>The common case, well-formed UDP over untagged IPv4 without options, is told by {@link #plainIpv4Udp} from five
 * loads and one branch, and writes the packet's two words ({@link PacketHeaders}) once each; anything else is walked
 * field by field ({@link #parseByField}), which leaves the same words for what the shortcut accepts. The methods are
 * kept small enough for the JIT to inline the shortcut, and the walk's untagged-IPv4-and-UDP path, into the caller's
 * loop over the burst; VLAN tags, IPv6 and other protocols take out-of-line calls.
 */
public final class HeaderParser {

    private static final long ETHERNET_TRUNCATED = status(DataplaneDrop.ETHERNET_TRUNCATED);
    private static final long ARP_MALFORMED = status(DataplaneDrop.ARP_MALFORMED);
    private static final long IPV4_TRUNCATED = status(DataplaneDrop.IPV4_TRUNCATED);
    private static final long IPV4_BAD_VERSION = status(DataplaneDrop.IPV4_BAD_VERSION);
    private static final long IPV4_BAD_IHL = status(DataplaneDrop.IPV4_BAD_IHL);
    private static final long IPV4_BAD_TOTAL_LENGTH = status(DataplaneDrop.IPV4_BAD_TOTAL_LENGTH);
    private static final long IPV4_BAD_CHECKSUM = status(DataplaneDrop.IPV4_BAD_CHECKSUM);
    private static final long IPV4_FRAGMENT = status(DataplaneDrop.IPV4_FRAGMENT);
    private static final long IPV6_TRUNCATED = status(DataplaneDrop.IPV6_TRUNCATED);
    private static final long IPV6_BAD_VERSION = status(DataplaneDrop.IPV6_BAD_VERSION);
    private static final long IPV6_BAD_PAYLOAD_LENGTH = status(DataplaneDrop.IPV6_BAD_PAYLOAD_LENGTH);
    private static final long IPV6_BAD_EXTENSION = status(DataplaneDrop.IPV6_BAD_EXTENSION);
    private static final long IPV6_FRAGMENT = status(DataplaneDrop.IPV6_FRAGMENT);
    private static final long UDP_TRUNCATED = PacketHeaders.l4StatusBits(DropReasons.code(DataplaneDrop.UDP_TRUNCATED));
    private static final long UDP_BAD_LENGTH = PacketHeaders.l4StatusBits(DropReasons.code(DataplaneDrop.UDP_BAD_LENGTH));
    private static final long ICMP_TRUNCATED = PacketHeaders.l4StatusBits(DropReasons.code(DataplaneDrop.ICMP_TRUNCATED));

    private static final long IPV4 = flag(PacketHeaders.IPV4);
    private static final long IPV6 = flag(PacketHeaders.IPV6);
    private static final long IP_OPTIONS = flag(PacketHeaders.IP_OPTIONS);
    private static final long UDP_FILLS_PAYLOAD = flag(PacketHeaders.UDP_FILLS_PAYLOAD);
    private static final long FRAGMENT = flag(PacketHeaders.FRAGMENT);
    private static final long VLAN = flag(PacketHeaders.VLAN);
    private static final long IP_CHECKSUM_BY_NIC = flag(PacketHeaders.IP_CHECKSUM_BY_NIC);
    private static final long UPPER_LAYER = flag(PacketHeaders.UPPER_LAYER);
    private static final long PORTS = flag(PacketHeaders.PORTS);
    /** A zero UDP checksum over IPv4: none sent, accepted. */
    private static final long L4_NO_CHECKSUM = flag(PacketHeaders.L4_CHECKSUM_CHECKED | PacketHeaders.L4_CHECKSUM_GOOD);
    /** A zero UDP checksum over IPv6: invalid. */
    private static final long L4_ZERO_CHECKSUM_IPV6 = flag(PacketHeaders.L4_CHECKSUM_CHECKED);
    private static final long L4_NIC_GOOD = flag(PacketHeaders.L4_CHECKSUM_CHECKED | PacketHeaders.L4_CHECKSUM_GOOD
            | PacketHeaders.L4_CHECKSUM_BY_NIC);
    private static final long L4_NIC_BAD = flag(PacketHeaders.L4_CHECKSUM_CHECKED | PacketHeaders.L4_CHECKSUM_BY_NIC);
    /** The packet word's EtherType and l3Offset of an untagged IPv4 frame. */
    private static final long UNTAGGED_IPV4 = EthernetHeader.TYPE_IPV4
            | (long) EthernetHeader.HEADER_LENGTH << PacketHeaders.L3_OFFSET_SHIFT;

    /** The shortest frame {@link #plainIpv4Udp} reads: Ethernet, IPv4 without options and UDP headers. */
    private static final int PLAIN_IPV4_UDP_LENGTH = EthernetHeader.HEADER_LENGTH + Ipv4Header.MIN_HEADER_LENGTH
            + UdpHeader.HEADER_LENGTH;
    /** Version 4, IHL 5: the first byte of an IPv4 header without options. */
    private static final int IPV4_NO_OPTIONS = 0x45;
    /** The packet word of well-formed UDP over untagged IPv4 without options, before the checksum bits. */
    private static final long PLAIN_IPV4_UDP_WORD = UNTAGGED_IPV4 | IPV4 | UPPER_LAYER | PORTS
            | (long) Ipv4Header.PROTOCOL_UDP << PacketHeaders.PROTOCOL_SHIFT;
    /** The upper-layer word's l4Offset for untagged IPv4 without options. */
    private static final long PLAIN_IPV4_L4_OFFSET = (long) (EthernetHeader.HEADER_LENGTH + Ipv4Header.MIN_HEADER_LENGTH)
            << PacketHeaders.L4_OFFSET_SHIFT;
    /** RFC 791 §3.1: More Fragments and the fragment offset, in the flags/fragment-offset word. */
    private static final int MF_AND_OFFSET = Ipv4Header.FLAG_MF | 0x1FFF;
    /** ICMP (RFC 792) and ICMPv6 (RFC 4443 §2.1): type, code, checksum and one 32-bit word. */
    private static final int ICMP_MIN_LENGTH = 8;
    /** TCP's fixed header (RFC 9293 §3.1): below this no ports are reported. */
    private static final int TCP_MIN_LENGTH = 20;

    private static final long IP_CKSUM_MASK = RxOffloads.MBUF_IP_CKSUM_MASK;
    private static final long IP_CKSUM_GOOD = RxOffloads.MBUF_IP_CKSUM_GOOD;
    private static final long IP_CKSUM_BAD = RxOffloads.MBUF_IP_CKSUM_BAD;
    private static final long L4_CKSUM_MASK = RxOffloads.MBUF_L4_CKSUM_MASK;
    private static final long L4_CKSUM_GOOD = RxOffloads.MBUF_L4_CKSUM_GOOD;
    private static final long L4_CKSUM_BAD = RxOffloads.MBUF_L4_CKSUM_BAD;
    /** ol_flags for a port that gives no verdicts: both statuses UNKNOWN, so everything is summed. */
    public static final long NO_VERDICTS = RxOffloads.MBUF_IP_CKSUM_UNKNOWN | RxOffloads.MBUF_L4_CKSUM_UNKNOWN;

    private HeaderParser() {
    }

    private static long status(DataplaneDrop drop) {
        return PacketHeaders.statusBits(DropReasons.code(drop));
    }

    private static long flag(int flags) {
        return (long) flags << PacketHeaders.FLAGS_SHIFT;
    }

    /**
     * Parses the frame at {@code frame} ({@code length} bytes) into slot {@code i} of {@code into}.
     *
     * @param olFlags the mbuf's ol_flags when its port was configured with RX checksum offload (so its checksum
     *                statuses are the NIC's verdicts), else {@link #NO_VERDICTS}
     */
    public static void parse(long frame, int length, long olFlags, PacketHeaders into, int i) {
        if (length < PLAIN_IPV4_UDP_LENGTH || !plainIpv4Udp(frame, length, olFlags, into, i)) {
            parseByField(frame, length, olFlags, into, i);
        }
    }

    /**
     * {@link #parse} without its common-case shortcut: every header checked field by field. The shortcut must leave
     * exactly what this leaves ({@code HeaderParserDifferentialTest} compares the two word for word).
     */
    static void parseByField(long frame, int length, long olFlags, PacketHeaders into, int i) {
        into.packet[i] = length >= EthernetHeader.HEADER_LENGTH
                && PacketMemory.u16(frame + EthernetHeader.TYPE_OFFSET) == EthernetHeader.TYPE_IPV4
                ? ipv4(frame, EthernetHeader.HEADER_LENGTH, length - EthernetHeader.HEADER_LENGTH, olFlags,
                        UNTAGGED_IPV4, into.upper, i)
                : notUntaggedIpv4(frame, length, olFlags, into.upper, i);
    }

    /**
     * The common case — well-formed UDP in untagged IPv4 without options and not a fragment — told from five loads
     * and one branch, where the field-by-field walk ({@link #ipv4}, {@link #upperLayer}) costs a branch per check and
     * an out-of-line call. It accepts exactly the packets that walk would find VALID at both layers
     * as UDP over untagged IPv4 without options, and writes the same two words; any other packet (including every
     * malformed one, whose reason the walk finds) returns false and is parsed field by field.
     *
     * @param length at least {@link #PLAIN_IPV4_UDP_LENGTH}, so every load is inside the frame
     */
    private static boolean plainIpv4Udp(long frame, int length, long olFlags, PacketHeaders into, int i) {
        final long ip = frame + EthernetHeader.HEADER_LENGTH;
        // RFC 791 §3.1: bytes 0-7 (version/IHL, TOS, Total Length, Identification, flags/fragment offset), 8-15 (TTL,
        // protocol, header checksum, source), 16-19 (destination); RFC 768: the UDP header.
        final long w0 = PacketMemory.i64(ip);
        final long w1 = PacketMemory.i64(ip + Ipv4Header.TTL_OFFSET);
        final int destination = PacketMemory.i32(ip + Ipv4Header.DESTINATION_OFFSET);
        final long u = PacketMemory.i64(ip + Ipv4Header.MIN_HEADER_LENGTH);
        final int totalLength = (int) (w0 >>> 32) & 0xFFFF;
        final int l4Length = totalLength - Ipv4Header.MIN_HEADER_LENGTH;
        final int udpLength = (int) (u >>> 16) & 0xFFFF;
        final long ipVerdict = olFlags & IP_CKSUM_MASK;
        // Zero when the header sums right (RFC 1071 §2(C): the 32-bit words' sum folds as the 16-bit words' would),
        // or the NIC says so.
        final int headerSum = ipVerdict == IP_CKSUM_GOOD ? 0 : ipVerdict == IP_CKSUM_BAD ? 1
                : InternetChecksum.fold((w0 >>> 32) + (w0 & 0xFFFF_FFFFL) + (w1 >>> 32) + (w1 & 0xFFFF_FFFFL)
                        + (destination & 0xFFFF_FFFFL)) ^ 0xFFFF;
        // Zero for every field as it must be; then, negative for a length out of its bounds. Computed without a
        // branch, so that the one below decides (and the method stays small enough to inline).
        final int mismatch = (PacketMemory.u16(frame + EthernetHeader.TYPE_OFFSET) ^ EthernetHeader.TYPE_IPV4)
                | ((int) (w0 >>> 56) ^ IPV4_NO_OPTIONS) | ((int) w0 & MF_AND_OFFSET)
                | (((int) (w1 >>> 48) & 0xFF) ^ Ipv4Header.PROTOCOL_UDP) | headerSum;
        final int outOfBounds = (length - EthernetHeader.HEADER_LENGTH - totalLength)
                | (udpLength - UdpHeader.HEADER_LENGTH) | (l4Length - udpLength);
        if ((mismatch | (outOfBounds >>> 31)) != 0) {
            return false;
        }
        into.upper[i] = PLAIN_IPV4_L4_OFFSET | (long) l4Length << PacketHeaders.L4_LENGTH_SHIFT | u >>> 32;
        into.packet[i] = PLAIN_IPV4_UDP_WORD | (ipVerdict == IP_CKSUM_GOOD ? IP_CHECKSUM_BY_NIC : 0)
                | udpBits(u, udpLength, l4Length, olFlags, L4_NO_CHECKSUM);
        return true;
    }

    /** Frames too short for an EtherType, tagged frames, and the other EtherTypes. */
    private static long notUntaggedIpv4(long frame, int length, long olFlags, long[] upper, int i) {
        if (length < EthernetHeader.HEADER_LENGTH) {
            return ETHERNET_TRUNCATED; // EtherType and l3Offset 0
        }
        int offset = EthernetHeader.TYPE_OFFSET;
        int type = PacketMemory.u16(frame + offset);
        int tags = 0;
        while ((type == EthernetHeader.TYPE_VLAN || type == EthernetHeader.TYPE_QINQ)
                && tags < EthernetHeader.MAX_VLAN_TAGS) {
            offset += EthernetHeader.VLAN_TAG_LENGTH;
            if (offset + 2 > length) {
                return ETHERNET_TRUNCATED;
            }
            type = PacketMemory.u16(frame + offset);
            tags++;
        }
        final int l3 = offset + 2;
        final long base = type | (long) l3 << PacketHeaders.L3_OFFSET_SHIFT | (tags > 0 ? VLAN : 0);
        return switch (type) {
            case EthernetHeader.TYPE_IPV4 -> ipv4(frame, l3, length - l3, olFlags, base, upper, i);
            case EthernetHeader.TYPE_IPV6 -> ipv6(frame, l3, length - l3, olFlags, base, upper, i);
            case EthernetHeader.TYPE_ARP -> ArpPacket.malformed(frame + l3, length - l3) ? base | ARP_MALFORMED : base;
            default -> base; // another EtherType: a stage's to judge
        };
    }

    /**
     * @param base the packet word so far (EtherType, l3Offset, VLAN)
     * @return the packet word
     */
    private static long ipv4(long frame, int l3, int l3Length, long olFlags, long base, long[] upper, int i) {
        if (l3Length < Ipv4Header.MIN_HEADER_LENGTH) {
            return base | IPV4_TRUNCATED;
        }
        final long ip = frame + l3;
        // Bytes 0-7: version/IHL, TOS, Total Length, Identification, flags/fragment offset (RFC 791 §3.1).
        final long w0 = PacketMemory.i64(ip);
        final int versionIhl = (int) (w0 >>> 56);
        if ((versionIhl >>> 4) != 4) {
            return base | IPV4_BAD_VERSION;
        }
        final int headerLength = (versionIhl & 0x0F) << 2;
        if (headerLength < Ipv4Header.MIN_HEADER_LENGTH || headerLength > l3Length) {
            return base | IPV4_BAD_IHL;
        }
        final int totalLength = (int) (w0 >>> 32) & 0xFFFF;
        if (totalLength < headerLength || totalLength > l3Length) {
            return base | IPV4_BAD_TOTAL_LENGTH;
        }
        // Bytes 8-15: TTL, protocol, header checksum, source; bytes 16-19: destination.
        final long w1 = PacketMemory.i64(ip + Ipv4Header.TTL_OFFSET);
        final long ipVerdict = olFlags & IP_CKSUM_MASK;
        long word = base | IPV4;
        if (ipVerdict == IP_CKSUM_GOOD) {
            word |= IP_CHECKSUM_BY_NIC;
        } else if (ipVerdict == IP_CKSUM_BAD || !headerSumsRight(ip, headerLength, w0, w1)) {
            return base | IPV4_BAD_CHECKSUM;
        }
        if (((int) w0 & MF_AND_OFFSET) != 0) {
            return word | FRAGMENT | IPV4_FRAGMENT;
        }
        if (headerLength != Ipv4Header.MIN_HEADER_LENGTH) {
            word |= IP_OPTIONS;
        }
        return upperLayer(frame, (int) (w1 >>> 48) & 0xFF, l3 + headerLength, totalLength - headerLength, false,
                olFlags, word, upper, i);
    }

    /**
     * The IPv4 header checksum (RFC 791 §3.1). The sum of the 32-bit words folds as that of the 16-bit ones
     * (RFC 1071 §2(C)): without options from the two words already loaded and the destination; with options the
     * header is summed from memory.
     */
    private static boolean headerSumsRight(long ip, int headerLength, long w0, long w1) {
        final long headerSum = headerLength == Ipv4Header.MIN_HEADER_LENGTH
                ? (w0 >>> 32) + (w0 & 0xFFFF_FFFFL) + (w1 >>> 32) + (w1 & 0xFFFF_FFFFL)
                        + (PacketMemory.i32(ip + Ipv4Header.DESTINATION_OFFSET) & 0xFFFF_FFFFL)
                : InternetChecksum.sum(ip, headerLength, 0);
        return InternetChecksum.verifies(headerSum);
    }

    private static long ipv6(long frame, int l3, int l3Length, long olFlags, long base, long[] upper, int i) {
        if (l3Length < Ipv6Header.HEADER_LENGTH) {
            return base | IPV6_TRUNCATED;
        }
        final long ip = frame + l3;
        // Bytes 0-7: version, traffic class, flow label, Payload Length, Next Header, Hop Limit (RFC 8200 §3).
        final long w0 = PacketMemory.i64(ip);
        if ((w0 >>> 60) != 6) {
            return base | IPV6_BAD_VERSION;
        }
        final int end = Ipv6Header.HEADER_LENGTH + ((int) (w0 >>> 16) & 0xFFFF);
        if (end > l3Length) {
            return base | IPV6_BAD_PAYLOAD_LENGTH;
        }
        int next = (int) (w0 >>> 8) & 0xFF;
        int offset = Ipv6Header.HEADER_LENGTH;
        for (int walked = 0; ; walked++) {
            final int extensionLength;
            switch (next) {
                case Ipv6Header.NEXT_HOP_BY_HOP, Ipv6Header.NEXT_ROUTING, Ipv6Header.NEXT_DESTINATION_OPTIONS -> {
                    // RFC 8200 §4.3: a Hop-by-Hop header may only follow the IPv6 header itself.
                    if (offset + 2 > end || next == Ipv6Header.NEXT_HOP_BY_HOP && offset != Ipv6Header.HEADER_LENGTH) {
                        return base | IPV6_BAD_EXTENSION;
                    }
                    extensionLength = (PacketMemory.u8(ip + offset + 1) + 1) << 3;
                }
                case Ipv6Header.NEXT_AH -> {
                    if (offset + 2 > end) {
                        return base | IPV6_BAD_EXTENSION;
                    }
                    extensionLength = (PacketMemory.u8(ip + offset + 1) + 2) << 2;
                }
                case Ipv6Header.NEXT_FRAGMENT -> {
                    if (offset + 8 > end) {
                        return base | IPV6_BAD_EXTENSION;
                    }
                    // Fragment Offset and M; an atomic fragment (both zero, RFC 6946) is a whole packet.
                    if ((PacketMemory.u16(ip + offset + 2) & 0xFFF9) != 0) {
                        return base | IPV6 | FRAGMENT | IPV6_FRAGMENT;
                    }
                    extensionLength = 8;
                }
                default -> {
                    return upperLayer(frame, next, l3 + offset, end - offset, true, olFlags,
                            base | IPV6 | (offset != Ipv6Header.HEADER_LENGTH ? IP_OPTIONS : 0), upper, i);
                }
            }
            if (walked >= Ipv6Header.MAX_EXTENSION_HEADERS || offset + extensionLength > end) {
                return base | IPV6_BAD_EXTENSION;
            }
            next = PacketMemory.u8(ip + offset);
            offset += extensionLength;
        }
    }

    /**
     * The upper layer of a well-formed IP packet: writes the upper-layer word and returns the packet word. UDP in
     * line (the common case); the rest out of line.
     *
     * @param word the packet word so far
     */
    private static long upperLayer(long frame, int protocol, int l4, int l4Length, boolean ipv6, long olFlags,
                                   long word, long[] upper, int i) {
        final long found = word | UPPER_LAYER | (long) protocol << PacketHeaders.PROTOCOL_SHIFT;
        final long at = (long) l4 << PacketHeaders.L4_OFFSET_SHIFT | (long) l4Length << PacketHeaders.L4_LENGTH_SHIFT;
        if (protocol != Ipv4Header.PROTOCOL_UDP) {
            upper[i] = at;
            return found | notUdp(frame, protocol, l4, l4Length, ipv6, olFlags, at, upper, i);
        }
        if (l4Length < UdpHeader.HEADER_LENGTH) {
            upper[i] = at;
            return found | UDP_TRUNCATED;
        }
        // RFC 768: source port, destination port, Length, checksum.
        final long u = PacketMemory.i64(frame + l4);
        final int udpLength = (int) (u >>> 16) & 0xFFFF;
        if (udpLength < UdpHeader.HEADER_LENGTH || udpLength > l4Length) {
            upper[i] = at;
            return found | UDP_BAD_LENGTH;
        }
        upper[i] = at | u >>> 32;
        // No checksum sent (RFC 768) is accepted over IPv4 whatever the NIC says (net_tap reports NONE, a NIC summing
        // the field as it stands BAD); over IPv6 it is invalid (RFC 8200 §8.1).
        return found | PORTS | udpBits(u, udpLength, l4Length, olFlags, ipv6 ? L4_ZERO_CHECKSUM_IPV6 : L4_NO_CHECKSUM);
    }

    /**
     * The packet word's bits of a well-formed UDP header: {@code UDP_FILLS_PAYLOAD} when its Length is the whole IP
     * payload, and the checksum settled when that costs no sum — {@code zeroChecksum} for a zero checksum, else the
     * NIC's verdict when the datagram fills the payload (the NIC sums the whole payload, so only then is its verdict
     * the datagram's).
     *
     * @param u the UDP header as one big-endian word (the checksum in its low 16 bits)
     */
    private static long udpBits(long u, int udpLength, int l4Length, long olFlags, long zeroChecksum) {
        if (udpLength != l4Length) {
            return (u & 0xFFFF) == 0 ? zeroChecksum : 0;
        }
        return UDP_FILLS_PAYLOAD | ((u & 0xFFFF) == 0 ? zeroChecksum : nicL4Verdict(olFlags));
    }

    /** TCP, ICMP, ICMPv6 and the rest: the packet word's bits to add; TCP's ports go into the upper-layer word. */
    private static long notUdp(long frame, int protocol, int l4, int l4Length, boolean ipv6, long olFlags, long at,
                               long[] upper, int i) {
        switch (protocol) {
            case Ipv4Header.PROTOCOL_TCP -> {
                if (l4Length >= TCP_MIN_LENGTH) {
                    upper[i] = at | PacketMemory.i32(frame + l4) & 0xFFFF_FFFFL;
                    return PORTS | nicL4Verdict(olFlags);
                }
                return 0;
            }
            case Ipv4Header.PROTOCOL_ICMP -> {
                return !ipv6 && l4Length < ICMP_MIN_LENGTH ? ICMP_TRUNCATED : 0;
            }
            case Ipv6Header.NEXT_ICMPV6 -> {
                return ipv6 && l4Length < ICMP_MIN_LENGTH ? ICMP_TRUNCATED : 0;
            }
            default -> {
                return 0; // another protocol: a stage's (or the kernel's) to judge
            }
        }
    }

    /** The checksum bits of the NIC's L4 verdict: settled GOOD or BAD, or nothing (UNKNOWN, NONE). */
    private static long nicL4Verdict(long olFlags) {
        final long verdict = olFlags & L4_CKSUM_MASK;
        return verdict == L4_CKSUM_GOOD ? L4_NIC_GOOD : verdict == L4_CKSUM_BAD ? L4_NIC_BAD : 0;
    }
}
