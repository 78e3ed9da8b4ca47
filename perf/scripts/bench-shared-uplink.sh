#!/usr/bin/env bash
# DNS and the VxLAN switch sharing one uplink, on one lcore, against dpdk-testpmd macswap on one core, same pcap, same
# run. The pcap interleaves bench dns's query mix (perf/scripts/gen-dns-queries.py: to 198.18.0.53 / 2001:db8::53)
# with bench vxlan's decap frames (VxLAN from 100 VTEPs to the VTEP 198.18.0.1, zero UDP checksum), one of each in
# turn; it is replayed by net_pcap infinite_rx=1 into the uplink. Isthmus runs the appliance's pipeline order (DNS
# stage, vswitch stage, exception classification, host stage: dev.isthmus.perf.vswitch.SharedUplinkBench): queries are
# answered, VxLAN is decapsulated and switched; both go to a net_null port. This is the case the parse-once change
# is for: before it, every VxLAN packet's outer IPv4 header was validated (and summed) by the DNS stage and again by
# the vswitch stage.
# Usage: ./isthmus bench shared-uplink [SECONDS (default 10)] [WARMUP_SECONDS (default 8)]
# Prints Mpps (wall and per CPU-second of the forwarding thread) per round, the best, and ratio=<isthmus/testpmd>
# per CPU-second last.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/common.sh"
require_launcher shared-uplink
seconds=${1:-10}
warmup=${2:-8}
cpu=${CPU:-1}
rounds=${ROUNDS:-2}
out="$root/perf/target/bench-shared-uplink"
mkdir -p "$out"
pcap="$out/mixed.pcap"
zone="$root/dns-server/src/main/resources/zones/example.test.zone"

/usr/bin/python3 "$here/gen-dns-queries.py" "$out/queries.pcap" 4096 > /dev/null
# The VxLAN half: as bench vxlan's decap pcap (MAC and VTEP numbering of VxlanBench's FDB).
/usr/bin/python3 - "$out/queries.pcap" "$pcap" <<'PY'
import sys
from scapy.all import Ether, IP, UDP, Raw, rdpcap, wrpcap
from scapy.layers.vxlan import VXLAN
def mac(base, n):
    return "02:%02x:00:00:%02x:%02x" % (base, n >> 8, n & 0xff)
vxlan = []
for i in range(1024):
    local, remote = mac(2, i % 256), mac(1, (i * 37) % 10000)
    vtep = "198.18.1.%d" % ((i * 37) % 10000 % 100 + 1)
    back = Ether(src=remote, dst=local) / IP(src="10.1.0.1", dst="10.0.%d.%d" % (i // 256, i % 256)) / UDP(sport=80, dport=1024 + i)
    back = back / Raw(b"\x00" * (60 - len(back)))
    vxlan.append(Ether(src="02:03:00:00:00:01", dst="02:00:00:00:00:53") / IP(src=vtep, dst="198.18.0.1") /
                 UDP(sport=49152 + i, dport=4789, chksum=0) / VXLAN(flags=0x08, vni=100) / back)
queries = rdpcap(sys.argv[1])
mixed = []
for k, q in enumerate(queries):
    mixed.append(q)
    mixed.append(vxlan[k % len(vxlan)])
wrpcap(sys.argv[2], mixed)
PY

testpmd() {
  local log="$out/testpmd.log"
  testpmd_run "$log" isthmussharedtp macswap "net_pcap0,rx_pcap=$pcap,infinite_rx=1" "net_null0,size=64,no-rx=1"
  testpmd_rates "$log"
}

isthmus() {
  local log="$out/isthmus.log"
  # shellcheck disable=SC2086
  run_isthmus "$log" "$JAVA" $ISTHMUS_JVM_FLAGS ${ISTHMUS_JAVA_OPTS:-} \
    -cp "$root/perf/target/classes:$root/perf/target/lib/*" dev.isthmus.perf.vswitch.SharedUplinkBench \
    "$pcap" "$zone" "$cpu" "$warmup" "$seconds"
  grep '^isthmus' "$log" >&2 || true # progress lines, for the reader; the RESULT line is checked below
  result_figures "Isthmus on the shared uplink" "$log" 4 5
}

echo "== bench shared-uplink: one core (CPU $cpu), ${seconds}s windows after ${warmup}s warm-up, best of $rounds rounds"
echo "  $(machine_summary)"
tw=0; tc=0; iw=0; ic=0
for ((r = 1; r <= rounds; r++)); do
  result=$(testpmd)
  read -r w c <<< "$result"
  printf '  round %d testpmd macswap            %7.2f Mpps wall  %7.2f Mpps/CPU-s\n' "$r" "$w" "$c"
  tw=$(max "$tw" "$w"); tc=$(max "$tc" "$c")
  result=$(isthmus)
  read -r w c <<< "$result"
  printf '  round %d isthmus dns + vxlan decap  %7.2f Mpps wall  %7.2f Mpps/CPU-s\n' "$r" "$w" "$c"
  iw=$(max "$iw" "$w"); ic=$(max "$ic" "$c")
done
printf 'testpmd macswap          %7.2f Mpps (%7.2f Mpps/CPU-s)\n' "$tw" "$tc"
printf 'isthmus dns + vxlan      %7.2f Mpps (%7.2f Mpps/CPU-s)   ratio wall %s\n' "$iw" "$ic" "$(ratio "$iw" "$tw")"
echo "ratio=$(ratio "$ic" "$tc")"
