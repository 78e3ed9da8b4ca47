# Shell shared by the perf/scripts benchmarks; sourced, not run. Defines `root` (the repository) and functions.
# A script sources it with:
#   here=$(cd "$(dirname "$0")" && pwd)
#   . "$here/lib/common.sh"
# The testpmd_* functions read the calling script's `cpu` (forwarding CPU), `warmup` and `seconds`.
# shellcheck shell=bash

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)

# require_launcher NAME: exits unless run through ./isthmus bench NAME (which exports the JVM flags); defaults JAVA.
require_launcher() {
  [ -n "${ISTHMUS_JVM_FLAGS:-}" ] ||
    { echo "$(basename "$0"): run through ./isthmus bench $1, which sets the JVM flags" >&2; exit 1; }
  : "${JAVA:=java}"
}

# machine_summary: "N CPUs, MODEL, load average A B C", for the header line of a benchmark's output.
machine_summary() {
  echo "$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }

# The EAL arguments testpmd runs with: no hugepages, no PCI, like the Java benchmarks.
testpmd_eal=(--no-huge -m 1024 --no-pci --no-shconf --no-telemetry '--log-level=*:warning')

# testpmd_worker_ticks PREFIX: CPU clock ticks (user + system) so far of the forwarding thread (rte-worker-$cpu) of
# the dpdk-testpmd started with --file-prefix PREFIX; 0 if there is none.
testpmd_worker_ticks() {
  local pid task
  pid=$(pgrep -f -- "^dpdk-testpmd .*$1" | head -1) || { echo 0; return; }
  for task in /proc/"$pid"/task/*; do
    if [ "$(cat "$task/comm" 2>/dev/null)" = "rte-worker-$cpu" ]; then
      # Fields 14 and 15 of stat (utime, stime), counted after the ")" that ends the command name.
      sed 's/^.*) //' "$task/stat" | awk '{ print $12 + $13 }'
      return
    fi
  done
  echo 0
}

# testpmd_run LOG PREFIX MODE VDEV...: dpdk-testpmd forwarding MODE between the VDEVs on CPU $cpu (EAL file prefix
# PREFIX), its console output in LOG. After $warmup seconds it prints the port statistics, again $seconds later;
# the forwarding thread's CPU ticks at those two moments go to LOG.ticks, one a line. Then it stops.
testpmd_run() {
  local log=$1 prefix=$2 mode=$3; shift 3
  local vdevs=() v
  for v in "$@"; do vdevs+=(--vdev "$v"); done
  : > "$log.ticks"
  { sleep "$warmup"; testpmd_worker_ticks "$prefix" >> "$log.ticks"; echo "show port stats all"; sleep "$seconds"
    testpmd_worker_ticks "$prefix" >> "$log.ticks"; echo "show port stats all"; sleep 1; echo stop; echo quit; } |
    timeout $((warmup + seconds + 60)) dpdk-testpmd "${testpmd_eal[@]}" --file-prefix "$prefix" -l "0,$cpu" \
      "${vdevs[@]}" -- -i --forward-mode="$mode" --nb-cores=1 --auto-start --total-num-mbufs=16384 > "$log" 2>&1 || true
}

# testpmd_cpu_seconds LOG: CPU seconds the forwarding thread got between the two statistics of testpmd_run.
testpmd_cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" 'NR == 1 { a = $1 } NR == 2 { printf "%.2f", ($1 - a) / hz }' "$1.ticks"
}

# testpmd_rates LOG: "WALL_MPPS CPU_MPPS" of a testpmd_run over two ports: the Tx-pps testpmd reports at the second
# statistics (the rate since the first), and the packets sent in between per CPU-second of the forwarding thread.
# Exits the script if testpmd printed no rates.
testpmd_rates() {
  local log=$1 wall sent
  wall=$(grep 'Tx-pps' "$log" | tail -2 | awk '{ s += $2 } END { if (NR < 2) exit 1; printf "%.3f", s / 1e6 }') ||
    { echo "testpmd failed, see $log" >&2; tail -20 "$log" >&2; exit 1; }
  sent=$(grep 'TX-packets:.*TX-errors' "$log" | awk '{ v[NR] = $2 } END { print v[3] + v[4] - v[1] - v[2] }')
  awk -v w="$wall" -v s="$sent" -v c="$(testpmd_cpu_seconds "$log")" \
    'BEGIN { printf "%s %.3f", w, (c > 0 ? s / c / 1e6 : 0) }'
}

# run_isthmus LOG COMMAND...: runs COMMAND (a JVM) with its output in LOG; on failure says so, shows the end of LOG
# and exits the script.
run_isthmus() {
  local log=$1; shift
  "$@" > "$log" 2>&1 || { echo "Isthmus failed, see $log" >&2; tail -20 "$log" >&2; exit 1; }
}
