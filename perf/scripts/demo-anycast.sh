#!/usr/bin/env bash
# ./isthmus demo anycast [--check]: two appliances announce one DNS service address by BGP to a router that spreads
# clients over them by ECMP; one stops cleanly, later the other is killed with SIGKILL, and a client's steady query
# loop shows what each failover cost.
#
#   [isthmus-dc] client 198.18.73.2 ── 198.18.73.1 [isthmus-dr: router, BIRD 2, ECMP] 198.18.71.1 ── veth ── A (198.18.71.53)
#                                                                                 198.18.72.1 ── veth ── B (198.18.72.53)
#   A and B: separate ./isthmus run processes (net_af_packet uplinks on the veths, file prefixes isthmusda/isthmusdb,
#   adaptive idle polling so four programs share two CPUs), both serving example.test and announcing 198.18.53.53/32.
#
# --check (what ./isthmus test runs) fails unless: both boxes are announced and answer; a clean stop loses no query;
# the box comes back and takes traffic again; a kill -9 loses queries only within the BGP hold time (9 s, plus the
# prober's 1 s timeout). Everything is torn down at the end, also on Ctrl-C.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
check=0
[ "${1:-}" = --check ] && check=1
[ "$(id -u)" -eq 0 ] || { echo "demo anycast needs root (namespaces, veths, DPDK, BIRD)" >&2; exit 1; }
command -v bird >/dev/null || { echo "demo anycast needs BIRD 2 (Debian: bird2)" >&2; exit 1; }
out="$root/perf/target/demo-anycast"
mkdir -p "$out"
service=198.18.53.53
hold=9
declare -A pid=()
failures=0

say() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
fail() { echo "CHECK FAILED: $*" >&2; failures=$((failures + 1)); }
router() { ip netns exec isthmus-dr "$@"; }
routes() { router ip route show "$service"; }

cleanup() {
  local box
  for box in "${!pid[@]}"; do kill "${pid[$box]}" 2>/dev/null && wait "${pid[$box]}" 2>/dev/null || true; done
  [ -f "$out/router.pid" ] && kill "$(cat "$out/router.pid")" 2>/dev/null || true
  for ns in isthmus-dr isthmus-dc isthmusda-exc isthmusdb-exc; do ip netns del "$ns" 2>/dev/null || true; done
  for dev in isthda1 isthdb1 isthmusda-exc0 isthmusdb-exc0; do ip link del "$dev" 2>/dev/null || true; done
  pkill -f "$out/router/bird.conf" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cleanup

say "topology: router isthmus-dr (BIRD, ECMP), client isthmus-dc, appliances A and B on veths"
for ns in isthmus-dr isthmus-dc; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
for box in a b; do
  n=$([ $box = a ] && echo 71 || echo 72)
  ip link add "isthd${box}1" type veth peer name "isthd${box}0" netns isthmus-dr
  ip link set "isthd${box}1" up
  sysctl -q -w "net.ipv6.conf.isthd${box}1.disable_ipv6=1"   # DPDK owns this end
  ip -n isthmus-dr addr add "198.18.$n.1/24" dev "isthd${box}0"
  ip -n isthmus-dr link set "isthd${box}0" up
  router ethtool -K "isthd${box}0" tx off >/dev/null   # finished checksums for the packet sockets
done
ip link add isthdc0 netns isthmus-dr type veth peer name isthdc1 netns isthmus-dc
ip -n isthmus-dr addr add 198.18.73.1/24 dev isthdc0
ip -n isthmus-dr link set isthdc0 up
ip -n isthmus-dc addr add 198.18.73.2/24 dev isthdc1
ip -n isthmus-dc link set isthdc1 up
ip -n isthmus-dc route add default via 198.18.73.1
router sysctl -q -w net.ipv4.ip_forward=1
router sysctl -q -w net.ipv4.fib_multipath_hash_policy=1   # ECMP by the 5-tuple: each client flow to one box

mkdir -p "$out/router"
cat > "$out/router/bird.conf" <<CONF
# The router: learns 198.18.53.53/32 from both appliances, installs both paths (ECMP) in its kernel.
router id 198.18.73.1;
protocol device { scan time 10; }
protocol kernel { ipv4 { export all; }; merge paths on; }
template bgp box { local as 64500; hold time $hold; connect retry time 2; ipv4 { import all; export none; }; }
protocol bgp box_a from box { neighbor 198.18.71.53 as 64512; }
protocol bgp box_b from box { neighbor 198.18.72.53 as 64512; }
CONF
router bird -c "$out/router/bird.conf" -s "$out/router/bird.ctl" -P "$out/router.pid"

appliance_config() {
  local box=$1 n=$2 port=$3
  cat > "$out/$box.yml" <<YML
# Written by perf/scripts/demo-anycast.sh: appliance $box of the anycast pair.
eal: {hugepages: false, memory-mb: 512, file-prefix: isthmusd$box}
lcores: {workers: [-1], idle: adaptive}
mempool: {mbufs: 8191}
ports:
  - {name: up0, device: net_af_packet_$box, devargs: "iface=isthd${box}1,qpairs=1", addresses: [198.18.$n.53/24]}
dns:
  zones:
    - {origin: example.test, file: "$root/dns-server/src/main/resources/zones/example.test.zone"}
anycast:
  daemon: bird
  local-as: 64512
  router-id: 198.18.$n.53
  peers: [{address: 198.18.$n.1, as: 64500}]
  announce: [$service/32]
  hold-seconds: $hold
api: {listen: "127.0.0.1:$port"}
journal: {directory: $out/journal-$box, restore: false}
YML
}

start_box() {
  local box=$1 port=$2
  rm -rf "$out/journal-$box"
  "$root/isthmus" run --config "$out/$box.yml" > "$out/appliance-$box.log" 2>&1 &
  pid[$box]=$!
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0
    kill -0 "${pid[$box]}" 2>/dev/null || { tail -30 "$out/appliance-$box.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "appliance $box not healthy" >&2; exit 1
}

answered() { curl -s "http://127.0.0.1:$1/stats" | /usr/bin/python3 -c \
  'import json,sys; print(json.load(sys.stdin)["dns"]["totals"].get("answered", 0))'; }

# await_paths N SECONDS: until the router has N next hops for the service address.
await_paths() {
  local want=$1 got
  for _ in $(seq 1 $(($2 * 4))); do
    got=$(routes | grep -c 'via 198.18' || true)
    [ "$got" -eq "$want" ] && return 0
    sleep 0.25
  done
  return 1
}

probe() {   # probe SECONDS: the client's query loop, its JSON summary on stdout
  ip netns exec isthmus-dc /usr/bin/python3 "$here/dns-probe.py" "$service" www.example.test "$1" 10 32
}

appliance_config a 71 18091
appliance_config b 72 18092
say "starting appliances A and B (logs: $out/appliance-{a,b}.log)"
start_box a 18091
start_box b 18092
await_paths 2 30 || fail "the router did not learn two paths: $(routes)"
say "the router's route to the service address: two next hops"
run router ip route show "$service"
router birdc -s "$out/router/bird.ctl" show protocols | sed 's/^/  /'
run curl -s http://127.0.0.1:18091/anycast; echo

say "steady load: both boxes answer (answers counted by each)"
a0=$(answered 18091); b0=$(answered 18092)
steady=$(probe 3); echo "  client: $steady"
a1=$(answered 18091); b1=$(answered 18092)
echo "  A answered $((a1 - a0)), B answered $((b1 - b0))"
[ $((a1 - a0)) -gt 0 ] && [ $((b1 - b0)) -gt 0 ] || fail "ECMP did not spread the flows over both boxes"

say "A stops cleanly (SIGTERM) during a 10 s query loop: it withdraws before its data plane stops"
probe 10 > "$out/probe-clean.json" &
probing=$!
sleep 3
kill "${pid[a]}"; wait "${pid[a]}" 2>/dev/null || true; unset 'pid[a]'
wait "$probing"
clean=$(cat "$out/probe-clean.json"); echo "  client: $clean"
run router ip route show "$service"
lost=$(/usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1])["lost"])' "$clean")
[ "$lost" -eq 0 ] || fail "a clean stop lost $lost queries"

say "A comes back: announced again, traffic spread again"
start_box a 18091
await_paths 2 30 || fail "A's path did not come back: $(routes)"
a0=$(answered 18091); b0=$(answered 18092)
echo "  client: $(probe 3)"
a1=$(answered 18091); b1=$(answered 18092)
echo "  A answered $((a1 - a0)), B answered $((b1 - b0))"
[ $((a1 - a0)) -gt 0 ] || fail "A takes no traffic after its return"

say "B is killed (SIGKILL) during a 20 s query loop: its BIRD dies with it; the router waits out the hold time ($hold s)"
probe 20 > "$out/probe-kill.json" &
probing=$!
sleep 3
kill -9 "${pid[b]}"; wait "${pid[b]}" 2>/dev/null || true; unset 'pid[b]'
killed_at=$(date +%s.%N)
await_paths 1 $((hold + 5)) || fail "B's path was not withdrawn within the hold time: $(routes)"
withdrawn=$(awk -v a="$killed_at" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "  the router dropped B's path ${withdrawn} s after the kill"
wait "$probing"
killed=$(cat "$out/probe-kill.json"); echo "  client: $killed"
run router ip route show "$service"
window=$(/usr/bin/python3 -c 'import json,sys; d = json.loads(sys.argv[1]); print(d["longest_outage_ms"])' "$killed")
echo "  longest outage of a flow: $window ms (bound: hold time $hold s + 1 s probe timeout)"
[ "$window" -le $(((hold + 1) * 1000 + 500)) ] || fail "outage of $window ms is longer than the hold time allows"

say "tearing down"
if [ $check -eq 1 ]; then
  [ $failures -eq 0 ] || { echo "demo anycast: $failures check(s) failed" >&2; exit 1; }
  echo "demo anycast: all checks passed"
fi
