"""The reference for HeaderParserDifferentialTest: judges each frame of a cases file ("NUMBER HEX" a line) with
scapy's dissectors (Dot1Q/Dot1AD tags, IP, IPv6 and its extension headers, ARP, UDP, TCP) and checksum routines
(scapy.utils.checksum, in4_chksum, in6_chksum), by the rules of RFC 791/768/8200/826 the data plane applies, and
prints one verdict line per frame in HeaderParserDifferentialTest's format. A cases line is "NUMBER HEX"."""
import sys

from scapy.all import ARP, Dot1Q, IP, IPv6, TCP, UDP
from scapy.layers.inet import in4_chksum
from scapy.layers.inet6 import (IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, IPv6ExtHdrRouting,
                                in6_chksum)
from scapy.layers.ipsec import AH
from scapy.utils import checksum

EXTENSIONS = {0: IPv6ExtHdrHopByHop, 43: IPv6ExtHdrRouting, 60: IPv6ExtHdrDestOpt}


def upper(b, v6, ip, proto, l4, l4len, options):
    """The upper-layer part of a verdict line."""
    seg = b[l4:l4 + l4len]
    status, ports, good = "VALID", "-", None
    if proto == 17:
        if l4len < 8:
            return "UDP_TRUNCATED -"
        u = UDP(seg)
        if u.len < 8 or u.len > l4len:
            return "UDP_BAD_LENGTH -"
        ports = "%d/%d" % (u.sport, u.dport)
        data = seg[:u.len]
        if u.chksum == 0:
            good = not v6  # RFC 768: none over IPv4; RFC 8200 section 8.1: invalid over IPv6
        else:
            if not v6:
                # RFC 768's pseudo-header carries the UDP Length (as Linux's udp4_csum_init); scapy's in4_chksum
                # takes the IP payload length from Total Length, so Total Length is made to match the datagram.
                ip = ip.copy()
                ip.len = 20 + u.len
            good = (in6_chksum(17, ip, data) if v6 else in4_chksum(17, ip, data)) == 0
    elif proto == 6:
        if l4len >= 20:
            t = TCP(seg)
            ports = "%d/%d" % (t.sport, t.dport)
            good = (in6_chksum(6, ip, seg) if v6 else in4_chksum(6, ip, seg)) == 0
    elif proto == 1 and not v6 or proto == 58 and v6:
        if l4len < 8:
            return "ICMP_TRUNCATED -"
        good = (in6_chksum(58, ip, seg) if v6 else checksum(seg)) == 0
    if options or good is None:
        return "%s %s cksum=-" % (status, ports)
    return "%s %s cksum=%s" % (status, ports, "good" if good else "bad")


def judge(b):
    if len(b) < 14:
        return "ETHERNET_TRUNCATED"
    # The type/length field as it stands (scapy's Ether would turn a value up to 1500 into an 802.3 length).
    etype, l3, tags = int.from_bytes(b[12:14], "big"), 14, 0
    while etype in (0x8100, 0x88A8) and tags < 2:
        if l3 + 4 > len(b):
            return "ETHERNET_TRUNCATED"
        # The tag's TCI and the type after it, as an 802.1Q tag (802.1ad's S-tag has the same layout).
        etype, l3, tags = Dot1Q(b[l3:l3 + 4]).type, l3 + 4, tags + 1
    d = b[l3:]
    head = "VALID et=%04x l3=%d" % (etype, l3)
    vlan = "vlan" if tags else ""
    if etype == 0x0806:
        a = ARP(d) if len(d) >= 28 else None
        if a is None or a.hwtype != 1 or a.ptype != 0x0800 or a.hwlen != 6 or a.plen != 4:
            return "ARP_MALFORMED"
        return head
    if etype == 0x0800:
        if len(d) < 20:
            return "IPV4_TRUNCATED"
        if d[0] >> 4 != 4:
            return "IPV4_BAD_VERSION"
        hl = (d[0] & 15) * 4
        if hl < 20 or hl > len(d):
            return "IPV4_BAD_IHL"
        ip = IP(d[:hl])
        if ip.len < hl or ip.len > len(d):
            return "IPV4_BAD_TOTAL_LENGTH"
        if checksum(d[:hl]) != 0:
            return "IPV4_BAD_CHECKSUM"
        if ip.flags.MF or ip.frag:
            return "IPV4_FRAGMENT"
        options = hl > 20
        flags = ",".join(f for f in ("v4", "opt" if options else "", vlan) if f)
        return "%s proto=%d l4=%d l4len=%d flags=%s %s" % (head, ip.proto, l3 + hl, ip.len - hl, flags,
                                                            upper(b, False, IP(d[:20]), ip.proto, l3 + hl,
                                                                  ip.len - hl, options))
    if etype == 0x86DD:
        if len(d) < 40:
            return "IPV6_TRUNCATED"
        if d[0] >> 4 != 6:
            return "IPV6_BAD_VERSION"
        ip6 = IPv6(d[:40])
        end = 40 + ip6.plen
        if end > len(d):
            return "IPV6_BAD_PAYLOAD_LENGTH"
        nh, off, walked = ip6.nh, 40, 0
        while nh in EXTENSIONS or nh in (44, 51):
            need = 8 if nh == 44 else 2
            if off + need > end or nh == 0 and off != 40:
                return "IPV6_BAD_EXTENSION"
            if nh == 44:
                frag = IPv6ExtHdrFragment(d[off:off + 8])
                if frag.offset or frag.m:  # the two reserved bits do not make a fragment
                    return "IPV6_FRAGMENT"
                length = 8
            elif nh == 51:
                length = (AH(d[off:off + 12] + b"\x00" * 12).payloadlen + 2) * 4
            else:
                length = (d[off + 1] + 1) * 8  # Hdr Ext Len, RFC 8200 section 4.3
            if walked >= 8 or off + length > end:
                return "IPV6_BAD_EXTENSION"
            nh, off, walked = d[off], off + length, walked + 1
        options = off != 40
        flags = ",".join(f for f in ("v6", "opt" if options else "", vlan) if f)
        return "%s proto=%d l4=%d l4len=%d flags=%s %s" % (head, nh, l3 + off, end - off, flags,
                                                            upper(b, True, ip6, nh, l3 + off, end - off, options))
    return head


for line in open(sys.argv[1]):
    fields = line.split()  # "<case number> <hex frame>"; an empty frame has no second field
    if fields:
        print(judge(bytes.fromhex(fields[1] if len(fields) > 1 else "")))
