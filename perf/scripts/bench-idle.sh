#!/usr/bin/env bash
# What `lcores.idle: adaptive` costs against `poll` (the default), same run:
#  - under load: bench dns's Isthmus side (one lcore on CPU $CPU, default 1, answering the query pcap replayed by
#    net_pcap) with each policy, alternating, best of $ROUNDS rounds — the adaptive lcore never sleeps under load,
#    so the answers per second should be the same;
#  - idle → loaded: the round trip of one query at a time through a net_tap port after 0, 1, 10 and 100 ms of
#    idleness (WakeLatency), with each policy: an adaptive lcore that was asleep wakes at its next poll, so the first
#    query after idleness waits at most the longest sleep (500 µs, the defaults of `lcores.idle: adaptive`).
# Needs root (the TAP device). Usage: ./isthmus bench idle [SECONDS (default 10)] [WARMUP_SECONDS (default 8)]
# Prints, last, ratio=<adaptive answers/s / poll answers/s> (wall, best rounds).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/common.sh"
require_launcher idle
[ "$(id -u)" = 0 ] || { echo "bench idle needs root (a TAP device)" >&2; exit 1; }
seconds=${1:-10}
warmup=${2:-8}
cpu=${CPU:-1}
rounds=${ROUNDS:-2}
samples=${SAMPLES:-2000}
out="$root/perf/target/bench-idle"
mkdir -p "$out"
pcap="$out/queries.pcap"
zone="$root/dns-server/src/main/resources/zones/example.test.zone"
cp="$root/perf/target/classes:$root/perf/target/lib/*"
/usr/bin/python3 "$here/gen-dns-queries.py" "$pcap" 4096

# bench IDLE LOG FIELDS MODE ARGS...: DnsDataplaneBench MODE with idle policy IDLE; prints the RESULT line's fields
# FIELDS (space-separated numbers, as result_figures counts them), checked as figures.
bench() {
  local idle=$1 log=$2 fields=$3 mode=$4; shift 4
  # The JVM's own threads stay on CPU 0 (taskset), away from the lcore, which pins itself to CPU $cpu.
  # shellcheck disable=SC2086
  run_isthmus "$log" taskset -c 0 "$JAVA" $ISTHMUS_JVM_FLAGS ${ISTHMUS_JAVA_OPTS:-} -Disthmus.bench.idle="$idle" \
    -cp "$cp" dev.isthmus.perf.dns.DnsDataplaneBench "$mode" "$@"
  grep '^isthmus' "$log" >&2
  # shellcheck disable=SC2086
  result_figures "Isthmus $mode with lcores.idle $idle" "$log" $fields
}

echo "== bench idle: lcores.idle poll vs adaptive, one lcore on CPU $cpu; under load ${seconds}s windows after" \
  "${warmup}s warm-up, best of $rounds rounds; then $samples single queries per idle gap over net_tap"
echo "  $(machine_summary)"
best_poll=0; best_adaptive=0
for ((r = 1; r <= rounds; r++)); do
  for idle in poll adaptive; do
    res=$(bench "$idle" "$out/load-$idle-$r.log" "4 5" answer "$pcap" "$zone" "$cpu" "$warmup" "$seconds")
    read -r w c <<< "$res"
    printf '  round %d %-8s %7.2f M answers/s  %7.2f M per CPU-second\n' "$r" "$idle" "$w" "$c"
    if [ "$idle" = poll ]; then best_poll=$(max "$w" "$best_poll"); else best_adaptive=$(max "$w" "$best_adaptive"); fi
  done
done
for idle in poll adaptive; do
  res=$(bench "$idle" "$out/wake-$idle.log" "4 5 6 7" wake - "$zone" "$cpu" "$samples")
  read -r m0 m1 m10 m100 <<< "$res"
  printf '%-8s round trip medians: %6s µs busy, %6s µs after 1 ms idle, %6s µs after 10 ms, %6s µs after 100 ms\n' \
    "$idle" "$m0" "$m1" "$m10" "$m100"
done
printf 'under load: poll %.2f M answers/s, adaptive %.2f M answers/s\n' "$best_poll" "$best_adaptive"
echo "ratio=$(ratio "$best_adaptive" "$best_poll")"
