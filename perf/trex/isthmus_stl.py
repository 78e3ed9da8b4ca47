"""TRex STL streams for an Isthmus traffic profile (perf/profiles/*.yml): the same packets `./isthmus gen` sends,
built by isthmus_packets (plain scapy), with TRex's field engine varying the fields the profile gives as ranges.

Use a wrapper (dns_mix.py, vxlan.py) or this module directly:
    start -f isthmus_stl.py -t --profile /path/to/profile.yml -m 1 --port 0        (TRex 3.x)
    start -f isthmus_stl.py -t profile=/path/to/profile.yml,pgid=100 -m 1 --port 0  (older)
Tunables: profile (path to the YAML), pgid (first packet-group id for flow statistics, default 100: the streams
get pgid, pgid+1, ... in order; a DNS mix is one TRex stream per question), latency (1: every stream gets STLFlowLatencyStats; default: only streams with `latency: true`).

Differences from ./isthmus gen, by TRex's design: TRex's own latency packets replace the Isthmus signature for
latency (read them with STLFlowLatencyStats), fields vary with TRex's "inc" (the same order as gen's increment),
the field engine fixes the IPv4 header checksum and lets the NIC fill UDP checksums (STLVmFixChecksumHw); a DNS
mix becomes one stream per question at its share of the rate.
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import isthmus_packets  # noqa: E402

try:  # TRex v2.50 and later
    from trex.stl.api import (STLFlowLatencyStats, STLFlowStats, STLPktBuilder, STLScVmRaw, STLStream, STLTXCont,
                              STLTXSingleBurst, STLVmFixChecksumHw, STLVmFixIpv4, STLVmFlowVar, STLVmWrFlowVar)
    from trex.stl.trex_stl_packet_builder_scapy import CTRexVmInsFixHwCs
except ImportError:  # older TRex
    from trex_stl_lib.api import (STLFlowLatencyStats, STLFlowStats, STLPktBuilder, STLScVmRaw, STLStream,  # noqa
                                  STLTXCont, STLTXSingleBurst, STLVmFixChecksumHw, STLVmFixIpv4, STLVmFlowVar,
                                  STLVmWrFlowVar, CTRexVmInsFixHwCs)

RATE = re.compile(r"([0-9.]+)\s*(%|pps|kpps|mpps)", re.I)


def _mode(rate, share, count):
    value, unit = RATE.fullmatch(rate.strip()).groups()
    value = float(value) * share
    if unit == "%":
        kw = {"percentage": value}
    else:
        kw = {"pps": value * {"pps": 1, "kpps": 1e3, "mpps": 1e6}[unit.lower()]}
    return STLTXSingleBurst(total_pkts=count, **kw) if count else STLTXCont(**kw)


def _layer_vm(t, l3, prefix, instructions):
    """Flow variables for one layer's ranges (absolute offsets), then its checksum fixes."""
    l4 = l3 + (40 if t["ipv6"] else 20)
    fields = [("src", t["src"], l3 + (16 if t["ipv6"] else 12), 8 if t["ipv6"] else 4),
              ("dst", t["dst"], l3 + (32 if t["ipv6"] else 16), 8 if t["ipv6"] else 4),
              ("sport", t["sport"], l4, 2), ("dport", t["dport"], l4 + 2, 2)]
    for name, r, offset, size in fields:
        if r.span > 1:
            instructions.append(STLVmFlowVar(name=prefix + name, min_value=r.first, max_value=r.last, size=size,
                                             op="inc"))
            instructions.append(STLVmWrFlowVar(fv_name=prefix + name, pkt_offset=offset))
    return l4


def _vm(stream):
    t = stream["packet"]
    instructions = []
    l3 = 14 + (4 if t["vlan"] is not None else 0)
    l4 = _layer_vm(t, l3, "o_", instructions)
    inner = t["inner"]
    if inner is not None:
        inner_l3 = l4 + 8 + 8 + 14 + (4 if inner["vlan"] is not None else 0)
        _layer_vm(inner, inner_l3, "i_", instructions)
        if not inner["ipv6"]:
            instructions.append(STLVmFixIpv4(offset=inner_l3))
    if isthmus_packets.innermost(t)["queries"]:
        instructions.append(STLVmFlowVar(name="dns_id", min_value=0, max_value=65535, size=2, op="inc"))
        instructions.append(STLVmWrFlowVar(fv_name="dns_id", pkt_offset=isthmus_packets.payload_offset(t)))
    if not t["ipv6"]:
        instructions.append(STLVmFixIpv4(offset=l3))
    if not (inner is not None and not t["ipv6"]):  # VxLAN over IPv4 keeps its outer UDP checksum 0 (RFC 7348)
        instructions.append(STLVmFixChecksumHw(l3_offset=l3, l4_offset=l4, l4_type=CTRexVmInsFixHwCs.L4_TYPE_UDP))
    return STLScVmRaw(instructions)


def streams_of(profile, pgid=100, latency_all=False):
    """The TRex streams; each gets its own packet-group id, pgid, pgid+1, ... in the order returned."""
    out = []

    def stats_for(s):
        pg = pgid + len(out)
        return STLFlowLatencyStats(pg_id=pg) if (s["latency"] or latency_all) else STLFlowStats(pg_id=pg)

    for s in isthmus_packets.load_profile(profile):
        if s.get("packet") is None:
            continue  # pcap replay: use TRex's own `push` of the file instead
        queries = isthmus_packets.innermost(s["packet"])["queries"]
        if not queries:
            pkt = STLPktBuilder(pkt=isthmus_packets.build(s, 0), vm=_vm(s))
            out.append(STLStream(name=s["name"], packet=pkt, mode=_mode(s["rate"], 1.0, s["count"]),
                                 flow_stats=stats_for(s)))
            continue
        total = sum(q["weight"] for q in queries)
        for i, q in enumerate(queries):
            one = dict(s, packet=_with_query(s["packet"], q))
            pkt = STLPktBuilder(pkt=isthmus_packets.build(one, 0), vm=_vm(one))
            share = q["weight"] / float(total)
            count = int(round(s["count"] * share)) if s["count"] else 0
            out.append(STLStream(name="%s-%d" % (s["name"], i), packet=pkt, mode=_mode(s["rate"], share, count),
                                 flow_stats=stats_for(s)))
    return out


def _with_query(t, q):
    if t["inner"] is not None:
        return dict(t, inner=_with_query(t["inner"], q))
    return dict(t, queries=[q])


class IsthmusProfile(object):
    def __init__(self, default_profile=None):
        self.default_profile = default_profile

    def get_streams(self, tunables=(), **kwargs):
        parser = argparse.ArgumentParser(description="Isthmus profile for TRex", prog="isthmus_stl")
        parser.add_argument("--profile", default=self.default_profile)
        parser.add_argument("--pgid", type=int, default=100)
        parser.add_argument("--latency", type=int, default=0)
        # TRex 3.x passes `-t --profile P` as a list; older releases pass `-t profile=P` as keyword arguments.
        argv = list(tunables) if not isinstance(tunables, dict) else ["--%s=%s" % kv for kv in tunables.items()]
        argv += ["--%s=%s" % (k, v) for k, v in kwargs.items() if k in ("profile", "pgid", "latency")]
        args = parser.parse_args(argv)
        if not args.profile:
            raise ValueError("give the Isthmus profile: -t profile=/path/to/profile.yml")
        return streams_of(args.profile, args.pgid, bool(args.latency))


def register():
    return IsthmusProfile()
