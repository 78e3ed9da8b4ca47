package dev.isthmus.perf.gen.profile;

import java.util.List;

/**
 * A generated packet: Ethernet, an optional 802.1Q tag, IPv4 or IPv6, UDP, then either a payload padding the frame
 * to {@code size}, DNS queries, or (VxLAN) an inner frame described the same way.
 *
 * @param srcMac, dstMac Ethernet addresses (48 bits)
 * @param vlan    802.1Q VLAN id, or -1 for none
 * @param ipv6    IPv6 rather than IPv4
 * @param src     source address range (IPv4: the address; IPv6: its low 64 bits)
 * @param dst     destination address range
 * @param srcHigh, dstHigh the high 64 bits of IPv6 addresses
 * @param srcPort UDP source port range
 * @param dstPort UDP destination port range
 * @param size    frame size on the wire with the FCS (a UDP or VxLAN-inner frame is padded to it)
 * @param queries the DNS query mix (empty: not DNS)
 * @param vni     the VxLAN network identifier when {@code inner} is set
 * @param inner   the encapsulated frame (RFC 7348), or null
 */
public record Template(long srcMac, long dstMac, int vlan, boolean ipv6, Range src, Range dst, long srcHigh,
        long dstHigh, Range srcPort, Range dstPort, int size, List<DnsQuery> queries, int vni, Template inner) {

    /** The UDP destination port of VxLAN (RFC 7348 §5). */
    public static final int VXLAN_PORT = 4789;

    public Template {
        queries = List.copyOf(queries);
    }

    public boolean isDns() {
        return !queries.isEmpty();
    }

    public boolean isVxlan() {
        return inner != null;
    }

    /** The frame that carries the payload: the inner one of a VxLAN template, else this. */
    public Template innermost() {
        return inner == null ? this : inner.innermost();
    }

    /** One DNS question of a mix, its weight, and what the answer must hold (-1: not checked). */
    public record DnsQuery(String name, int type, int weight, int rcode, int answers) {
    }
}
