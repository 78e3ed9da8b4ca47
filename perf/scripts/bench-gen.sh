#!/usr/bin/env bash
# The generator's TX rate on one lcore into net_null against dpdk-testpmd --forward-mode=txonly on the same vdev,
# same run: both send 64-byte UDP/IPv4 frames as fast as they can on CPU $CPU (default 1). ./isthmus gen's stream
# is resident (its pool's mbufs hold the template): per packet it writes the lengths, the signature's sequence and
# send time and the UDP checksum updated from the template's base sum; testpmd txonly resets each mbuf and copies
# its 42 bytes of fixed headers (no UDP checksum, no timestamp).
#
# Two figures, as bench forward: wall-clock Mpps, and Mpps per CPU-second of the sending thread (testpmd's
# rte-worker from /proc, the generator's TX lcore from the JVM); ratios use the second. Each program runs ROUNDS
# times (default 2), alternating; the best round counts.
# Usage: ./isthmus bench gen [SECONDS (default 10)] [WARMUP_SECONDS (default 3, testpmd only: the generator warms
# up before it starts its clock)]
# Prints Mpps for both and, as the last line, ratio=<isthmus/testpmd> per CPU-second.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/common.sh"
require_launcher gen
seconds=${1:-10}
warmup=${2:-3}
cpu=${CPU:-1}
rounds=${ROUNDS:-2}
out="$root/perf/target/bench-gen"
mkdir -p "$out"
rm -rf "$out/classes" && cp -r "$root/perf/target/classes" "$out/classes"

profile="$out/txonly.yml"
cat > "$profile" <<YML
eal: {file-prefix: isthmusgenbench}
lcores: {tx: $cpu, rx: -1}
ports:
  - name: sink
    device: net_null0
    args: size=64,no-rx=1
    streams:
      - name: txonly
        rate: 1000mpps
        packet:
          ipv4: {src: 198.18.0.1, dst: 198.18.0.2}
          udp: {src-port: 9, dst-port: 9}
          size: 64
YML

# testpmd txonly on one port: prints "WALL_MPPS CPU_MPPS".
testpmd() {
  local log="$out/testpmd.log"
  testpmd_run "$log" isthmusgentp txonly "net_null0,size=64,no-rx=1"
  local wall sent
  wall=$(grep 'Tx-pps' "$log" | tail -1 | awk '{ printf "%.3f", $2 / 1e6 }')
  [ -n "$wall" ] || { echo "testpmd failed, see $log" >&2; tail -20 "$log" >&2; exit 1; }
  sent=$(grep 'TX-packets:.*TX-errors' "$log" | awk '{ v[NR] = $2 } END { print v[2] - v[1] }')
  awk -v w="$wall" -v s="$sent" -v c="$(testpmd_cpu_seconds "$log")" \
    'BEGIN { printf "%s %.3f", w, (c > 0 ? s / c / 1e6 : 0) }'
}

# ./isthmus gen on the same vdev: prints "WALL_MPPS CPU_MPPS".
isthmus() {
  local log="$out/isthmus.log"
  # shellcheck disable=SC2086
  run_isthmus "$log" "$JAVA" $ISTHMUS_JVM_FLAGS ${ISTHMUS_JAVA_OPTS:-} -cp "$out/classes:$root/perf/target/lib/*" \
    dev.isthmus.perf.gen.GenMain --profile "$profile" --duration "$seconds" --json
  grep '^TX lcore\|^{' "$log" | sed -n 's/^TX lcore/    isthmus TX lcore/p' >&2
  tail -1 "$log" | /usr/bin/python3 -c 'import json, sys
r = json.load(sys.stdin)
print("    isthmus gen: %d bytes allocated by the TX lcore after its first second" % r["txAllocatedBytes"], file=sys.stderr)
print("%.3f %.3f" % (r["sent"] / r["seconds"] / 1e6, r["sent"] / r["txCpuSeconds"] / 1e6 if r["txCpuSeconds"] > 0 else 0))'
}

echo "== bench gen: TX on one core (CPU $cpu) into net_null, 64-byte frames, ${seconds}s windows, best of $rounds rounds"
echo "  $(machine_summary)"
tw=0; tc=0; iw=0; ic=0
for ((r = 1; r <= rounds; r++)); do
  read -r w c <<< "$(testpmd)"
  printf '  round %d testpmd txonly  %7.2f Mpps wall  %7.2f Mpps/CPU-s\n' "$r" "$w" "$c"
  tw=$(max "$tw" "$w"); tc=$(max "$tc" "$c")
  read -r w c <<< "$(isthmus)"
  printf '  round %d isthmus gen     %7.2f Mpps wall  %7.2f Mpps/CPU-s\n' "$r" "$w" "$c"
  iw=$(max "$iw" "$w"); ic=$(max "$ic" "$c")
done
printf 'testpmd txonly  %7.2f Mpps (%7.2f Mpps/CPU-s)\n' "$tw" "$tc"
printf 'isthmus gen     %7.2f Mpps (%7.2f Mpps/CPU-s)   ratio wall %s\n' "$iw" "$ic" "$(ratio "$iw" "$tw")"
echo "ratio=$(ratio "$ic" "$tc")"
