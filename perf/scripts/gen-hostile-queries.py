#!/usr/bin/python3
"""Writes the cache-hostile case of `bench dns` (issue 12): a zone of many names and a pcap of queries that never
repeat within it, so a packet cache of a few thousand slots answers almost nothing and the engine answers the rest.

Zone: big.test. with NAMES names (lib/big_zone.py, the zone `bench zone-scale` loads).
Queries: DISTINCT frames, each a different question: 90% an existing name (drawn without repetition from the zone,
A or AAAA), 10% a name that does not exist (NXDOMAIN); no EDNS; IPv4 from varied clients to the appliance
(MAC 02:00:00:00:00:53, 198.18.0.53). Also writes PCAP.expected (id, name, type, RCODE per frame), the format of
gen-dns-queries.py.

The frames are assembled by hand (struct), not with scapy: a hundred thousand scapy packets take minutes.

Usage: gen-hostile-queries.py ZONE_FILE OUT.pcap [NAMES (default 1000000)] [DISTINCT (default 100000)]
"""

import os
import random
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from big_zone import write_big_zone  # noqa: E402  (after the path)

APPLIANCE_MAC = bytes.fromhex("020000000053")
APPLIANCE_V4 = bytes([198, 18, 0, 53])
TYPES = {"A": 1, "AAAA": 28}


def wire_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def ipv4_checksum(header):
    total = sum(struct.unpack("!10H", header))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def frame(i, qid, name, qtype, rng):
    dns = struct.pack("!6H", qid, 0, 1, 0, 0, 0) + wire_name(name) + struct.pack("!2H", TYPES[qtype], 1)
    sport = 1024 + rng.randrange(60000)
    udp = struct.pack("!4H", sport, 53, 8 + len(dns), 0) + dns  # RFC 768: checksum 0, none computed (IPv4 only)
    src = bytes([198, 18, 1 + rng.randrange(200), 1 + rng.randrange(250)])
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i & 0xFFFF, 0, 64, 17, 0, src, APPLIANCE_V4)
    header = header[:10] + struct.pack("!H", ipv4_checksum(header)) + header[12:]
    eth = APPLIANCE_MAC + bytes([2, 0, 0, 0, (i >> 8) & 0xFF, i & 0xFF]) + b"\x08\x00"
    return eth + header + udp


def main():
    zone_path, out = sys.argv[1], sys.argv[2]
    names = int(sys.argv[3]) if len(sys.argv) > 3 else 1000000
    distinct = int(sys.argv[4]) if len(sys.argv) > 4 else 100000
    existing = distinct - distinct // 10
    if existing > 2 * names:
        sys.exit("gen-hostile-queries: %d distinct questions need at least %d names" % (distinct, existing // 2 + 1))
    write_big_zone(zone_path, names)
    rng = random.Random(12)
    # Distinct (name, type) questions: host numbers drawn without repetition, each asked for A or AAAA.
    picks = rng.sample(range(2 * names), existing)
    questions = [("h%d.big.test" % (p >> 1), "AAAA" if p & 1 else "A", 0) for p in picks]
    questions += [("nx%d.big.test" % k, "A", 3) for k in range(distinct - existing)]
    rng.shuffle(questions)
    expected = []
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, (name, qtype, rcode) in enumerate(questions):
            qid = rng.randrange(65536)
            data = frame(i, qid, name, qtype, rng)
            f.write(struct.pack("<IIII", i // 1000000, i % 1000000, len(data), len(data)) + data)
            expected.append("%d %s. %s %d" % (qid, name, qtype, rcode))
    with open(out + ".expected", "w") as f:
        f.write("\n".join(expected) + "\n")


if __name__ == "__main__":
    main()
