#!/usr/bin/env bash
# Handoff rings, one producer and one consumer thread, bulk 1/8/32: Isthmus's MbufRing (SP/SC and MP/MC), DPDK's
# rte_ring through the shim, JCTools' SpscArrayQueue/MpmcArrayQueue, all in one JMH run (RingBenchmark).
# Usage: ./isthmus bench ring [JMH options, replacing the default -f 1 -wi 3 -w 2s -i 5 -r 2s]
# Prints elements moved per second through the pair (the consumer's rate) and each ring's ratio to rte_ring and to
# JCTools of the same bulk and mode. JSON goes to perf/target/bench-ring/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/common.sh"
require_launcher ring
out="$root/perf/target/bench-ring"
mkdir -p "$out"
[ $# -gt 0 ] || set -- -f 1 -wi 3 -w 2s -i 5 -r 2s
echo "bench ring: $(machine_summary)"
bash "$here/jmh.sh" 'dev\.isthmus\.perf\.dataplane\.RingBenchmark' -rf json -rff "$out/jmh.json" "$@" > "$out/jmh.log" 2>&1 ||
  { tail -30 "$out/jmh.log" >&2; exit 1; }
/usr/bin/python3 - "$out/jmh.json" <<'PY'
import json, sys
import math
results = json.load(open(sys.argv[1]))
if not any(r["benchmark"].endswith((".sameThread", ".pair")) for r in results):
    sys.exit("bench ring: JMH wrote no RingBenchmark results")

def table(title, benchmark_suffix, metric):
    rows = {}
    for r in results:
        if not r["benchmark"].endswith(benchmark_suffix):
            continue
        m = r["secondaryMetrics"].get(metric)
        if m:
            err = m["scoreError"]
            rows[(r["params"]["ring"], int(r["params"]["bulk"]))] = (m["score"], float(err) if err != "NaN" else math.nan)
    if not rows:
        return
    print(title)
    print(f"  {'ring':<14}{'bulk':>5}{'Melem/s':>10}{'±':>8}{'vs rte_ring':>13}{'vs JCTools':>12}")
    for (ring, bulk), (score, err) in sorted(rows.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        mode = ring.split("-")[1]
        dpdk = rows.get(("dpdk-" + mode, bulk), (0, 0))[0]
        jct = rows.get(("jctools-" + mode, bulk), (0, 0))[0]
        print(f"  {ring:<14}{bulk:>5}{score / 1e6:>10.1f}{err / 1e6:>8.1f}{score / dpdk if dpdk else 0:>13.2f}"
              f"{score / jct if jct else 0:>12.2f}")

table("same thread: enqueue bulk then dequeue bulk, elements/s (JMH mean, ± 99.9% error)", ".sameThread", "consumed")
table("producer/consumer pair: elements/s through the pair (consumer's rate; needs two idle cores)", ".pair", "consumed")
PY
