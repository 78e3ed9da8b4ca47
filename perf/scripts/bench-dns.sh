#!/usr/bin/env bash
# Data-plane DNS on one lcore against dpdk-testpmd macswap on one forwarding core, same pcap, same vdevs, same run.
#
# A query mix (perf/scripts/gen-dns-queries.py: names and types of the sample zone, 10% NXDOMAIN, a third with EDNS,
# one in eight over IPv6) is replayed by net_pcap infinite_rx=1; Isthmus answers every query in place (the production
# pipeline: DnsStage, then the exception and host stages, which nothing reaches here) and sends the answers to a
# net_null port; testpmd swaps the MACs of the same frames and sends them to the same kind of port.
#
# First a correctness check: the pcap answered twice over into a pcap (net_pcap tx_pcap) — the first pass through the
# engine, the second from the lcore's packet cache — decoded with tshark and checked frame by frame against what the
# generator expects (ID, name, type, RCODE, answers present, IP and UDP checksums).
#
# Isthmus runs twice a round: with the packet cache (the default configuration; the replay repeats its 4096 queries,
# so after the first pass nearly every answer comes from the cache), and with the cache off, every query through
# the engine (the figure for traffic that never repeats, such as random names).
#
# Two figures per run, as bench forward: wall-clock Mpps, and Mpps per CPU-second of the forwarding thread (the fair
# one on a shared machine). Each program runs ROUNDS times (default 2), alternating; the best round counts.
# Usage: ./isthmus bench dns [SECONDS (default 10)] [WARMUP_SECONDS (default 8)]
# Prints Mpps for all three, ratio_engine_only=, and ratio=<isthmus/testpmd> (per CPU-second, with the packet cache);
# then response-rate limiting's figures, and minimal responses (the default) against full ones, engine only and with
# the cache (minimal/full per CPU-second, same run); last the cache-hostile case (see its section; HOSTILE=0 skips it,
# HOSTILE_NAMES and HOSTILE_QUERIES size it) with ratio_hostile_engine_only=.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/common.sh"
require_launcher dns
seconds=${1:-10}
warmup=${2:-8}
cpu=${CPU:-1}
rounds=${ROUNDS:-2}
out="$root/perf/target/bench-dns"
mkdir -p "$out"
pcap="$out/queries.pcap"
zone="$root/dns-server/src/main/resources/zones/example.test.zone"
cp=("$root/perf/target/classes:$root/perf/target/lib/*")

/usr/bin/python3 "$here/gen-dns-queries.py" "$pcap" 4096
twice="$out/queries-twice.pcap"
/usr/bin/python3 -c 'import sys; from scapy.all import rdpcap, wrpcap; p = rdpcap(sys.argv[1]); wrpcap(sys.argv[2], p + p)' \
  "$pcap" "$twice"
cat "$pcap.expected" "$pcap.expected" > "$twice.expected"

# verify PCAP ZONE ORIGIN NAME: the data plane serving ZONE (as ORIGIN) answers PCAP, read once, into a pcap (net_pcap
# tx_pcap); the responses are decoded with tshark and checked frame by frame against PCAP.expected.
verify() {
  local pcap=$1 zone=$2 origin=$3 name=$4
  rm -f "$out/$name-responses.pcap"
  # shellcheck disable=SC2086
  "$JAVA" $ISTHMUS_JVM_FLAGS ${ISTHMUS_JAVA_OPTS:-} -Disthmus.bench.origin="$origin" -cp "${cp[0]}" \
    dev.isthmus.perf.dns.DnsDataplaneBench verify "$pcap" "$zone" "$out/$name-responses.pcap" > "$out/$name-verify.log" 2>&1 ||
    { echo "bench dns: the verification run failed, see $out/$name-verify.log" >&2; tail -20 "$out/$name-verify.log" >&2; exit 1; }
  grep '^verify' "$out/$name-verify.log"
  tshark -r "$out/$name-responses.pcap" -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -T fields -E separator='|' \
    -e dns.id -e dns.qry.name -e dns.qry.type -e dns.flags.rcode -e dns.flags.response -e dns.count.answers \
    -e dns.flags.authoritative -e ip.checksum.status -e udp.checksum.status -e ipv6.dst -e ip.dst \
    > "$out/$name-responses.txt" 2> "$out/$name-tshark.log" ||
    { echo "bench dns: tshark could not decode $out/$name-responses.pcap" >&2; tail -20 "$out/$name-tshark.log" >&2; exit 1; }
  /usr/bin/python3 - "$pcap.expected" "$out/$name-responses.txt" <<'PY'
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
}

echo "== check: the query pcap answered twice over (engine, then packet cache), decoded by tshark"
verify "$twice" "$zone" example.test sample

# testpmd macswap, pcap replay -> net_null: prints "WALL_MPPS CPU_MPPS".
testpmd() {
  local log="$out/testpmd.log"
  testpmd_run "$log" isthmusdnstp macswap "net_pcap0,rx_pcap=$pcap,infinite_rx=1" "net_null0,size=64,no-rx=1"
  testpmd_rates "$log"
}

# Isthmus answering the same pcap with CACHE_SLOTS packet-cache slots (0: none): prints "WALL_MPPS CPU_MPPS".
# A second argument sets response-rate limiting's responses per second (0: off), a third minimal responses (true, the
# default, or false).
# The pcap and zone are $QUERIES and $ZONE when set (the cache-hostile case below), else the sample ones.
isthmus() {
  local log="$out/isthmus-cache$1-rrl${2:-0}-minimal${3:-true}${ORIGIN:+-$ORIGIN}.log"
  # shellcheck disable=SC2086
  run_isthmus "$log" "$JAVA" $ISTHMUS_JVM_FLAGS ${ISTHMUS_JAVA_OPTS:-} -Disthmus.bench.answerCache="$1" \
    -Disthmus.bench.rrl="${2:-0}" -Disthmus.bench.minimalResponses="${3:-true}" \
    -Disthmus.bench.origin="${ORIGIN:-example.test}" -cp "${cp[0]}" dev.isthmus.perf.dns.DnsDataplaneBench answer \
    "${QUERIES:-$pcap}" "${ZONE:-$zone}" "$cpu" "$warmup" "$seconds"
  grep '^isthmus dns' "$log" >&2 || true # progress lines, for the reader; the RESULT line is checked below
  local figs
  figs=$(result_figures "Isthmus answering with $1 cache slots" "$log" 4 5)
  # The third figure (queries handled per CPU-second, RRL's flood case) may be zero: not checked as a rate.
  echo "$figs $(awk '/^RESULT/ { printf "%.3f", $6 }' "$log")"
}

echo "== bench dns: one core (CPU $cpu), ${seconds}s windows after ${warmup}s warm-up, best of $rounds rounds"
echo "  $(machine_summary)"
cache_slots=${ANSWER_CACHE:-4096}
tw=0; tc=0; iw=0; ic=0; ew=0; ec=0
for ((r = 1; r <= rounds; r++)); do
  # Assigned first: a failed run stops the script here (read <<< "$(...)" would go on with empty figures).
  result=$(testpmd)
  read -r w c <<< "$result"
  printf '  round %d testpmd macswap               %7.2f Mpps wall  %7.2f Mpps/CPU-s\n' "$r" "$w" "$c"
  tw=$(max "$tw" "$w"); tc=$(max "$tc" "$c")
  result=$(isthmus "$cache_slots")
  read -r w c _ <<< "$result"
  printf '  round %d isthmus answers, packet cache %7.2f Mpps wall  %7.2f Mpps/CPU-s\n' "$r" "$w" "$c"
  iw=$(max "$iw" "$w"); ic=$(max "$ic" "$c")
  result=$(isthmus 0)
  read -r w c _ <<< "$result"
  printf '  round %d isthmus answers, engine only  %7.2f Mpps wall  %7.2f Mpps/CPU-s\n' "$r" "$w" "$c"
  ew=$(max "$ew" "$w"); ec=$(max "$ec" "$c")
done
printf 'testpmd macswap          %7.2f Mpps (%7.2f Mpps/CPU-s)\n' "$tw" "$tc"
printf 'isthmus dns, cache       %7.2f Mpps (%7.2f Mpps/CPU-s)   ratio wall %s\n' "$iw" "$ic" "$(ratio "$iw" "$tw")"
printf 'isthmus dns, engine only %7.2f Mpps (%7.2f Mpps/CPU-s)   ratio wall %s\n' "$ew" "$ec" "$(ratio "$ew" "$tw")"
echo "ratio_engine_only=$(ratio "$ec" "$tc")"
echo "ratio=$(ratio "$ic" "$tc")"

# Response-rate limiting, same run: on at a rate the mix stays under (each (prefix, kind, name) of the pcap gets far
# fewer than 1M/s), then the flood case: 10/s, so nearly every query is limited (every second one slipped as TC),
# and what counts is how many queries per CPU-second the lcore absorbs.
read -r w c _ <<< "$(isthmus "$cache_slots" 1000000)"
printf 'isthmus dns, cache, rrl 1M/s (not limiting) %7.2f Mpps (%7.2f Mpps/CPU-s)   vs off: %s\n' "$w" "$c" \
  "$(ratio "$c" "$ic")"
read -r w c rx <<< "$(isthmus "$cache_slots" 10)"
printf 'isthmus dns, cache, rrl 10/s (flood)        %7.2f Mpps slips sent, %7.2f M queries absorbed/CPU-s\n' "$w" "$rx"

# Minimal responses (the default above) against full responses (the zone's NS and its addresses in every positive
# answer, dns.minimal-responses: false), same run, alternating: engine only, then with the packet cache.
read -r mw mc _ <<< "$(isthmus 0 0 true)"
read -r fw fc _ <<< "$(isthmus 0 0 false)"
printf 'isthmus dns, engine only, minimal %7.2f Mpps (%7.2f Mpps/CPU-s); full responses %7.2f Mpps (%7.2f Mpps/CPU-s)   minimal/full: %s\n' \
  "$mw" "$mc" "$fw" "$fc" "$(ratio "$mc" "$fc")"
read -r mw mc _ <<< "$(isthmus "$cache_slots" 0 true)"
read -r fw fc _ <<< "$(isthmus "$cache_slots" 0 false)"
printf 'isthmus dns, cache, minimal       %7.2f Mpps (%7.2f Mpps/CPU-s); full responses %7.2f Mpps (%7.2f Mpps/CPU-s)   minimal/full: %s\n' \
  "$mw" "$mc" "$fw" "$fc" "$(ratio "$mc" "$fc")"

# Cache-hostile (issue 12): a zone of HOSTILE_NAMES names (default 1 000 000, each with A and AAAA) and HOSTILE_QUERIES
# (default 100 000) questions that never repeat within the pcap, 10% NXDOMAIN: a 4096-slot packet cache holds almost
# none of them when the replay comes round again, so both runs measure the engine on a big zone. HOSTILE=0 skips it.
if [ "${HOSTILE:-1}" != 0 ]; then
  hostile_names=${HOSTILE_NAMES:-1000000}
  hostile_queries=${HOSTILE_QUERIES:-100000}
  hostile_zone="$out/big.test.zone"
  hostile_pcap="$out/hostile.pcap"
  /usr/bin/python3 "$here/gen-hostile-queries.py" "$hostile_zone" "$hostile_pcap" "$hostile_names" "$hostile_queries"
  echo "== cache-hostile: $hostile_queries distinct questions (10% NXDOMAIN) over big.test. of $hostile_names names"
  verify "$hostile_pcap" "$hostile_zone" big.test hostile
  # net_pcap's infinite_rx keeps the whole pcap in mbufs: the pool holds it and the usual 16383 besides.
  export ISTHMUS_JAVA_OPTS="${ISTHMUS_JAVA_OPTS:-} -Disthmus.bench.mbufs=$((hostile_queries + 16383))"
  # Assigned first: a failed run stops the script here (read <<< "$(...)" would go on with empty figures).
  result=$(QUERIES=$hostile_pcap ZONE=$hostile_zone ORIGIN=big.test isthmus "$cache_slots")
  read -r hw hc _ <<< "$result"
  result=$(QUERIES=$hostile_pcap ZONE=$hostile_zone ORIGIN=big.test isthmus 0)
  read -r he hec _ <<< "$result"
  printf 'isthmus dns, cache-hostile, packet cache %7.2f Mpps (%7.2f Mpps/CPU-s); engine only %7.2f Mpps (%7.2f Mpps/CPU-s)\n' \
    "$hw" "$hc" "$he" "$hec"
  echo "ratio_hostile_engine_only=$(ratio "$hec" "$tc")"
fi
