#!/usr/bin/env bash
# Data-plane DNS on one lcore against dpdk-testpmd macswap on one forwarding core, same pcap, same vdevs, same run.
#
# A query mix (perf/scripts/gen-dns-queries.py: names and types of the sample zone, 10% NXDOMAIN, a third with EDNS,
# one in eight over IPv6) is replayed by net_pcap infinite_rx=1; Isthmus answers every query in place (the production
# pipeline: DnsStage, then the exception and host stages, which nothing reaches here) and sends the answers to a
# net_null port; testpmd swaps the MACs of the same frames and sends them to the same kind of port.
#
# First a correctness check: the pcap answered once into a pcap (net_pcap tx_pcap), decoded with tshark and checked
# frame by frame against what the generator expects (ID, name, type, RCODE, answers present, IP and UDP checksums).
#
# Two figures per run, as bench forward: wall-clock Mpps, and Mpps per CPU-second of the forwarding thread (the fair
# one on a shared machine). Each program runs ROUNDS times (default 2), alternating; the best round counts.
# Usage: ./isthmus bench dns [SECONDS (default 10)] [WARMUP_SECONDS (default 8)]
# Prints Mpps for both and, as the last line, ratio=<isthmus/testpmd> (per CPU-second).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
: "${ISTHMUS_JVM_FLAGS:?run through ./isthmus bench dns, which sets the JVM flags}"
: "${JAVA:=java}"
seconds=${1:-10}
warmup=${2:-8}
cpu=${CPU:-1}
rounds=${ROUNDS:-2}
out="$root/perf/target/bench-dns"
mkdir -p "$out"
pcap="$out/queries.pcap"
zone="$root/dns-server/src/main/resources/zones/example.test.zone"
clk_tck=$(getconf CLK_TCK)
cp=("$root/perf/target/classes:$root/perf/target/lib/*")

/usr/bin/python3 "$here/gen-dns-queries.py" "$pcap" 4096

echo "== check: the query pcap answered once, decoded by tshark"
rm -f "$out/responses.pcap"
# shellcheck disable=SC2086
"$JAVA" $ISTHMUS_JVM_FLAGS -cp "${cp[0]}" dev.isthmus.perf.dns.DnsDataplaneBench verify "$pcap" "$zone" \
  "$out/responses.pcap" > "$out/verify.log" 2>&1 || { tail -20 "$out/verify.log" >&2; exit 1; }
grep '^verify' "$out/verify.log"
tshark -r "$out/responses.pcap" -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -T fields -E separator='|' \
  -e dns.id -e dns.qry.name -e dns.qry.type -e dns.flags.rcode -e dns.flags.response -e dns.count.answers \
  -e dns.flags.authoritative -e ip.checksum.status -e udp.checksum.status -e ipv6.dst -e ip.dst \
  > "$out/responses.txt" 2>/dev/null
/usr/bin/python3 - "$pcap.expected" "$out/responses.txt" <<'PY'
import sys
TYPES = {"A": 1, "NS": 2, "SOA": 6, "MX": 15, "TXT": 16, "AAAA": 28, "SRV": 33}
# (name, type) whose NOERROR answer is empty: a referral into the child, and NODATA.
EMPTY = {("www.child.example.test.", "A"), ("www.example.test.", "MX")}
expected = [l.split() for l in open(sys.argv[1]) if l.strip()]
got = [l.rstrip("\n").split("|") for l in open(sys.argv[2]) if l.strip()]
bad = []
if len(got) != len(expected):
    bad.append("%d responses for %d queries" % (len(got), len(expected)))
for k, (e, g) in enumerate(zip(expected, got)):
    qid, name, qtype, rcode = e
    rid, rname, rtype, rrcode, response, answers, aa, ipsum, udpsum, v6dst, v4dst = g
    problems = []
    if int(rid, 0) != int(qid): problems.append("id %s != %s" % (rid, qid))
    if rname + "." != name: problems.append("name %s" % rname)
    if int(rtype) != TYPES[qtype]: problems.append("type %s" % rtype)
    if int(rrcode) != int(rcode): problems.append("rcode %s, expected %s" % (rrcode, rcode))
    if response not in ("1", "True"): problems.append("QR not set")
    if rcode == "0" and (name, qtype) not in EMPTY and int(answers) == 0: problems.append("no answer")
    # tshark's checksum status: 0 bad, 1 good, 2 unverified, 3 not present.
    if udpsum != "1": problems.append("UDP checksum status %s" % udpsum)
    if v4dst and ipsum != "1": problems.append("IP checksum status %s" % ipsum)
    if v4dst and not v4dst.startswith("198.18.") or v6dst and not v6dst.startswith("2001:db8:1::"):
        problems.append("sent to %s%s" % (v4dst, v6dst))
    if problems:
        bad.append("frame %d (%s %s): %s" % (k + 1, name, qtype, ", ".join(problems)))
nx = sum(1 for e in expected if e[3] == "3")
v6 = sum(1 for g in got if g[9])
print("checked %d responses (%d NXDOMAIN, %d over IPv6): %s" % (len(got), nx, v6, "all correct" if not bad else "%d wrong" % len(bad)))
for b in bad[:10]:
    print("  " + b)
sys.exit(1 if bad else 0)
PY

eal=(--no-huge -m 1024 --no-pci --no-shconf --no-telemetry '--log-level=*:warning')

# CPU ticks (user + system) of testpmd's forwarding thread.
worker_ticks() {
  local pid task
  pid=$(pgrep -f -- '^dpdk-testpmd .*isthmusdnstp' | head -1) || { echo 0; return; }
  for task in /proc/"$pid"/task/*; do
    if [ "$(cat "$task/comm" 2>/dev/null)" = "rte-worker-$cpu" ]; then
      sed 's/^.*) //' "$task/stat" | awk '{ print $12 + $13 }'
      return
    fi
  done
  echo 0
}

# testpmd macswap, pcap replay -> net_null: prints "WALL_MPPS CPU_MPPS".
testpmd() {
  local log="$out/testpmd.log"
  { sleep "$warmup"; worker_ticks > "$out/ticks1"; echo "show port stats all"; sleep "$seconds"
    worker_ticks > "$out/ticks2"; echo "show port stats all"; sleep 1; echo stop; echo quit; } |
    timeout $((warmup + seconds + 60)) dpdk-testpmd "${eal[@]}" --file-prefix isthmusdnstp -l "0,$cpu" \
      --vdev "net_pcap0,rx_pcap=$pcap,infinite_rx=1" --vdev "net_null0,size=64,no-rx=1" -- \
      -i --forward-mode=macswap --nb-cores=1 --auto-start --total-num-mbufs=16384 > "$log" 2>&1 || true
  local wall sent
  wall=$(grep 'Tx-pps' "$log" | tail -2 | awk '{ s += $2 } END { if (NR < 2) exit 1; printf "%.3f", s / 1e6 }') ||
    { echo "testpmd failed, see $log" >&2; tail -20 "$log" >&2; exit 1; }
  sent=$(grep 'TX-packets:.*TX-errors' "$log" | awk '{ v[NR] = $2 } END { print v[3] + v[4] - v[1] - v[2] }')
  awk -v w="$wall" -v s="$sent" -v a="$(cat "$out/ticks1")" -v b="$(cat "$out/ticks2")" -v hz="$clk_tck" \
    'BEGIN { c = (b - a) / hz; printf "%s %.3f", w, (c > 0 ? s / c / 1e6 : 0) }'
}

# Isthmus answering the same pcap: prints "WALL_MPPS CPU_MPPS".
isthmus() {
  local log="$out/isthmus.log"
  # shellcheck disable=SC2086
  "$JAVA" $ISTHMUS_JVM_FLAGS ${ISTHMUS_JAVA_OPTS:-} -cp "${cp[0]}" dev.isthmus.perf.dns.DnsDataplaneBench answer \
    "$pcap" "$zone" "$cpu" "$warmup" "$seconds" > "$log" 2>&1 ||
    { echo "Isthmus failed, see $log" >&2; tail -20 "$log" >&2; exit 1; }
  grep '^isthmus dns' "$log" >&2
  awk '/^RESULT/ { printf "%.3f %.3f", $4, $5 }' "$log"
}

max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }

echo "== bench dns: one core (CPU $cpu), ${seconds}s windows after ${warmup}s warm-up, best of $rounds rounds"
echo "  $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
tw=0; tc=0; iw=0; ic=0
for ((r = 1; r <= rounds; r++)); do
  read -r w c <<< "$(testpmd)"
  printf '  round %d testpmd macswap  %7.2f Mpps wall  %7.2f Mpps/CPU-s\n' "$r" "$w" "$c"
  tw=$(max "$tw" "$w"); tc=$(max "$tc" "$c")
  read -r w c <<< "$(isthmus)"
  printf '  round %d isthmus answers  %7.2f Mpps wall  %7.2f Mpps/CPU-s\n' "$r" "$w" "$c"
  iw=$(max "$iw" "$w"); ic=$(max "$ic" "$c")
done
printf 'testpmd macswap %7.2f Mpps (%7.2f Mpps/CPU-s)\n' "$tw" "$tc"
printf 'isthmus dns     %7.2f Mpps (%7.2f Mpps/CPU-s)   ratio wall %s\n' "$iw" "$ic" "$(ratio "$iw" "$tw")"
echo "ratio=$(ratio "$ic" "$tc")"
