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
 * the datagram). The rest is summed on demand ({@link PacketHeaders#l4ChecksumValid}).
 *
 * <p>The common case, untagged IPv4 without options, reads the IPv4 header in three loads and the UDP header in one.
 */
public final class HeaderParser {

    private static final int ETHERNET_TRUNCATED = DropReasons.code(DataplaneDrop.ETHERNET_TRUNCATED);
    private static final int ARP_MALFORMED = DropReasons.code(DataplaneDrop.ARP_MALFORMED);
    private static final int IPV4_TRUNCATED = DropReasons.code(DataplaneDrop.IPV4_TRUNCATED);
    private static final int IPV4_BAD_VERSION = DropReasons.code(DataplaneDrop.IPV4_BAD_VERSION);
    private static final int IPV4_BAD_IHL = DropReasons.code(DataplaneDrop.IPV4_BAD_IHL);
    private static final int IPV4_BAD_TOTAL_LENGTH = DropReasons.code(DataplaneDrop.IPV4_BAD_TOTAL_LENGTH);
    private static final int IPV4_BAD_CHECKSUM = DropReasons.code(DataplaneDrop.IPV4_BAD_CHECKSUM);
    private static final int IPV4_FRAGMENT = DropReasons.code(DataplaneDrop.IPV4_FRAGMENT);
    private static final int IPV6_TRUNCATED = DropReasons.code(DataplaneDrop.IPV6_TRUNCATED);
    private static final int IPV6_BAD_VERSION = DropReasons.code(DataplaneDrop.IPV6_BAD_VERSION);
    private static final int IPV6_BAD_PAYLOAD_LENGTH = DropReasons.code(DataplaneDrop.IPV6_BAD_PAYLOAD_LENGTH);
    private static final int IPV6_BAD_EXTENSION = DropReasons.code(DataplaneDrop.IPV6_BAD_EXTENSION);
    private static final int IPV6_FRAGMENT = DropReasons.code(DataplaneDrop.IPV6_FRAGMENT);
    private static final int UDP_TRUNCATED = DropReasons.code(DataplaneDrop.UDP_TRUNCATED);
    private static final int UDP_BAD_LENGTH = DropReasons.code(DataplaneDrop.UDP_BAD_LENGTH);
    private static final int ICMP_TRUNCATED = DropReasons.code(DataplaneDrop.ICMP_TRUNCATED);
    private static final int VALID = DropReasons.VALID;

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

    /**
     * Parses the frame at {@code frame} ({@code length} bytes) into slot {@code i} of {@code into}.
     *
     * @param olFlags the mbuf's ol_flags when its port was configured with RX checksum offload (so its checksum
     *                statuses are the NIC's verdicts), else {@link #NO_VERDICTS}
     */
    public static void parse(long frame, int length, long olFlags, PacketHeaders into, int i) {
        // What every path leaves as it is; l4Offset and l4Length are written with a protocol, and mean nothing
        // without one.
        into.status[i] = VALID;
        into.protocol[i] = -1;
        into.l4Status[i] = VALID;
        into.ports[i] = -1;
        into.flags[i] = 0;
        if (length < EthernetHeader.HEADER_LENGTH) {
            into.status[i] = ETHERNET_TRUNCATED;
            into.etherType[i] = 0;
            into.l3Offset[i] = 0;
            return;
        }
        int offset = EthernetHeader.TYPE_OFFSET;
        int type = PacketMemory.u16(frame + offset);
        if (type == EthernetHeader.TYPE_IPV4) {
            into.etherType[i] = type;
            into.l3Offset[i] = EthernetHeader.HEADER_LENGTH;
            ipv4(frame, EthernetHeader.HEADER_LENGTH, length - EthernetHeader.HEADER_LENGTH, olFlags, into, i);
            return;
        }
        int tags = 0;
        while ((type == EthernetHeader.TYPE_VLAN || type == EthernetHeader.TYPE_QINQ)
                && tags < EthernetHeader.MAX_VLAN_TAGS) {
            offset += EthernetHeader.VLAN_TAG_LENGTH;
            if (offset + 2 > length) {
                into.status[i] = ETHERNET_TRUNCATED;
                into.etherType[i] = 0;
                into.l3Offset[i] = 0;
                return;
            }
            type = PacketMemory.u16(frame + offset);
            tags++;
        }
        final int l3 = offset + 2;
        into.etherType[i] = type;
        into.l3Offset[i] = l3;
        if (tags > 0) {
            into.flags[i] = PacketHeaders.VLAN;
        }
        switch (type) {
            case EthernetHeader.TYPE_IPV4 -> ipv4(frame, l3, length - l3, olFlags, into, i);
            case EthernetHeader.TYPE_IPV6 -> ipv6(frame, l3, length - l3, olFlags, into, i);
            case EthernetHeader.TYPE_ARP -> {
                if (ArpPacket.malformed(frame + l3, length - l3)) {
                    into.status[i] = ARP_MALFORMED;
                }
            }
            default -> {
                // another EtherType: a stage's to judge
            }
        }
    }

    private static void ipv4(long frame, int l3, int l3Length, long olFlags, PacketHeaders into, int i) {
        if (l3Length < Ipv4Header.MIN_HEADER_LENGTH) {
            into.status[i] = IPV4_TRUNCATED;
            return;
        }
        final long ip = frame + l3;
        // Bytes 0-7: version/IHL, TOS, Total Length, Identification, flags/fragment offset (RFC 791 §3.1).
        final long w0 = PacketMemory.i64(ip);
        final int versionIhl = (int) (w0 >>> 56);
        if ((versionIhl >>> 4) != 4) {
            into.status[i] = IPV4_BAD_VERSION;
            return;
        }
        final int headerLength = (versionIhl & 0x0F) << 2;
        if (headerLength < Ipv4Header.MIN_HEADER_LENGTH || headerLength > l3Length) {
            into.status[i] = IPV4_BAD_IHL;
            return;
        }
        final int totalLength = (int) (w0 >>> 32) & 0xFFFF;
        if (totalLength < headerLength || totalLength > l3Length) {
            into.status[i] = IPV4_BAD_TOTAL_LENGTH;
            return;
        }
        // Bytes 8-15: TTL, protocol, header checksum, source; bytes 16-19: destination.
        final long w1 = PacketMemory.i64(ip + Ipv4Header.TTL_OFFSET);
        int flags = into.flags[i] | PacketHeaders.IPV4;
        final long ipVerdict = olFlags & IP_CKSUM_MASK;
        if (ipVerdict == IP_CKSUM_BAD) {
            into.status[i] = IPV4_BAD_CHECKSUM;
            return;
        }
        if (ipVerdict == IP_CKSUM_GOOD) {
            flags |= PacketHeaders.IP_CHECKSUM_BY_NIC;
        } else {
            // The sum of the 32-bit words folds as that of the 16-bit ones (RFC 1071 §2(C)); with options the
            // header is summed from memory.
            final long headerSum = headerLength == Ipv4Header.MIN_HEADER_LENGTH
                    ? (w0 >>> 32) + (w0 & 0xFFFF_FFFFL) + (w1 >>> 32) + (w1 & 0xFFFF_FFFFL)
                            + (PacketMemory.i32(ip + Ipv4Header.DESTINATION_OFFSET) & 0xFFFF_FFFFL)
                    : InternetChecksum.sum(ip, headerLength, 0);
            if (InternetChecksum.fold(headerSum) != 0xFFFF) {
                into.status[i] = IPV4_BAD_CHECKSUM;
                return;
            }
        }
        if (((int) w0 & MF_AND_OFFSET) != 0) {
            into.flags[i] = flags | PacketHeaders.FRAGMENT;
            into.status[i] = IPV4_FRAGMENT;
            return;
        }
        if (headerLength != Ipv4Header.MIN_HEADER_LENGTH) {
            flags |= PacketHeaders.IP_OPTIONS;
        }
        into.flags[i] = flags;
        upperLayer(frame, (int) (w1 >>> 48) & 0xFF, l3 + headerLength, totalLength - headerLength, false, olFlags,
                into, i);
    }

    private static void ipv6(long frame, int l3, int l3Length, long olFlags, PacketHeaders into, int i) {
        if (l3Length < Ipv6Header.HEADER_LENGTH) {
            into.status[i] = IPV6_TRUNCATED;
            return;
        }
        final long ip = frame + l3;
        // Bytes 0-7: version, traffic class, flow label, Payload Length, Next Header, Hop Limit (RFC 8200 §3).
        final long w0 = PacketMemory.i64(ip);
        if ((w0 >>> 60) != 6) {
            into.status[i] = IPV6_BAD_VERSION;
            return;
        }
        final int end = Ipv6Header.HEADER_LENGTH + ((int) (w0 >>> 16) & 0xFFFF);
        if (end > l3Length) {
            into.status[i] = IPV6_BAD_PAYLOAD_LENGTH;
            return;
        }
        int next = (int) (w0 >>> 8) & 0xFF;
        int offset = Ipv6Header.HEADER_LENGTH;
        for (int walked = 0; ; walked++) {
            final int extensionLength;
            switch (next) {
                case Ipv6Header.NEXT_HOP_BY_HOP, Ipv6Header.NEXT_ROUTING, Ipv6Header.NEXT_DESTINATION_OPTIONS -> {
                    // RFC 8200 §4.3: a Hop-by-Hop header may only follow the IPv6 header itself.
                    if (offset + 2 > end || next == Ipv6Header.NEXT_HOP_BY_HOP && offset != Ipv6Header.HEADER_LENGTH) {
                        into.status[i] = IPV6_BAD_EXTENSION;
                        return;
                    }
                    extensionLength = (PacketMemory.u8(ip + offset + 1) + 1) << 3;
                }
                case Ipv6Header.NEXT_AH -> {
                    if (offset + 2 > end) {
                        into.status[i] = IPV6_BAD_EXTENSION;
                        return;
                    }
                    extensionLength = (PacketMemory.u8(ip + offset + 1) + 2) << 2;
                }
                case Ipv6Header.NEXT_FRAGMENT -> {
                    if (offset + 8 > end) {
                        into.status[i] = IPV6_BAD_EXTENSION;
                        return;
                    }
                    // Fragment Offset and M; an atomic fragment (both zero, RFC 6946) is a whole packet.
                    if ((PacketMemory.u16(ip + offset + 2) & 0xFFF9) != 0) {
                        into.flags[i] |= PacketHeaders.IPV6 | PacketHeaders.FRAGMENT;
                        into.status[i] = IPV6_FRAGMENT;
                        return;
                    }
                    extensionLength = 8;
                }
                default -> {
                    into.flags[i] |= PacketHeaders.IPV6
                            | (offset != Ipv6Header.HEADER_LENGTH ? PacketHeaders.IP_OPTIONS : 0);
                    upperLayer(frame, next, l3 + offset, end - offset, true, olFlags, into, i);
                    return;
                }
            }
            if (walked >= Ipv6Header.MAX_EXTENSION_HEADERS || offset + extensionLength > end) {
                into.status[i] = IPV6_BAD_EXTENSION;
                return;
            }
            next = PacketMemory.u8(ip + offset);
            offset += extensionLength;
        }
    }

    private static void upperLayer(long frame, int protocol, int l4, int l4Length, boolean ipv6, long olFlags,
                                   PacketHeaders into, int i) {
        into.protocol[i] = protocol;
        into.l4Offset[i] = l4;
        into.l4Length[i] = l4Length;
        switch (protocol) {
            case Ipv4Header.PROTOCOL_UDP -> {
                if (l4Length < UdpHeader.HEADER_LENGTH) {
                    into.l4Status[i] = UDP_TRUNCATED;
                    return;
                }
                // RFC 768: source port, destination port, Length, checksum.
                final long u = PacketMemory.i64(frame + l4);
                final int udpLength = (int) (u >>> 16) & 0xFFFF;
                if (udpLength < UdpHeader.HEADER_LENGTH || udpLength > l4Length) {
                    into.l4Status[i] = UDP_BAD_LENGTH;
                    return;
                }
                into.ports[i] = (int) (u >>> 32);
                if ((u & 0xFFFF) == 0) {
                    // No checksum sent (RFC 768), accepted over IPv4 whatever the NIC says (net_tap reports NONE, a
                    // NIC summing the field as it stands BAD); over IPv6 invalid (RFC 8200 §8.1).
                    into.flags[i] |= PacketHeaders.L4_CHECKSUM_CHECKED | (ipv6 ? 0 : PacketHeaders.L4_CHECKSUM_GOOD);
                } else if (udpLength == l4Length) {
                    nicL4Verdict(olFlags, into, i);
                }
            }
            case Ipv4Header.PROTOCOL_TCP -> {
                if (l4Length >= TCP_MIN_LENGTH) {
                    into.ports[i] = PacketMemory.i32(frame + l4);
                    nicL4Verdict(olFlags, into, i);
                }
            }
            case Ipv4Header.PROTOCOL_ICMP -> {
                if (!ipv6 && l4Length < ICMP_MIN_LENGTH) {
                    into.l4Status[i] = ICMP_TRUNCATED;
                }
            }
            case Ipv6Header.NEXT_ICMPV6 -> {
                if (ipv6 && l4Length < ICMP_MIN_LENGTH) {
                    into.l4Status[i] = ICMP_TRUNCATED;
                }
            }
            default -> {
                // another protocol: a stage's (or the kernel's) to judge
            }
        }
    }

    private static void nicL4Verdict(long olFlags, PacketHeaders into, int i) {
        final long verdict = olFlags & L4_CKSUM_MASK;
        if (verdict == L4_CKSUM_GOOD) {
            into.flags[i] |= PacketHeaders.L4_CHECKSUM_CHECKED | PacketHeaders.L4_CHECKSUM_GOOD
                    | PacketHeaders.L4_CHECKSUM_BY_NIC;
        } else if (verdict == L4_CKSUM_BAD) {
            into.flags[i] |= PacketHeaders.L4_CHECKSUM_CHECKED | PacketHeaders.L4_CHECKSUM_BY_NIC;
        }
    }
}
