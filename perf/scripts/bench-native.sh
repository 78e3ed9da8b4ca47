#!/usr/bin/env bash
# Cost of one rx_burst(32) + free_bulk on net_null: C (the reference, as its own process and inside the JMH run),
# then Java through the C shim with and without Linker.Option.critical and through the MbufBurst facade.
# Usage: ./isthmus bench native [JMH run options, replacing the default -f 1 -wi 3 -w 2s -i 5 -r 2s]
# Prints the figures and each variant's ratio to the C loop of the same JMH run. JSON goes to perf/target/bench-native/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/common.sh"
require_launcher native
out="$root/perf/target/bench-native"
mkdir -p "$out"

# Same EAL arguments as Eal.TEST_ARGUMENTS, which the Java benchmark uses; both pin the measuring thread to CPU 0.
eal_args=(--no-huge --no-pci --no-shconf -m 512 --no-telemetry '--log-level=*:warning')

[ $# -gt 0 ] || set -- -f 1 -wi 3 -w 2s -i 5 -r 2s
native_dir=$(bash "$here/build-native-bench.sh")
echo "== C reference: rte_eth_rx_burst(32) + rte_pktmbuf_free_bulk on net_null"
"$native_dir/rx_free_bench" "${eal_args[@]}" | tee "$out/c.txt"
c_ns=$(figures "the C reference (rx_free_bench)" "$out/c.txt" 1 "$(awk '/^c_ns_per_op/ {print $2}' "$out/c.txt")")

echo "== JMH: the same loop in C inside the JVM (cLoop), and from Java through the shim"
ISTHMUS_JVM_FLAGS="$ISTHMUS_JVM_FLAGS -Disthmus.bench.native.dir=$native_dir" bash "$here/jmh.sh" 'dev\.isthmus\.perf\.nativecall\.RxFreeBenchmark' -prof gc \
  -rf json -rff "$out/jmh.json" "$@" || { echo "bench native: JMH failed (its output is above)" >&2; exit 1; }

/usr/bin/python3 - "$out/jmh.json" "$c_ns" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))
c_ns = float(sys.argv[2])

def cpu_per_burst(r):
    """Benchmark-thread CPU ns per burst, over all iterations (from the CpuTime aux counters)."""
    m = r.get("secondaryMetrics", {})
    if "cpuNanos" not in m or "bursts" not in m or m["bursts"]["score"] == 0:
        return float("nan")
    return m["cpuNanos"]["score"] / m["bursts"]["score"]
print()
print("rx_burst(32) + free_bulk on net_null, ns per burst (lower is better).")
print("'best' is the fastest round/iteration (the C program reports only its best round): on a shared machine it")
print("is the figure least disturbed by other load; 'mean' is JMH's score with its 99.9% error; 'cpu' is the")
print("measuring thread's CPU time per burst, which time spent descheduled does not inflate.")
print(f"  {'C (own process)':<18} best {c_ns:8.1f}   (its thread CPU time per round is printed above)")
c_loop = next(r for r in results if r["benchmark"].endswith(".cLoop"))
c_loop_cpu = cpu_per_burst(c_loop)
for r in sorted((r for r in results if not r["benchmark"].rsplit(".", 1)[1].startswith("call")),
               key=lambda r: r["primaryMetric"]["score"]):
    name = r["benchmark"].rsplit(".", 1)[1]
    metric = r["primaryMetric"]
    best = min(v for fork in metric["rawData"] for v in fork)
    alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score", float("nan"))
    cpu = cpu_per_burst(r)
    label = {"cLoop": "C (in the JVM)", "cViewLoop": "C + view fill"}.get(name, "Java " + name)
    print(f"  {label:<18} best {best:8.1f}   mean {metric['score']:8.1f} ± {metric['scoreError']:6.1f}"
          f"   cpu {cpu:8.1f}   C/this (cpu, same run) = {c_loop_cpu / cpu:4.2f}   alloc {alloc:.2f} B/op")
print()
print("One call of a trivial shim function (rte_lcore_id), ns per call (the benchmark loop included):")
for r in results:
    name = r["benchmark"].rsplit(".", 1)[1]
    if name.startswith("call"):
        metric = r["primaryMetric"]
        best = min(v for fork in metric["rawData"] for v in fork)
        print(f"  {name:<18} best {best:6.2f}   mean {metric['score']:6.2f} ± {metric['scoreError']:.2f}"
              f"   cpu {cpu_per_burst(r):6.2f}")
PY
