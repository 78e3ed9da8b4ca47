#!/usr/bin/env bash
# End to end over net_memif: ./isthmus ndr (generator process, CPU $GEN_CPU, default 0) against an Isthmus data plane
# serving the sample zone (device-under-test process, CPU $DUT_CPU, default 1), then the same search against
# dpdk-testpmd --forward-mode=macswap as the device under test on the same memif, as the reference.
#
# Isthmus answers the DNS query mix of perf/profiles/dns-mix.yml (every answer matched to its query, RCODE and
# answer count checked; loss = queries not answered). testpmd cannot answer DNS, so the reference search offers
# UDP frames of the same size carrying the generator's signature, which macswap sends back. Both searches: NDR, PDR
# (loss <= 0.5%) and latency at 10/50/90% of NDR, short trials (this is a shared machine: see perf/RESULTS.md).
# Usage: ./isthmus bench e2e-dns [TRIAL_SECONDS (default 2)] [MAX_RATE_PPS (default 2000000)]
# Prints both searches and, as the last line, ratio=<isthmus NDR / testpmd NDR>.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/common.sh"
require_launcher e2e-dns
trial=${1:-2}
max=${2:-2000000}
gen_cpu=${GEN_CPU:-0}
dut_cpu=${DUT_CPU:-1}
out="$root/perf/target/bench-e2e-dns"
mkdir -p "$out"
rm -rf "$out/classes" && cp -r "$root/perf/target/classes" "$out/classes"
cp=("$out/classes:$root/perf/target/lib/*")
socket="$out/memif.sock"
zone="$root/dns-server/src/main/resources/zones/example.test.zone"
fifo="$out/dut.in"
dut_pid=

# The device under test reads its standard input from a FIFO held open on fd 3; closing it stops the device.
start_dut() { # LOG COMMAND...
  local log=$1; shift
  rm -f "$fifo"; mkfifo "$fifo"
  "$@" < "$fifo" > "$log" 2>&1 &
  dut_pid=$!
  exec 3> "$fifo"
}
stop_dut() {
  [ -n "$dut_pid" ] || return 0
  exec 3>&-
  for _ in $(seq 50); do kill -0 "$dut_pid" 2>/dev/null || break; sleep 0.2; done
  kill "$dut_pid" 2>/dev/null || true
  wait "$dut_pid" 2>/dev/null || true
  dut_pid=
  rm -f "$socket" "$fifo"
}
trap stop_dut EXIT

# The generator's TX lcore is pinned to $gen_cpu; its RX lcore is not pinned (two CPUs: it shares them).
profile() { # NAME BODY
  cat > "$out/$1.yml" <<YML
eal: {file-prefix: isthmuse2egen}
lcores: {tx: $gen_cpu, rx: -1}
ports:
  - name: dut
    device: net_memif0
    args: role=client,socket=$socket,id=0
    streams:
$2
YML
}
profile dns "      - name: dns
        rate: ${max}pps
        packet:
          eth: {src: \"02:00:00:00:00:01\", dst: \"02:00:00:00:00:53\"}
          ipv4: {src: 198.18.1.1-198.18.1.254, dst: 198.18.0.53}
          udp: {src-port: 10000-59999, dst-port: 53}
          dns:
            - {name: www.example.test, type: A, weight: 8, rcode: NOERROR, answers: 1}
            - {name: www.example.test, type: AAAA, weight: 4, rcode: NOERROR, answers: 1}
            - {name: example.test, type: NS, weight: 1, rcode: NOERROR, answers: 2}
            - {name: ftp.example.test, type: A, weight: 1, rcode: NOERROR, answers: 2}
            - {name: web.apps.example.test, type: A, weight: 2, rcode: NOERROR, answers: 1}
            - {name: nope.example.test, type: A, weight: 2, rcode: NXDOMAIN, answers: 0}"
profile udp "      - name: udp
        rate: ${max}pps
        latency: true
        packet:
          eth: {src: \"02:00:00:00:00:01\", dst: \"02:00:00:00:00:53\"}
          ipv4: {src: 198.18.1.1-198.18.1.254, dst: 198.18.0.53}
          udp: {src-port: 10000-59999, dst-port: 9}
          size: 80"

wait_for() { # FILE PATTERN
  for _ in $(seq 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "timed out waiting for '$2' in $1" >&2; tail -20 "$1" >&2; exit 1
}

search() { # NAME: runs ./isthmus ndr with profile NAME; prints its output, the NDR last
  local log="$out/ndr-$1.log"
  # shellcheck disable=SC2086
  "$JAVA" $ISTHMUS_JVM_FLAGS ${ISTHMUS_JAVA_OPTS:-} -cp "${cp[0]}" dev.isthmus.perf.gen.ndr.NdrMain \
    --profile "$out/$1.yml" --trial "$trial" --initial-trial 0.5 --max-trials 14 --precision 0.02 \
    --min-rate 1000 --svg "$out/ndr-$1.svg" --json > "$log" 2>&1 || { tail -20 "$log" >&2; exit 1; }
  sed 's/^/    /' "$log" | grep -v '^    {' >&2
  tail -1 "$log" | /usr/bin/python3 -c 'import json, sys; print("%.0f" % json.load(sys.stdin)["ndr"])'
}

echo "== bench e2e-dns: generator (CPU $gen_cpu) <-> net_memif <-> device under test (CPU $dut_cpu), trials ${trial}s"
echo "  $(machine_summary)"

rm -f "$socket"
# shellcheck disable=SC2086
start_dut "$out/dut.log" "$JAVA" $ISTHMUS_JVM_FLAGS -cp "${cp[0]}" dev.isthmus.perf.gen.DeviceUnderTest dns \
  net_memif0 "role=server,socket=$socket,id=0" "$dut_cpu" isthmuse2edut "$zone"
wait_for "$out/dut.log" "dut ready"
echo "-- isthmus: the DNS data plane answering the sample zone's query mix"
isthmus_ndr=$(search dns)
stop_dut
sed 's/^/    device under test: /' "$out/dut.log" | grep 'dut rx' || true

echo "-- testpmd macswap on the same memif, UDP frames of the same size"
start_dut "$out/testpmd.log" dpdk-testpmd "${testpmd_eal[@]}" --file-prefix isthmuse2etp -l "0,$dut_cpu" \
  --vdev "net_memif0,role=server,socket=$socket,id=0" -- -i --forward-mode=macswap --nb-cores=1 --auto-start \
  --total-num-mbufs=16384
wait_for "$out/testpmd.log" "testpmd>"
testpmd_ndr=$(search udp)
stop_dut

echo "isthmus dns NDR ${isthmus_ndr} pps, testpmd macswap NDR ${testpmd_ndr} pps"
echo "ratio=$(ratio "$isthmus_ndr" "$testpmd_ndr")"
