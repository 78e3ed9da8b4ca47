#!/usr/bin/env bash
# VxLAN switching speed of one Isthmus lcore against dpdk-testpmd macswap on one core, same pcaps, same run:
#   encap: plain 64-byte frames (256 local MACs to 10k remote MACs) replayed by net_pcap infinite_rx=1 into the
#          access port, encapsulated to 100 VTEPs, sent into net_null;
#   decap: the matching 110-byte VxLAN frames from those 100 VTEPs replayed into the uplink, decapsulated and
#          switched to the access port, sent into net_null.
# Both forward on CPU $CPU; their other threads stay on CPU 0. Each rate is given twice: per wall-clock second, and
# per CPU-second the forwarding thread actually got (from /proc for testpmd's rte-worker, from the JVM for Isthmus's
# lcore), which is the fair figure on a machine shared with other work.
# Usage: ./isthmus bench vxlan [SECONDS (default 10)] [WARMUP_SECONDS (default 4)]
# Prints Mpps per direction, ratio_wall=, and as the last line ratio=<isthmus/testpmd> per CPU-second (the lower of
# the two directions).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/common.sh"
require_launcher vxlan
seconds=${1:-10}
warmup=${2:-4}
cpu=${CPU:-1}
out="$root/perf/target/bench-vxlan"
mkdir -p "$out"

# The MAC and VTEP numbering matches dev.isthmus.perf.vswitch.VxlanBench's FDB.
/usr/bin/python3 - "$out/encap.pcap" "$out/decap.pcap" <<'PY'
import sys
from scapy.all import Ether, IP, UDP, Raw, wrpcap
from scapy.layers.vxlan import VXLAN
def mac(base, n):
    return "02:%02x:00:00:%02x:%02x" % (base, n >> 8, n & 0xff)
plain, vxlan = [], []
for i in range(1024):
    local, remote = mac(2, i % 256), mac(1, (i * 37) % 10000)
    vtep = "198.18.1.%d" % ((i * 37) % 10000 % 100 + 1)
    out = Ether(src=local, dst=remote) / IP(src="10.0.%d.%d" % (i // 256, i % 256), dst="10.1.0.1") / UDP(sport=1024 + i, dport=80)
    plain.append(out / Raw(b"\x00" * (60 - len(out))))
    back = Ether(src=remote, dst=local) / IP(src="10.1.0.1", dst="10.0.%d.%d" % (i // 256, i % 256)) / UDP(sport=80, dport=1024 + i)
    back = back / Raw(b"\x00" * (60 - len(back)))
    vxlan.append(Ether(src="02:03:00:00:00:01", dst="02:00:00:00:00:fe") / IP(src=vtep, dst="198.18.0.1") /
                 UDP(sport=49152 + i, dport=4789, chksum=0) / VXLAN(flags=0x08, vni=100) / back)
wrpcap(sys.argv[1], plain)
wrpcap(sys.argv[2], vxlan)
PY

# testpmd PCAP NAME: "wall cpu" macswap rates in Mpps from a net_pcap replay of PCAP into net_null (Tx over the
# window between two port statistics, per wall-clock second and per CPU-second of the forwarding thread).
testpmd() {
  local log="$out/testpmd-$2.log" sent cpu_s
  testpmd_run "$log" isthmustpvx macswap "net_pcap0,rx_pcap=$1,infinite_rx=1" net_null0,size=64,no-rx=1
  # TX-packets of the net_null port (port 1) at the two statistics, and the worker's CPU time between them.
  sent=$(grep -A4 'NIC statistics for port 1' "$log" | grep 'TX-packets' | awk '{ v[NR] = $2 } END { if (NR < 2) exit 1; print v[NR] - v[NR-1] }') ||
    { echo "testpmd printed fewer than two port statistics, see $log" >&2; tail -20 "$log" >&2; exit 1; }
  cpu_s=$(testpmd_cpu_seconds "$log")
  # shellcheck disable=SC2046
  figures "testpmd $2" "$log" 2 $(awk -v n="$sent" -v s="$seconds" -v c="$cpu_s" \
    'BEGIN { printf "%.3f %.3f", n / s / 1e6, (c > 0 ? n / c / 1e6 : 0) }')
}

isthmus() {
  local mode=$1 log="$out/isthmus-$1.log"
  # shellcheck disable=SC2086
  run_isthmus "$log" taskset -c 0 "$JAVA" $ISTHMUS_JVM_FLAGS -cp "$root/perf/target/classes:$root/perf/target/lib/*" \
    dev.isthmus.perf.vswitch.VxlanBench "$mode" "$cpu" "$warmup" "$seconds" "$out/$mode.pcap"
  grep '^isthmus' "$log" >&2 || true # progress lines, for the reader; the RESULT line is checked below
  result_figures "Isthmus $mode" "$log" 4 5
}

echo "bench vxlan: one core (CPU $cpu), ${seconds}s after ${warmup}s warm-up, FDB 10k MACs over 100 VTEPs;" \
  "$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
lowest=""
lowest_wall=""
lower() { if [ -z "$2" ] || awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; then echo "$1"; else echo "$2"; fi; }
for mode in encap decap; do
  reference=$(testpmd "$out/$mode.pcap" "$mode")
  ours=$(isthmus "$mode")
  read -r tw tc <<< "$reference"
  read -r iw ic <<< "$ours"
  rw=$(awk -v a="$iw" -v b="$tw" 'BEGIN { printf "%.3f", a / b }')
  rc=$(ratio "$ic" "$tc")
  printf '%-6s isthmus %6.2f Mpps (%6.2f per CPU-s)   testpmd macswap %6.2f Mpps (%6.2f per CPU-s)   ratio %s (per CPU-s %s)\n' \
    "$mode" "$iw" "$ic" "$tw" "$tc" "$rw" "$rc"
  lowest=$(lower "$rc" "$lowest")
  lowest_wall=$(lower "$rw" "$lowest_wall")
done
echo "ratio_wall=$lowest_wall"
echo "ratio=$lowest"
