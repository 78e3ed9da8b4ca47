#!/usr/bin/env bash
# The DNS engine alone (no sockets): queries answered per second on one thread, with -prof gc.
# Usage: ./isthmus bench dns-engine [JMH run options, replacing the default -f 1 -wi 3 -w 2s -i 5 -r 2s]
# Prints, per benchmark, queries/s (wall), queries per CPU-second of the benchmark thread, and allocation per query.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/common.sh"
require_launcher dns-engine
out="$root/perf/target/bench-dns-engine"
mkdir -p "$out"
[ $# -gt 0 ] || set -- -f 1 -wi 3 -w 2s -i 5 -r 2s
bash "$here/jmh.sh" 'dev\.isthmus\.perf\.dns\.DnsEngineBenchmark' -prof gc -rf json -rff "$out/jmh.json" "$@" \
  > "$out/jmh.log" 2>&1 || { echo "bench dns-engine: JMH failed, see $out/jmh.log" >&2; tail -30 "$out/jmh.log" >&2; exit 1; }
/usr/bin/python3 - "$out/jmh.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))
if not results:
    sys.exit("bench dns-engine: JMH wrote no results")
print("DNS engine alone, one thread (bench.test: 1000 hosts; see DnsEngineBenchmark):")
for r in results:
    name = r["benchmark"].rsplit(".", 1)[1]
    m = r.get("secondaryMetrics", {})
    qps = r["primaryMetric"]["score"]
    cpu = m["queries"]["score"] / m["cpuNanos"]["score"] * 1e9 if m.get("cpuNanos", {}).get("score") else float("nan")
    alloc = m.get("gc.alloc.rate.norm", {}).get("score", float("nan"))
    print(f"  {name:<9} {qps/1e6:6.2f} M queries/s (wall)   {cpu/1e6:6.2f} M queries per CPU-second   alloc {alloc:.3f} B/query")
PY
