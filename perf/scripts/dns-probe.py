#!/usr/bin/env python3
"""A steady DNS query loop for failover measurements (demo anycast).

Usage: dns-probe.py SERVER NAME SECONDS [INTERVAL_MS (10)] [FLOWS (16)]

Sends one A query for NAME every INTERVAL_MS, round-robin from FLOWS UDP sockets (distinct source ports, so ECMP
spreads them over the paths), each answer awaited for at most 1 s. Prints, last, one line of JSON: queries sent,
answered, lost, and the loss window (first and last lost query, seconds since start; the longest run of losses on
any one flow, in ms). Plain sockets and a hand-made query (RFC 1035 §4.1): nothing to install.
"""
import json
import select
import socket
import struct
import sys
import time


def query(qid, name):
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.rstrip(".").split("."))
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + labels + b"\x00" + struct.pack("!HH", 1, 1)


def main():
    server, name, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    interval = (float(sys.argv[4]) if len(sys.argv) > 4 else 10.0) / 1000.0
    flows = int(sys.argv[5]) if len(sys.argv) > 5 else 16
    socks = []
    for _ in range(flows):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setblocking(False)
        s.bind(("0.0.0.0", 0))
        socks.append(s)
    pending = {}  # (flow, qid) -> send time
    lost, answered, sent = [], 0, 0
    start = time.monotonic()
    next_send = start
    qid = 0
    outage = {}  # flow -> start of current run of losses
    longest = 0.0
    while True:
        now = time.monotonic()
        if now - start < seconds and now >= next_send:
            flow = sent % flows
            qid = (qid + 1) & 0xFFFF
            socks[flow].sendto(query(qid, name), (server, 53))
            pending[(flow, qid)] = now
            sent += 1
            next_send += interval
        for (flow, q), t in list(pending.items()):
            if now - t > 1.0:
                del pending[(flow, q)]
                lost.append(t - start)
                outage.setdefault(flow, t)
        if now - start >= seconds and not pending:
            break
        ready, _, _ = select.select(socks, [], [], 0.002)
        for s in ready:
            flow = socks.index(s)
            try:
                data = s.recv(4096)
            except BlockingIOError:
                continue
            if len(data) >= 12:
                (rid,) = struct.unpack("!H", data[:2])
                if pending.pop((flow, rid), None) is not None:
                    answered += 1
                    if flow in outage:
                        longest = max(longest, time.monotonic() - outage.pop(flow))
    for flow, t in outage.items():
        longest = max(longest, time.monotonic() - t)
    print(json.dumps({"sent": sent, "answered": answered, "lost": len(lost),
                      "first_loss_s": round(min(lost), 3) if lost else None,
                      "last_loss_s": round(max(lost), 3) if lost else None,
                      "longest_outage_ms": round(longest * 1000)}))


if __name__ == "__main__":
    main()
