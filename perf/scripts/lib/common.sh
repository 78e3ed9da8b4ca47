# Shell shared by the perf/scripts benchmarks; sourced, not run. Defines `root` (the repository) and functions.
# A script sources it with:
#   here=$(cd "$(dirname "$0")" && pwd)
#   . "$here/lib/common.sh"
# The testpmd_* functions read the calling script's `cpu` (forwarding CPU), `warmup` and `seconds`.
# shellcheck shell=bash

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)

# Fail fast, and say where: a benchmark that goes on after a failed run prints zeros as if they were figures.
# errexit inside $(...) too (inherit_errexit), so `x=$(fn)` stops the script when fn fails; errtrace so that the ERR
# trap, which names the failed command and its line, also fires in functions and subshells. Scripts must not read a
# function's figures with `read a b <<< "$(fn)"`: read succeeds on empty input and the failure is lost. Assign
# first (`r=$(fn)`, which fails the script), then `read -r a b <<< "$r"`.
set -eEuo pipefail
shopt -s inherit_errexit
# ($? first: the $(basename) after it would reset it.)
trap 'echo "exit status $? from \"$BASH_COMMAND\" at line $LINENO of $(basename "$0"), stopping" >&2' ERR

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

# dns_server_classpath: the class path bench zone-scale and bench dns-kernel start KernelDnsMain (the server of
# ./isthmus dns) with, from the modules' build output: the engine's classes, the dataplane module's (the engine sums
# checksums with its InternetChecksum, plain Java) and native-bindings' (which dataplane's classes name). One place, so
# that a new dependency of the engine is added once; perf's DnsServerClassPathTest starts the server on it and asks a
# question. (./isthmus dns itself runs on control-api's class path, which holds all three jars.)
dns_server_classpath() {
  echo "$root/dns-server/target/classes:$root/dataplane/target/classes:$root/native-bindings/target/classes"
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
      "${vdevs[@]}" -- -i --forward-mode="$mode" --nb-cores=1 --auto-start --total-num-mbufs=16384 > "$log" 2>&1 ||
    { local rc=$?; echo "dpdk-testpmd failed (exit $rc; 124: timed out) forwarding $mode between $*, see $log" >&2
      tail -20 "$log" >&2; exit 1; }
}

# testpmd_cpu_seconds LOG: CPU seconds the forwarding thread got between the two statistics of testpmd_run.
testpmd_cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" 'NR == 1 { a = $1 } NR == 2 { printf "%.2f", ($1 - a) / hz }' "$1.ticks"
}

# testpmd_rates LOG: "WALL_MPPS CPU_MPPS" of a testpmd_run over two ports: the Tx-pps testpmd reports at the second
# statistics (the rate since the first), and the packets sent in between per CPU-second of the forwarding thread.
# Exits the script, saying why, if testpmd printed no rates or they are not both above zero.
testpmd_rates() {
  local log=$1 wall sent
  wall=$(grep 'Tx-pps' "$log" | tail -2 | awk '{ s += $2 } END { if (NR < 2) exit 1; printf "%.3f", s / 1e6 }') ||
    { echo "testpmd printed no rates, see $log" >&2; tail -20 "$log" >&2; exit 1; }
  sent=$(grep 'TX-packets:.*TX-errors' "$log" | awk '{ v[NR] = $2 } END { if (NR < 4) exit 1; print v[3] + v[4] - v[1] - v[2] }') ||
    { echo "testpmd printed fewer than two port statistics, see $log" >&2; tail -20 "$log" >&2; exit 1; }
  figures "testpmd" "$log" 2 "$wall" "$(awk -v s="$sent" -v c="$(testpmd_cpu_seconds "$log")" \
    'BEGIN { printf "%.3f", (c > 0 ? s / c / 1e6 : 0) }')"
}

# figures WHAT LOG N VALUE...: prints the N values, space-separated, when there are N and each is a number above
# zero; otherwise says that WHAT gave no usable figures, shows the end of LOG and exits (the script, or the $(...)
# it runs in, whose assignment then stops the script).
figures() {
  local what=$1 log=$2 n=$3; shift 3
  local v
  if [ $# -ne "$n" ]; then
    echo "$what: expected $n figures, got $# ('$*'), see $log" >&2; tail -20 "$log" >&2; exit 1
  fi
  for v in "$@"; do
    if ! awk -v v="$v" 'BEGIN { exit !(v ~ /^[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?$/ && v + 0 > 0) }'; then
      echo "$what: figure '$v' is not a number above zero (of '$*'), see $log" >&2; tail -20 "$log" >&2; exit 1
    fi
  done
  echo "$*"
}

# run_isthmus LOG COMMAND...: runs COMMAND (a JVM) with its output in LOG; on failure says so, shows the end of LOG
# and exits the script.
run_isthmus() {
  local log=$1; shift
  "$@" > "$log" 2>&1 || { echo "Isthmus failed (exit $?), see $log" >&2; tail -20 "$log" >&2; exit 1; }
}

# result_figures WHAT LOG FIELD...: the fields numbered FIELD... (1 = "RESULT") of LOG's RESULT line, as figures
# checks them (a Java benchmark prints that line last; without it, or with a zero, the run failed).
result_figures() {
  local what=$1 log=$2; shift 2
  local line f words=() values=()
  line=$(grep -m1 '^RESULT' "$log") || { echo "$what: no RESULT line, see $log" >&2; tail -20 "$log" >&2; exit 1; }
  read -r -a words <<< "$line"
  for f in "$@"; do values+=("${words[f - 1]:-}"); done
  figures "$what" "$log" $# "${values[@]}"
}
