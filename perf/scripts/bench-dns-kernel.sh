#!/usr/bin/env bash
# Isthmus's kernel-socket DNS transport against NSD and Knot under dnsperf: same zone, same query file, same run.
# Usage: ./isthmus bench dns-kernel [SECONDS per measurement, default 10]
# Round 1: one worker each (Isthmus --threads 1, NSD server-count 1, Knot udp-workers 1).
# Round 2: each server's default (Isthmus and Knot: one worker per core; NSD: its default server-count 1).
# Prints qps for each, and ratio=<isthmus/knot> (round 2) last. Everything stays on 127.0.0.1.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/common.sh"
require_launcher dns-kernel
: "${ISTHMUS_DNS_JVM_FLAGS?run through ./isthmus bench dns-kernel, which sets the JVM flags of ./isthmus dns}"
seconds=${1:-10}
for tool in dnsperf nsd knotd kdig; do
  command -v "$tool" >/dev/null || { echo "bench-dns-kernel: $tool is missing (Debian: dnsperf nsd knot knot-dnsutils)" >&2; exit 1; }
done
classes="$root/dns-server/target/classes"
classpath=$(dns_server_classpath)
[ -d "$classes/dev/isthmus/dns/transport" ] || { echo "bench-dns-kernel: dns-server is not built" >&2; exit 1; }

work=$(mktemp -d /tmp/isthmus-bench-dns.XXXXXX)
pids=()
# Stops the servers started so far (start_*) and forgets them.
stop_all() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
cleanup() {
  stop_all
  rm -rf "$work"
}
trap cleanup EXIT

# Zone and queries: bench.test with 1000 hosts (A+AAAA), MX at the apex, a wildcard, a delegation;
# queries: host A/AAAA (mixed case), apex MX, wildcard names, 10% NXDOMAIN.
/usr/bin/python3 - "$work" <<'PY'
import random, sys
d = sys.argv[1]
z = ["$ORIGIN bench.test.", "$TTL 3600", "@ SOA ns1 hostmaster 1 7200 3600 1209600 300", "  NS ns1", "  NS ns2",
     "  MX 10 mail", "ns1 A 198.18.0.53", "ns2 A 198.18.0.54", "mail A 198.18.0.25", "*.wild A 198.18.0.99",
     "child NS ns.child", "ns.child A 198.18.0.100"]
for i in range(1000):
    z.append(f"h{i} A 198.18.{1 + i // 250}.{i % 250}")
    z.append(f"   AAAA 2001:db8::{i + 1:x}")
open(f"{d}/bench.test.zone", "w").write("\n".join(z) + "\n")
r = random.Random(42)
def mixed(s):
    return "".join(c.upper() if r.randrange(4) == 0 else c for c in s)
q = []
for _ in range(100000):
    k = r.randrange(20)
    if k < 2:
        q.append(f"nx{r.randrange(100000)}.bench.test A")
    elif k == 2:
        q.append("bench.test MX")
    elif k == 3:
        q.append(f"x{r.randrange(100)}.wild.bench.test A")
    else:
        q.append(f"{mixed('h%d.bench.test' % r.randrange(1000))} {'A' if r.randrange(2) else 'AAAA'}")
open(f"{d}/queries.txt", "w").write("\n".join(q) + "\n")
PY

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_answering() { # port name
  local i
  for i in $(seq 1 100); do
    if kdig @127.0.0.1 -p "$1" +time=1 +retry=0 +short h1.bench.test A 2>/dev/null | grep -q '^198\.18\.'; then return 0; fi
    sleep 0.1
  done
  echo "bench-dns-kernel: $2 does not answer on port $1" >&2
  return 1
}

start_isthmus() { # threads port
  # shellcheck disable=SC2086
  "$JAVA" $ISTHMUS_JVM_FLAGS $ISTHMUS_DNS_JVM_FLAGS -Xms512m -Xmx512m -cp "$classpath" \
    dev.isthmus.dns.transport.KernelDnsMain \
    --zone "bench.test=$work/bench.test.zone" --listen "127.0.0.1:$2" --threads "$1" > "$work/isthmus.log" 2>&1 &
  pids+=($!)
  wait_answering "$2" isthmus
}

start_nsd() { # server-count port ("" = NSD's default)
  local dir="$work/nsd-$2"; mkdir -p "$dir"
  {
    echo "server:"
    echo "  ip-address: 127.0.0.1@$2"
    echo "  zonesdir: \"$dir\""
    echo "  pidfile: \"$dir/nsd.pid\""
    echo "  database: \"\""
    echo "  zonelistfile: \"$dir/zone.list\""
    echo "  xfrdfile: \"$dir/xfrd.state\""
    echo "  xfrdir: \"$dir\""
    echo "  logfile: \"$dir/nsd.log\""
    echo "  username: \"\""
    echo "  chroot: \"\""
    echo "  rrl-ratelimit: 0"
    [ -n "$1" ] && echo "  server-count: $1"
    echo "remote-control:"
    echo "  control-enable: no"
    echo "zone:"
    echo "  name: bench.test"
    echo "  zonefile: \"$work/bench.test.zone\""
  } > "$dir/nsd.conf"
  nsd -d -c "$dir/nsd.conf" > "$dir/out.log" 2>&1 &
  pids+=($!)
  wait_answering "$2" nsd
}

start_knot() { # udp-workers port ("" = Knot's default)
  local dir="$work/knot-$2"; mkdir -p "$dir"
  {
    echo "server:"
    echo "  rundir: \"$dir\""
    echo "  listen: 127.0.0.1@$2"
    [ -n "$1" ] && echo "  udp-workers: $1"
    echo "  tcp-workers: 1"
    echo "  background-workers: 1"
    echo "database:"
    echo "  storage: \"$dir\""
    echo "log:"
    echo "  - target: stderr"
    echo "    any: error"
    echo "template:"
    echo "  - id: default"
    echo "    storage: \"$dir\""
    echo "    zonefile-sync: -1"
    echo "    journal-content: none"
    echo "zone:"
    echo "  - domain: bench.test"
    echo "    file: \"$work/bench.test.zone\""
  } > "$dir/knot.conf"
  knotd -c "$dir/knot.conf" > "$dir/out.log" 2>&1 &
  pids+=($!)
  wait_answering "$2" knot
}

measure() { # port label -> prints qps
  # Warm-up (JIT for Isthmus, caches for all), then the measured run. One dnsperf thread: the machine is small.
  dnsperf -s 127.0.0.1 -p "$1" -d "$work/queries.txt" -l 3 -c 8 -q 200 -T 1 > /dev/null 2>&1 || true
  dnsperf -s 127.0.0.1 -p "$1" -d "$work/queries.txt" -l "$seconds" -c 8 -q 200 -T 1 > "$work/$2.dnsperf" 2>&1 ||
    { echo "bench-dns-kernel: dnsperf against $2 failed (exit $?):" >&2; tail -20 "$work/$2.dnsperf" >&2; exit 1; }
  local qps lost
  qps=$(figures "dnsperf against $2" "$work/$2.dnsperf" 1 "$(awk '/Queries per second:/ {print $4}' "$work/$2.dnsperf")")
  lost=$(awk '/Queries lost:/ {print $3}' "$work/$2.dnsperf")
  echo "$qps" > "$work/$2.qps"
  printf '  %-26s qps=%-12s lost=%s\n' "$2" "$qps" "$lost"
}

echo "bench-dns-kernel: $(nproc) cores, ${seconds}s per measurement, dnsperf -c 8 -q 200 -T 1, zone bench.test (2000 RRs)"
echo "round 1: one worker each"
p=$(free_port); start_isthmus 1 "$p"; measure "$p" isthmus-1; stop_all
p=$(free_port); start_nsd 1 "$p"; measure "$p" nsd-1; stop_all
p=$(free_port); start_knot 1 "$p"; measure "$p" knot-1; stop_all
echo "round 2: defaults (isthmus and knot: a worker per core; nsd: server-count 1)"
p=$(free_port); start_isthmus "$(nproc)" "$p"; measure "$p" isthmus-default; stop_all
p=$(free_port); start_nsd "" "$p"; measure "$p" nsd-default; stop_all
p=$(free_port); start_knot "" "$p"; measure "$p" knot-default; stop_all

/usr/bin/python3 - "$work" <<'PY'
import sys
d = sys.argv[1]
q = {k: float(open(f"{d}/{k}.qps").read()) for k in
     ["isthmus-1", "nsd-1", "knot-1", "isthmus-default", "nsd-default", "knot-default"]}
print(f"one worker: isthmus/knot={q['isthmus-1'] / q['knot-1']:.2f} isthmus/nsd={q['isthmus-1'] / q['nsd-1']:.2f}")
print(f"defaults:   isthmus/nsd={q['isthmus-default'] / q['nsd-default']:.2f}")
print(f"ratio={q['isthmus-default'] / q['knot-default']:.2f}")
PY
