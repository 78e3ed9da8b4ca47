#!/usr/bin/env bash
# DNS over a veth: ./isthmus gen against kxdpgun (Knot's AF_XDP DNS generator, Debian knot-dnsutils), both sending
# the same queries (www.example.test A and AAAA, one each in turn) to the same responder over the same veth pair,
# one core each, same run. Queries per second offered and answered, for both.
#
# The veth pair: veth-gen (this namespace, 198.18.10.1/24) <-> veth-dut (namespace isthmus-genveth,
# 198.18.10.53/24); both are created here and removed on exit. The responder is Knot in XDP mode on veth-dut, on
# CPU 0: the fastest DNS server at hand on this kernel path (it answers from its own AF_XDP socket, no socket layer),
# so that the generators, not the responder, are what is measured by the offered rate; the answered rate shows how
# much of it the responder took (the same responder for both). The generators run on CPU $CPU (default 1), the
# whole process confined to it with taskset: kxdpgun -F $CPU (one thread sending and receiving), ./isthmus gen with
# its TX and RX on one lcore (lcores {tx: CPU, rx: CPU}) over net_af_xdp on veth-gen, its JIT and GC threads on
# the same CPU. Both are asked for $QPS queries per second (default 10 M: as fast as they can).
#
# Usage: ./isthmus bench gen-veth [SECONDS (default 5)] [WARMUP_SECONDS (default 3, the generator only: it runs the
# profile that long first, unreported, so that the JIT has compiled its loops; kxdpgun needs none)]
# Each generator runs ROUNDS times (default 2), alternating; the best round counts. Needs root.
# Prints qps offered and answered for both and, as the last line, ratio=<gen offered qps / kxdpgun offered qps>.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/common.sh"
require_launcher gen-veth
seconds=${1:-5}
warmup=${2:-3}
cpu=${CPU:-1}
rounds=${ROUNDS:-2}
qps=${QPS:-10000000}
ns=isthmus-genveth
for tool in kxdpgun knotd kdig taskset ethtool; do
  command -v "$tool" >/dev/null ||
    { echo "bench gen-veth: $tool is missing (Debian: knot knot-dnsutils util-linux ethtool)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "bench gen-veth: needs root (a namespace, a veth pair, XDP)" >&2; exit 1; }
out="$root/perf/target/bench-gen-veth"
mkdir -p "$out"
rm -rf "$out/classes" && cp -r "$root/perf/target/classes" "$out/classes"
work=$(mktemp -d /tmp/isthmus-gen-veth.XXXXXX)
knot_pid=

cleanup() {
  if [ -n "$knot_pid" ]; then kill "$knot_pid" 2>/dev/null || true; wait "$knot_pid" 2>/dev/null || true; fi
  ip netns del "$ns" 2>/dev/null || true
  ip link del veth-gen 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ip netns del "$ns" 2>/dev/null || true
ip link del veth-gen 2>/dev/null || true
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
ip link add veth-gen type veth peer name veth-dut netns "$ns"
ip addr add 198.18.10.1/24 dev veth-gen
ip link set veth-gen up
ip netns exec "$ns" ip addr add 198.18.10.53/24 dev veth-dut
ip netns exec "$ns" ip link set veth-dut up
gen_mac=$(cat /sys/class/net/veth-gen/address)
dut_mac=$(ip netns exec "$ns" cat /sys/class/net/veth-dut/address)

cat > "$work/example.test.zone" <<'ZONE'
$ORIGIN example.test.
$TTL 3600
@ SOA ns1 hostmaster 1 7200 3600 1209600 300
  NS ns1
ns1 A 198.18.10.53
www A 198.18.10.80
    AAAA 2001:db8::80
ZONE
cat > "$work/knot.conf" <<CONF
server:
  rundir: "$work"
  listen: 198.18.10.53@53
  udp-workers: 1
  tcp-workers: 1
  background-workers: 1
xdp:
  listen: veth-dut
  udp: on
database:
  storage: "$work"
log:
  - target: stderr
    any: info
template:
  - id: default
    storage: "$work"
    zonefile-sync: -1
    journal-content: none
zone:
  - domain: example.test
    file: "$work/example.test.zone"
CONF
ip netns exec "$ns" taskset -c 0 knotd -c "$work/knot.conf" > "$work/knot.log" 2>&1 &
knot_pid=$!
for i in $(seq 1 50); do
  kdig @198.18.10.53 +time=1 +retry=0 +short www.example.test A 2>/dev/null | grep -q '^198\.18\.10\.80$' && break
  [ "$i" = 50 ] && { echo "bench gen-veth: Knot does not answer, see below" >&2; cat "$work/knot.log" >&2; exit 1; }
  sleep 0.1
done
grep -q 'XDP interface veth-dut' "$work/knot.log" ||
  { echo "bench gen-veth: Knot did not take veth-dut in XDP mode" >&2; cat "$work/knot.log" >&2; exit 1; }

printf 'www.example.test A\nwww.example.test AAAA\n' > "$work/queries"
cat > "$work/gen.yml" <<YML
eal: {file-prefix: isthmusgenveth}
lcores: {tx: $cpu, rx: $cpu}
ports:
  - name: veth
    device: net_af_xdp0
    args: iface=veth-gen,start_queue=0,queue_count=1
    streams:
      - name: dns
        rate: $((qps / 1000))kpps
        packet:
          eth: {src: "$gen_mac", dst: "$dut_mac"}
          ipv4: {src: 198.18.10.1, dst: 198.18.10.53}
          udp: {src-port: 10000-59999, dst-port: 53}
          dns:
            - {name: www.example.test, type: A, weight: 1, rcode: NOERROR, answers: 1}
            - {name: www.example.test, type: AAAA, weight: 1, rcode: NOERROR, answers: 1}
YML

# Removes the XDP program a generator left on veth-gen (kxdpgun leaves its own attached, and an AF_XDP socket
# cannot then be bound by the next one).
detach_xdp() {
  ip link set dev veth-gen xdp off 2>/dev/null || true
}

# "QUERY_DROPS ANSWER_DROPS": frames the veth dropped so far on its way to the responder (veth-dut's XDP receive:
# Knot's socket or the veth ring full) and on the way back (veth-gen's: the generator's socket full).
veth_drops() {
  local q a
  q=$(ip netns exec "$ns" ethtool -S veth-dut | awk '/rx_queue_0_drops:/ { print $2 }')
  a=$(ethtool -S veth-gen | awk '/rx_queue_0_drops:/ { print $2 }')
  echo "${q:-0} ${a:-0}"
}

# show_drops BEFORE AFTER NAME: the drops of one run, on stderr.
show_drops() {
  local qb ab qa aa
  read -r qb ab <<< "$1"; read -r qa aa <<< "$2"
  printf '    %s: %d queries dropped before Knot, %d answers dropped before the generator (veth counters)\n' \
    "$3" $((qa - qb)) $((aa - ab)) >&2
}

# kxdpgun on CPU $cpu: prints "OFFERED_QPS ANSWERED_QPS".
kxdpgun_run() {
  local log="$out/kxdpgun.log" sent replies
  detach_xdp
  taskset -c "$cpu" kxdpgun -t "$seconds" -Q "$qps" -F "$cpu" -I veth-gen -i "$work/queries" 198.18.10.53 \
    > "$log" 2>&1 || { echo "kxdpgun failed (exit $?), see $log" >&2; tail -20 "$log" >&2; exit 1; }
  sent=$(awk '/^total queries:/ { print $3 }' "$log")
  replies=$(awk '/^total replies:/ { print $3 }' "$log")
  figures kxdpgun "$log" 2 "$(awk -v s="$sent" -v t="$seconds" 'BEGIN { printf "%.0f", s / t }')" \
    "$(awk -v s="$replies" -v t="$seconds" 'BEGIN { printf "%.0f", s / t }')"
}

# ./isthmus gen on CPU $cpu: prints "OFFERED_QPS ANSWERED_QPS" of the measured run (after the warm-up run).
gen_run() {
  local log="$out/gen.log" r
  detach_xdp
  # shellcheck disable=SC2086
  run_isthmus "$log" taskset -c "$cpu" "$JAVA" $ISTHMUS_JVM_FLAGS ${ISTHMUS_JAVA_OPTS:-} \
    -cp "$out/classes:$root/perf/target/lib/*" dev.isthmus.perf.gen.GenMain --profile "$work/gen.yml" \
    --duration "$seconds" --warmup "$warmup" --json
  r=$(grep '^{' "$log" | tail -1 | /usr/bin/python3 -c 'import json, sys
r = json.load(sys.stdin)
s = r["streams"][0]
bad = sum(s["dnsMismatches"].values())
print("    isthmus gen: %d answers matched, %d mismatched, %d bytes allocated by the lcore after its first second"
      % (s["received"], bad, r["txAllocatedBytes"]), file=sys.stderr)
print("%.0f %.0f" % (s["sent"] / r["seconds"], s["received"] / r["seconds"]))')
  figures "isthmus gen" "$log" 2 $r
}

echo "== bench gen-veth: DNS queries over a veth to Knot (XDP, CPU 0), each generator on CPU $cpu, ${seconds}s, best of $rounds rounds"
echo "  $(machine_summary)"
ko=0; ka=0; go=0; ga=0
for ((r = 1; r <= rounds; r++)); do
  d0=$(veth_drops); res=$(kxdpgun_run); d1=$(veth_drops); show_drops "$d0" "$d1" kxdpgun; read -r o a <<< "$res"
  printf '  round %d kxdpgun       offered %9d qps  answered %9d qps\n' "$r" "$o" "$a"
  ko=$(max "$ko" "$o"); ka=$(max "$ka" "$a")
  d0=$(veth_drops); res=$(gen_run); d1=$(veth_drops); show_drops "$d0" "$d1" "isthmus gen (warm-up run included)"
  read -r o a <<< "$res"
  printf '  round %d isthmus gen   offered %9d qps  answered %9d qps\n' "$r" "$o" "$a"
  go=$(max "$go" "$o"); ga=$(max "$ga" "$a")
done
printf 'kxdpgun        offered %9d qps  answered %9d qps\n' "$ko" "$ka"
printf 'isthmus gen    offered %9d qps  answered %9d qps   ratio answered %s\n' "$go" "$ga" "$(ratio "$ga" "$ka")"
echo "ratio=$(ratio "$go" "$ko")"
