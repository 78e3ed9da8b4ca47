"""Packets of an Isthmus traffic profile (perf/profiles/*.yml) built with plain scapy, byte for byte what
`./isthmus gen` sends: `build(stream, k)` is packet k of an incrementing stream. No TRex import here, so that the
Isthmus tests can check it against `./isthmus gen --dump-pcap` with Debian's python3-scapy; the TRex profiles
(isthmus_stl.py, dns_mix.py, vxlan.py) take their base packets and field ranges from it.

The rules mirror dev.isthmus.perf.gen.StreamPackets and ProfileLoader:
- frame size is on the wire with the FCS; the frame built is 4 bytes shorter; DNS and VxLAN sizes follow from the
  contents (at least 60 bytes);
- IPv4: no DSCP, ID 0, no DF, TTL 64; IPv6: hop limit 64; UDP checksums computed (RFC 768), except VxLAN's outer
  over IPv4, which is 0 (RFC 7348 section 5);
- ranges "A-B" give packet k the value A + k mod (B - A + 1), each field on its own;
- a generated non-DNS stream with room carries the 18-byte signature (magic "ISMG", stream id, sequence, send time,
  which is 0 in a dump) at the start of its UDP payload;
- a DNS stream writes ID = k mod 65536, no flags, one question of class IN, the question picked by a smooth
  weighted round robin over the mix.
"""
import ipaddress
import struct

import yaml
from scapy.all import DNS, DNSQR, IP, IPv6, UDP, Dot1Q, Ether, Raw

SIGNATURE_MAGIC = 0x49534D47
SIGNATURE_LENGTH = 18
VXLAN_PORT = 4789
TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "MX": 15, "TXT": 16, "AAAA": 28, "SRV": 33, "DS": 43,
         "DNSKEY": 48, "ANY": 255}
RCODES = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"]


class Range:
    """A field's values: first and span (IPv6: the low 64 bits vary, high is fixed)."""

    def __init__(self, first, span=1, high=0):
        self.first, self.span, self.high = first, span, high

    def at(self, k):
        return self.first + k % self.span

    @property
    def last(self):
        return self.first + self.span - 1


def _ipv4_range(text):
    ends = [e.strip() for e in str(text).split("-", 1)]
    a = int(ipaddress.IPv4Address(ends[0]))
    b = int(ipaddress.IPv4Address(ends[-1]))
    return Range(a, b - a + 1)


def _ipv6_range(text):
    ends = [e.strip() for e in str(text).split("-", 1)]
    a = int(ipaddress.IPv6Address(ends[0]))
    b = int(ipaddress.IPv6Address(ends[-1]))
    return Range(a & (2 ** 64 - 1), (b - a) + 1, a >> 64)


def _port_range(value, default):
    if value is None:
        return Range(default)
    ends = [int(e) for e in str(value).split("-", 1)]
    return Range(ends[0], ends[-1] - ends[0] + 1)


def _mac(value, default):
    return str(value) if value is not None else default


def _template(node, outer=True):
    t = {"src_mac": _mac((node.get("eth") or {}).get("src"), "02:00:00:00:00:01"),
         "dst_mac": _mac((node.get("eth") or {}).get("dst"), "02:00:00:00:00:02"),
         "vlan": node.get("vlan"), "ipv6": "ipv6" in node}
    ip = node["ipv6"] if t["ipv6"] else node["ipv4"]
    parse = _ipv6_range if t["ipv6"] else _ipv4_range
    t["src"], t["dst"] = parse(ip["src"]), parse(ip["dst"])
    vxlan = outer and "vxlan" in node
    t["queries"] = []
    for q in node.get("dns") or []:
        qtype = str(q.get("type", "A")).upper()
        qtype = TYPES[qtype] if qtype in TYPES else int(qtype[4:] if qtype.startswith("TYPE") else qtype)
        name = q["name"] if q["name"].endswith(".") else q["name"] + "."
        rcode = q.get("rcode")
        t["queries"].append({"name": name, "type": qtype, "weight": int(q.get("weight", 1)),
                             "rcode": RCODES.index(rcode.upper()) if rcode else -1, "answers": q.get("answers", -1)})
    udp = node.get("udp") or {}
    t["sport"] = _port_range(udp.get("src-port"), 49152 if vxlan else 1024)
    t["dport"] = _port_range(udp.get("dst-port"), VXLAN_PORT if vxlan else (53 if t["queries"] else 9))
    headers = 14 + (4 if t["vlan"] is not None else 0) + (40 if t["ipv6"] else 20) + 8
    t["size"] = int(node.get("size", max(64, headers + 4)))
    t["vni"] = int(node["vxlan"].get("vni", 1)) if vxlan else 0
    t["inner"] = _template(node["vxlan"]["inner"], outer=False) if vxlan else None
    return t


def load_profile(path):
    """The profile's streams, in file order (index = stream id), each a dict; pcap streams have 'pcap' set."""
    with open(path) as f:
        doc = yaml.safe_load(f)
    streams = []
    for port in doc["ports"]:
        for s in port.get("streams") or []:
            stream = {"id": len(streams), "name": s["name"], "port": port["name"], "rate": str(s["rate"]),
                      "count": int(s.get("count", 0)), "latency": bool(s.get("latency", False)),
                      "random": s.get("vary", "increment") == "random", "pcap": s.get("pcap")}
            if "packet" in s:
                stream["packet"] = _template(s["packet"])
            streams.append(stream)
    return streams


def innermost(t):
    return t if t["inner"] is None else innermost(t["inner"])


def weighted_order(queries):
    """Smooth weighted round robin (as nginx): each question `weight` times per cycle, spread out."""
    if len(queries) <= 1:
        return [0]
    total = sum(q["weight"] for q in queries)
    current = [0] * len(queries)
    order = []
    for _ in range(total):
        best = 0
        for i, q in enumerate(queries):
            current[i] += q["weight"]
            if current[i] > current[best]:
                best = i
        current[best] -= total
        order.append(best)
    return order


def _ip_layer(t, k):
    if t["ipv6"]:
        src = str(ipaddress.IPv6Address((t["src"].high << 64) | t["src"].at(k)))
        dst = str(ipaddress.IPv6Address((t["dst"].high << 64) | t["dst"].at(k)))
        return IPv6(src=src, dst=dst, hlim=64, tc=0, fl=0)
    return IP(src=str(ipaddress.IPv4Address(t["src"].at(k))), dst=str(ipaddress.IPv4Address(t["dst"].at(k))),
              id=0, flags=0, ttl=64, tos=0)


def _l2(t):
    eth = Ether(src=t["src_mac"], dst=t["dst_mac"])
    return eth / Dot1Q(vlan=t["vlan"], prio=0, id=0) if t["vlan"] is not None else eth


def _frame(t, k, stream_id, signature, query, zero_udp_checksum=False):
    """Packet k of template t as bytes (without FCS)."""
    if t["inner"] is not None:
        inner = _frame(t["inner"], k, stream_id, signature, query)
        # RFC 7348 section 5: flags (I bit), 24 reserved bits, the VNI, 8 reserved bits.
        body = struct.pack("!B3xI", 0x08, t["vni"] << 8) + inner
    elif query is not None:
        body = bytes(DNS(id=k & 0xFFFF, qr=0, opcode=0, rd=0, qd=DNSQR(qname=query["name"], qtype=query["type"],
                                                                         qclass=1)))
    else:
        headers = 14 + (4 if t["vlan"] is not None else 0) + (40 if t["ipv6"] else 20) + 8
        room = t["size"] - 4 - headers
        sig = struct.pack("!IHIQ", SIGNATURE_MAGIC, stream_id, k & 0xFFFFFFFF, 0) if signature else b""
        body = sig + bytes(room - len(sig))
    udp = UDP(sport=t["sport"].at(k), dport=t["dport"].at(k))
    if zero_udp_checksum:
        udp.chksum = 0
    frame = bytes(_l2(t) / _ip_layer(t, k) / udp / Raw(body))
    return frame + bytes(max(0, 60 - len(frame)))


def has_signature(stream):
    t = stream["packet"]
    inner = innermost(t)
    if inner["queries"]:
        return False
    return len(_frame(t, 0, stream["id"], False, None, zero_udp_checksum=t["inner"] is not None and not t["ipv6"])) \
        - payload_offset(t) >= SIGNATURE_LENGTH


def payload_offset(t):
    """Offset of the innermost UDP payload in the frame."""
    off = 14 + (4 if t["vlan"] is not None else 0) + (40 if t["ipv6"] else 20) + 8
    if t["inner"] is not None:
        return off + 8 + payload_offset(t["inner"])
    return off


def build(stream, k):
    """Packet k of an incrementing generated stream, as bytes."""
    t = stream["packet"]
    queries = innermost(t)["queries"]
    query = queries[weighted_order(queries)[k % len(weighted_order(queries))]] if queries else None
    zero = t["inner"] is not None and not t["ipv6"]
    return _frame(t, k, stream["id"], has_signature(stream), query, zero_udp_checksum=zero)
