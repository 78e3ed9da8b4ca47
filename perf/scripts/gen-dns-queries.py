#!/usr/bin/python3
"""Writes the query mix of `bench dns` as a pcap: queries to the appliance (MAC 02:00:00:00:00:53, 198.18.0.53 and
2001:db8::53) for the sample zone example.test.

Mix (deterministic, seeded): names and types of the sample zone (SOA, NS, MX, TXT, A, AAAA, SRV, a CNAME, a wildcard,
a referral into the delegated child), 10% names that do not exist (NXDOMAIN), about a third with EDNS (RFC 6891,
some with DO), one in eight over IPv6; client addresses and ports vary. Also writes PCAP.expected: per frame the
DNS id, the query name, its type and the RCODE the zone must give (the bench's tshark check reads it).

Usage: gen-dns-queries.py OUT.pcap [FRAMES (default 4096)]
"""
import random
import sys

from scapy.all import DNS, DNSQR, DNSRROPT, Ether, IP, IPv6, UDP, wrpcap

POSITIVE = [
    ("example.test", "SOA"), ("example.test", "NS"), ("example.test", "MX"), ("example.test", "TXT"),
    ("www.example.test", "A"), ("www.example.test", "AAAA"), ("mail.example.test", "A"),
    ("mail.example.test", "AAAA"), ("mail.example.test", "TXT"), ("ns1.example.test", "A"),
    ("ftp.example.test", "A"), ("_sip._udp.example.test", "SRV"), ("web.apps.example.test", "A"),
    ("www.child.example.test", "A"), ("www.example.test", "MX"),
]
RCODES = {"NOERROR": 0, "NXDOMAIN": 3}


def main():
    out = sys.argv[1]
    frames = int(sys.argv[2]) if len(sys.argv) > 2 else 4096
    rng = random.Random(53)
    packets, expected = [], []
    for i in range(frames):
        if i % 10 == 9:
            name, qtype, rcode = "nope-%d.example.test" % rng.randrange(1000), "A", "NXDOMAIN"
        else:
            (name, qtype), rcode = POSITIVE[rng.randrange(len(POSITIVE))], "NOERROR"
        qid = rng.randrange(65536)
        dns = DNS(id=qid, rd=0, qd=DNSQR(qname=name, qtype=qtype))
        if rng.random() < 0.33:
            dns.ar = DNSRROPT(rclass=1232, z=0x8000 if rng.random() < 0.5 else 0)
            dns.arcount = 1
        sport = 1024 + rng.randrange(60000)
        eth = Ether(src="02:00:00:00:%02x:%02x" % (i // 256 % 256, i % 256), dst="02:00:00:00:00:53")
        if i % 8 == 7:
            ip = IPv6(src="2001:db8:1::%x" % (1 + rng.randrange(4000)), dst="2001:db8::53")
        else:
            ip = IP(src="198.18.%d.%d" % (1 + rng.randrange(200), 1 + rng.randrange(250)), dst="198.18.0.53")
        packets.append(eth / ip / UDP(sport=sport, dport=53) / dns)
        expected.append("%d %s. %s %d" % (qid, name, qtype, RCODES[rcode]))
    wrpcap(out, packets)
    with open(out + ".expected", "w") as f:
        f.write("\n".join(expected) + "\n")


if __name__ == "__main__":
    main()
