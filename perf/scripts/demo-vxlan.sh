#!/usr/bin/env bash
# ./isthmus demo vxlan: Isthmus as a VxLAN VTEP beside a Linux kernel VTEP.
#
#   [isthmus-dh1] h1 198.19.20.1 ── veth ── access │ Isthmus │ uplink 198.18.20.1 ── veth ── 198.18.20.2
#       [isthmus-dk: kernel vxlan VNI 100 + bridge] ── veth ── h2 198.19.20.2 [isthmus-dh2]
#
# Builds that topology from network namespaces, starts the appliance with bridge domain VNI 100 (access port and
# uplink are net_af_packet ports on the veths), pings across both ways, shows Isthmus's FDB (REST) beside the
# kernel's `bridge fdb`, and tears everything down, also when interrupted.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "demo vxlan needs root (namespaces, veths, DPDK)" >&2; exit 1; }
out="$root/perf/target/demo-vxlan"
mkdir -p "$out"
api=127.0.0.1:18089
appliance=""

say() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

cleanup() {
  [ -n "$appliance" ] && kill "$appliance" 2>/dev/null && wait "$appliance" 2>/dev/null || true
  for ns in isthmus-dh1 isthmus-dk isthmus-dh2; do ip netns del "$ns" 2>/dev/null || true; done
  ip link del isthmus-da0 2>/dev/null || true
  ip link del isthmus-du0 2>/dev/null || true
}
trap cleanup EXIT INT TERM
cleanup

say "topology: namespaces isthmus-dh1 (h1), isthmus-dk (kernel VTEP), isthmus-dh2 (h2)"
for ns in isthmus-dh1 isthmus-dk isthmus-dh2; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip link add isthmus-da0 type veth peer name isthmus-da1 netns isthmus-dh1
ip link add isthmus-du0 type veth peer name isthmus-du1 netns isthmus-dk
ip link add isthmus-db1 netns isthmus-dk type veth peer name isthmus-db2 netns isthmus-dh2
for dev in isthmus-da0 isthmus-du0; do
  ip link set "$dev" up
  sysctl -q -w "net.ipv6.conf.$dev.disable_ipv6=1"   # DPDK owns these ends
  ethtool -K "$dev" tx off >/dev/null
done
# h1 and h2: overlay MTU 1450 (1500 underlay less 50 bytes of VxLAN); software checksums on veths.
ip -n isthmus-dh1 link set isthmus-da1 address 02:00:00:19:14:01 mtu 1450 up
ip -n isthmus-dh1 addr add 198.19.20.1/24 dev isthmus-da1
ip netns exec isthmus-dh1 ethtool -K isthmus-da1 tx off >/dev/null
ip -n isthmus-dh2 link set isthmus-db2 address 02:00:00:19:14:02 mtu 1450 up
ip -n isthmus-dh2 addr add 198.19.20.2/24 dev isthmus-db2
ip netns exec isthmus-dh2 ethtool -K isthmus-db2 tx off >/dev/null
# The kernel VTEP: vxlan VNI 100 towards Isthmus's VTEP address, bridged with h2's port.
ip -n isthmus-dk link set isthmus-du1 up
ip -n isthmus-dk addr add 198.18.20.2/24 dev isthmus-du1
ip netns exec isthmus-dk ethtool -K isthmus-du1 tx off >/dev/null
run ip -n isthmus-dk link add isthmus-dvx100 type vxlan id 100 local 198.18.20.2 remote 198.18.20.1 dstport 4789 dev isthmus-du1
ip -n isthmus-dk link add isthmus-dbr100 type bridge
ip -n isthmus-dk link set isthmus-dvx100 master isthmus-dbr100 up
ip -n isthmus-dk link set isthmus-db1 master isthmus-dbr100 mtu 1450 up
ip -n isthmus-dk link set isthmus-dbr100 up

cat > "$out/isthmus-vxlan.yml" <<YML
# Written by perf/scripts/demo-vxlan.sh: the appliance as a VxLAN VTEP, no DNS.
eal:
  hugepages: false
  memory-mb: 512
  file-prefix: isthmus-demo-vxlan
lcores:
  workers: [-1]
mempool:
  mbufs: 8191
  cache-size: 256
  data-room-size: 2176
ports:
  - name: uplink
    device: net_af_packet0
    devargs: iface=isthmus-du0,qpairs=1
    addresses: [198.18.20.1/24]       # our VTEP address: ARP and ping answered by the appliance
  - name: access
    device: net_af_packet1
    devargs: iface=isthmus-da0,qpairs=1
    promiscuous: true
dns:
  enabled: false
vswitch:
  underlay:
    port: uplink
    ipv4: 198.18.20.1/24
  bridge-domains:
    - vni: 100
      name: demo
      ports: [access]
      vteps: [198.18.20.2]
api:
  listen: $api
journal:
  directory: $out/journal
  restore: false
YML

say "starting the appliance (log: $out/appliance.log)"
rm -rf "$out/journal"
"$root/isthmus" run --config "$out/isthmus-vxlan.yml" > "$out/appliance.log" 2>&1 &
appliance=$!
for _ in $(seq 1 120); do
  curl -fs "http://$api/health" >/dev/null 2>&1 && break
  kill -0 "$appliance" 2>/dev/null || { tail -30 "$out/appliance.log" >&2; exit 1; }
  sleep 0.5
done
curl -fs "http://$api/health" >/dev/null || { echo "appliance not healthy:" >&2; curl -s "http://$api/health" >&2; exit 1; }
run curl -s "http://$api/vswitch/bridge-domains/100"; echo

say "h1 (behind Isthmus) pings h2 (behind the kernel VTEP), and back"
run ip netns exec isthmus-dh1 ping -c 3 -i 0.3 -W 2 198.19.20.2
run ip netns exec isthmus-dh2 ping -c 3 -i 0.3 -W 2 198.19.20.1

say "who is where: Isthmus's FDB (REST) and the kernel's"
run curl -s "http://$api/vswitch/bridge-domains/100/fdb"; echo
run ip netns exec isthmus-dk bridge fdb show dev isthmus-dvx100
run ip netns exec isthmus-dk bridge fdb show br isthmus-dbr100 dynamic
say "counters of VNI 100"
run curl -s "http://$api/vswitch/bridge-domains/100/counters"; echo

say "tearing down"
