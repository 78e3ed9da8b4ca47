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
root=$(cd "$here/../.." && pwd)
: "${ISTHMUS_JVM_FLAGS:?run through ./isthmus bench forward, which sets the JVM flags}"
: "${JAVA:=java}"
seconds=${1:-10}
warmup=${2:-8}
cpu=${CPU:-1}
rounds=${ROUNDS:-2}
out="$root/perf/target/bench-forward"
mkdir -p "$out"
pcap="$out/udp64.pcap"
clk_tck=$(getconf CLK_TCK)
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

eal=(--no-huge -m 1024 --no-pci --no-shconf --no-telemetry '--log-level=*:warning')

# CPU ticks (user + system) of testpmd's forwarding thread.
worker_ticks() {
  local pid task
  pid=$(pgrep -f -- '^dpdk-testpmd .*isthmustp' | head -1) || { echo 0; return; }
  for task in /proc/"$pid"/task/*; do
    if [ "$(cat "$task/comm" 2>/dev/null)" = "rte-worker-$cpu" ]; then
      sed 's/^.*) //' "$task/stat" | awk '{ print $12 + $13 }'
      return
    fi
  done
  echo 0
}

# testpmd MODE VDEV...: prints "WALL_MPPS CPU_MPPS".
testpmd() {
  local mode=$1; shift
  local vdevs=() v log="$out/testpmd-$mode-$rx.log"
  for v in "$@"; do vdevs+=(--vdev "$v"); done
  { sleep "$warmup"; worker_ticks > "$out/ticks1"; echo "show port stats all"; sleep "$seconds"
    worker_ticks > "$out/ticks2"; echo "show port stats all"; sleep 1; echo stop; echo quit; } |
    timeout $((warmup + seconds + 60)) dpdk-testpmd "${eal[@]}" --file-prefix isthmustp -l "0,$cpu" "${vdevs[@]}" -- \
      -i --forward-mode="$mode" --nb-cores=1 --auto-start --total-num-mbufs=16384 > "$log" 2>&1 || true
  local wall sent
  # The second "show port stats all" gives the rate since the first: the last Tx-pps line of each port.
  wall=$(grep 'Tx-pps' "$log" | tail -2 | awk '{ s += $2 } END { if (NR < 2) exit 1; printf "%.3f", s / 1e6 }') ||
    { echo "testpmd failed, see $log" >&2; tail -20 "$log" >&2; exit 1; }
  sent=$(grep 'TX-packets:.*TX-errors' "$log" | awk '{ v[NR] = $2 } END { print v[3] + v[4] - v[1] - v[2] }')
  awk -v w="$wall" -v s="$sent" -v a="$(cat "$out/ticks1")" -v b="$(cat "$out/ticks2")" -v hz="$clk_tck" \
    'BEGIN { c = (b - a) / hz; printf "%s %.3f", w, (c > 0 ? s / c / 1e6 : 0) }'
}

# isthmus MODE: prints "WALL_MPPS CPU_MPPS".
isthmus() {
  local mode=$1 log="$out/isthmus-$1-$rx.log"
  # shellcheck disable=SC2086
  "$JAVA" $ISTHMUS_JVM_FLAGS -cp "$out/classes:$root/perf/target/lib/*" \
    dev.isthmus.perf.dataplane.ForwardBench "$mode" "$rx" "$cpu" "$warmup" "$seconds" "$pcap" > "$log" 2>&1 ||
    { echo "Isthmus failed, see $log" >&2; tail -20 "$log" >&2; exit 1; }
  sed -n 's/^isthmus /    isthmus /p' "$log" >&2
  awk '/^RESULT/ { printf "%.3f %.3f", $5, $6 }' "$log"
}

max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }

echo "bench forward: one forwarding core (CPU $cpu), ${seconds}s windows after ${warmup}s warm-up, best of $rounds rounds;"
echo "  $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A best
for rx in null pcap; do
  if [ "$rx" = null ]; then vdevs=(net_null0,size=64 net_null1,size=64); else vdevs=("net_pcap0,rx_pcap=$pcap,infinite_rx=1" "net_null0,size=64,no-rx=1"); fi
  for mode in io macswap; do
    tw=0; tc=0; iw=0; ic=0
    for ((r = 1; r <= rounds; r++)); do
      read -r w c <<< "$(testpmd "$mode" "${vdevs[@]}")"
      printf '  round %d %-8s %-5s testpmd  %7.2f Mpps wall  %7.2f Mpps/CPU-s\n' "$r" "$mode" "$rx" "$w" "$c"
      tw=$(max "$tw" "$w"); tc=$(max "$tc" "$c")
      read -r w c <<< "$(isthmus "$mode")"
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
