#!/usr/bin/env bash
# Handoff mode against run to completion, DNS on the pcap replay, same run.
#
# Run to completion: one lcore (CPU $CPU, default 1) receives the query pcap (net_pcap infinite_rx=1, the query mix
# of bench dns), answers in place and sends to net_null — bench dns's Isthmus side. Handoff: an I/O lcore (CPU
# $IO_CPU, default 0) receives the same replay and hands every packet by flow hash through an MbufRing to one worker
# lcore (CPU $CPU), which answers and sends — the appliance's `lcores.io` mode with one I/O lcore and one worker.
#
# Figures: answers per second (wall), CPU nanoseconds per answer (the I/O lcore's per packet it received: the replay
# offers more than one worker answers, and the rest is dropped at the full ring, counted). On two vCPUs the I/O lcore shares
# CPU 0 with the JVM and the shell; what the run shows is the handoff's overhead, which is the ring's cost per packet
# (I/O + worker CPU per answer, less run to completion's) — how that scales with more cores is in perf/RESULTS.md.
# The packet cache is on (ANSWER_CACHE slots, default 4096; 0 for engine only).
# Usage: ./isthmus bench handoff [SECONDS (default 10)] [WARMUP_SECONDS (default 8)]
# Prints, last, ratio=<handoff answers/s / run-to-completion answers/s> (wall, best rounds).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/common.sh"
require_launcher handoff
seconds=${1:-10}
warmup=${2:-8}
cpu=${CPU:-1}
io_cpu=${IO_CPU:-0}
rounds=${ROUNDS:-2}
cache_slots=${ANSWER_CACHE:-4096}
out="$root/perf/target/bench-handoff"
mkdir -p "$out"
pcap="$out/queries.pcap"
zone="$root/dns-server/src/main/resources/zones/example.test.zone"
cp="$root/perf/target/classes:$root/perf/target/lib/*"
/usr/bin/python3 "$here/gen-dns-queries.py" "$pcap" 4096

# bench MODE LOG FIELDS ARGS...: runs DnsDataplaneBench MODE and prints its RESULT line's fields FIELDS (as
# result_figures counts them), checked as figures; exits on failure.
bench() {
  local mode=$1 log=$2 fields=$3; shift 3
  # shellcheck disable=SC2086
  run_isthmus "$log" "$JAVA" $ISTHMUS_JVM_FLAGS ${ISTHMUS_JAVA_OPTS:-} -Disthmus.bench.answerCache="$cache_slots" \
    -cp "$cp" dev.isthmus.perf.dns.DnsDataplaneBench "$mode" "$pcap" "$zone" "$@" "$warmup" "$seconds"
  grep '^isthmus' "$log" >&2
  # shellcheck disable=SC2086
  result_figures "Isthmus $mode" "$log" $fields
}

echo "== bench handoff: run to completion on CPU $cpu vs I/O lcore on CPU $io_cpu + worker on CPU $cpu," \
  "${seconds}s windows after ${warmup}s warm-up, best of $rounds rounds, packet cache $cache_slots slots"
echo "  $(machine_summary)"
rw=0; rns=0; hw=0; ions=0; wns=0
for ((r = 1; r <= rounds; r++)); do
  rtc=$(bench answer "$out/rtc-$r.log" "4 5" "$cpu")
  read -r w c <<< "$rtc"
  ns=$(awk -v c="$c" 'BEGIN { printf "%.1f", (c > 0 ? 1000 / c : 0) }')
  printf '  round %d run to completion   %7.2f M answers/s   %6.1f ns CPU/answer\n' "$r" "$w" "$ns"
  if awk -v a="$w" -v b="$rw" 'BEGIN { exit !(a > b) }'; then rw=$w; rns=$ns; fi
  ho=$(bench handoff "$out/handoff-$r.log" "4 5 6 7" "$io_cpu" "$cpu")
  read -r w c i k <<< "$ho"
  printf '  round %d handoff (1 I/O + 1) %7.2f M answers/s   %6.1f ns I/O/packet + %6.1f ns worker/answer\n' \
    "$r" "$w" "$i" "$k"
  if awk -v a="$w" -v b="$hw" 'BEGIN { exit !(a > b) }'; then hw=$w; ions=$i; wns=$k; fi
done
printf 'run to completion   %7.2f M answers/s  %6.1f ns CPU per answer\n' "$rw" "$rns"
printf 'handoff             %7.2f M answers/s  %6.1f ns I/O CPU per packet + %6.1f ns worker CPU per answer\n' \
  "$hw" "$ions" "$wns"
echo "ring_cost_ns_per_packet=$(awk -v a="$ions" -v b="$wns" -v c="$rns" 'BEGIN { printf "%.1f", a + b - c }')"
echo "ratio=$(ratio "$hw" "$rw")"
