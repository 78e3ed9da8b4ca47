#!/usr/bin/python3
"""Checks that isthmus_packets builds, byte for byte, what `./isthmus gen` sends for a profile.

Usage: parity.py PROFILE.yml DUMP.pcap N
where DUMP.pcap comes from `./isthmus gen --profile PROFILE.yml --dump-pcap DUMP.pcap N` (N packets of each
generated stream, stream after stream). Random and pcap streams are skipped (their packets are not a function of k).
Prints one line per stream and exits 1 on any difference.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import isthmus_packets  # noqa: E402
from scapy.all import rdpcap  # noqa: E402


def main():
    profile, dump, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    frames = [bytes(p) for p in rdpcap(dump)]
    streams = isthmus_packets.load_profile(profile)
    generated = [s for s in streams if s.get("packet") is not None]
    if len(frames) != n * len(generated):
        print("dump holds %d frames, expected %d x %d streams" % (len(frames), n, len(generated)))
        return 1
    bad = 0
    checked = 0
    for index, s in enumerate(generated):
        block = frames[index * n:(index + 1) * n]
        if s["random"]:
            print("%s: random, skipped" % s["name"])
            continue
        for k in range(n):
            built = isthmus_packets.build(s, k)
            if built != block[k]:
                bad += 1
                if bad <= 5:
                    at = next((i for i in range(min(len(built), len(block[k]))) if built[i] != block[k][i]),
                              min(len(built), len(block[k])))
                    print("%s packet %d differs at byte %d (scapy %d bytes, gen %d bytes)\n  scapy %s\n  gen   %s"
                          % (s["name"], k, at, len(built), len(block[k]), built.hex(), block[k].hex()))
        checked += 1
        print("%s: %d packets compared" % (s["name"], n))
    print("parity: %d streams, %s" % (checked, "all equal" if bad == 0 else "%d packets differ" % bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
