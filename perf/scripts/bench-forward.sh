#!/usr/bin/env bash
# Forwarding speed of one Isthmus lcore against dpdk-testpmd on one forwarding core, same modes, same vdevs, same
# run: io and macswap between two net_null ports (both directions), and from a net_pcap infinite_rx=1 replay of
# 64-byte UDP frames into a net_null port that receives nothing. Both forward on CPU $CPU (default 1).
#
# Two figures per run: wall-clock Mpps (packets sent per second of the window), and Mpps per CPU-second (packets
# sent per second of CPU time the forwarding thread got, from /proc for testpmd's rte-worker thread and from the
# JVM for Isthmus's lcore thread). On an idle machine they agree; on a shared one only the second compares the two
# programs fairly, so the ratios use it. Each mode runs ROUNDS times (default 2), alternating the two programs, and
# the best round of each counts.
# Usage: ./isthmus bench forward [SECONDS (default 10)] [WARMUP_SECONDS (default 8)]
# Prints Mpps for each and, as the last line, ratio=<isthmus/testpmd> for macswap on net_null.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/common.sh"
require_launcher forward
seconds=${1:-10}
warmup=${2:-8}
cpu=${CPU:-1}
rounds=${ROUNDS:-2}
out="$root/perf/target/bench-forward"
mkdir -p "$out"
pcap="$out/udp64.pcap"
# A private copy of the classes, so that a build running meanwhile in the tree cannot pull them away mid-run.
rm -rf "$out/classes" && cp -r "$root/perf/target/classes" "$out/classes"

# 256 UDP flows of 64-byte frames (60 bytes + FCS on the wire).
/usr/bin/python3 - "$pcap" <<'PY'
import sys
from scapy.all import Ether, IP, UDP, Raw, wrpcap
frames = []
for i in range(256):
    p = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / \
        IP(src="198.18.%d.%d" % (i // 128, i % 128 + 1), dst="198.19.0.1") / UDP(sport=1024 + i, dport=53)
    frames.append(p / Raw(b"\x00" * (60 - len(p))))
wrpcap(sys.argv[1], frames)
PY

# testpmd MODE VDEV...: prints "WALL_MPPS CPU_MPPS".
testpmd() {
  local log="$out/testpmd-$1-$rx.log"
  testpmd_run "$log" isthmustp "$@"
  testpmd_rates "$log"
}

# isthmus MODE: prints "WALL_MPPS CPU_MPPS".
isthmus() {
  local mode=$1 log="$out/isthmus-$1-$rx.log"
  # shellcheck disable=SC2086
  run_isthmus "$log" "$JAVA" $ISTHMUS_JVM_FLAGS -cp "$out/classes:$root/perf/target/lib/*" \
    dev.isthmus.perf.dataplane.ForwardBench "$mode" "$rx" "$cpu" "$warmup" "$seconds" "$pcap"
  sed -n 's/^isthmus /    isthmus /p' "$log" >&2
  result_figures "Isthmus $mode from $rx" "$log" 5 6
}

echo "bench forward: one forwarding core (CPU $cpu), ${seconds}s windows after ${warmup}s warm-up, best of $rounds rounds;"
echo "  $(machine_summary)"
declare -A best
for rx in null pcap; do
  if [ "$rx" = null ]; then vdevs=(net_null0,size=64 net_null1,size=64); else vdevs=("net_pcap0,rx_pcap=$pcap,infinite_rx=1" "net_null0,size=64,no-rx=1"); fi
  for mode in io macswap; do
    tw=0; tc=0; iw=0; ic=0
    for ((r = 1; r <= rounds; r++)); do
      # Assigned first: a failed run stops the script here (read <<< "$(...)" would go on with empty figures).
      result=$(testpmd "$mode" "${vdevs[@]}")
      read -r w c <<< "$result"
      printf '  round %d %-8s %-5s testpmd  %7.2f Mpps wall  %7.2f Mpps/CPU-s\n' "$r" "$mode" "$rx" "$w" "$c"
      tw=$(max "$tw" "$w"); tc=$(max "$tc" "$c")
      result=$(isthmus "$mode")
      read -r w c <<< "$result"
      printf '  round %d %-8s %-5s isthmus  %7.2f Mpps wall  %7.2f Mpps/CPU-s\n' "$r" "$mode" "$rx" "$w" "$c"
      iw=$(max "$iw" "$w"); ic=$(max "$ic" "$c")
    done
    best[$mode-$rx]="$ic $tc"
    printf '%-8s %-5s testpmd %7.2f Mpps (%7.2f Mpps/CPU-s)   isthmus %7.2f Mpps (%7.2f Mpps/CPU-s)   ratio wall %s, per CPU-s %s\n' \
      "$mode" "$rx" "$tw" "$tc" "$iw" "$ic" "$(ratio "$iw" "$tw")" "$(ratio "$ic" "$tc")"
  done
done
read -r i t <<< "${best[macswap-pcap]}"
echo "ratio_pcap=$(ratio "$i" "$t")"
read -r i t <<< "${best[macswap-null]}"
echo "ratio=$(ratio "$i" "$t")"
