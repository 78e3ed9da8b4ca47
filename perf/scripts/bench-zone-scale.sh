#!/usr/bin/env bash
# Zone scale: load time and resident memory of Isthmus (./isthmus dns), NSD and Knot for one zone of N names (A and
# AAAA each) and for Z small zones, then the cost of a one-record change to the big zone and of replacing a small
# zone beside it (Knot: knotc transaction / zone-reload; Isthmus: PATCH and PUT on the appliance's REST API with its
# data plane off). Prints two tables (resident memory 0.5 s and --settle s after ready), ratio_* lines and last
# ratio= (Isthmus/Knot resident memory, big zone).
# Usage: ./isthmus bench zone-scale [--names N (default 1000000)] [--zones Z (default 10000)] [--reps R] [--warmup W] [--servers nsd,knot,isthmus]
#                                   [--timeout SECONDS per server start (default 300)] [--settle SECONDS (default 6)] [--skip big,small,change]
# Everything stays on 127.0.0.1; NSD and Knot run under the shared test lock (/tmp/isthmus-root-tests.lock); with
# --lock-held the caller holds it (flock /tmp/isthmus-root-tests.lock bash perf/scripts/bench-zone-scale.sh --lock-held)
# and every phase runs in that one hold.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/common.sh"
require_launcher zone-scale
for tool in nsd knotd knotc; do
  command -v "$tool" >/dev/null || { echo "bench-zone-scale: $tool is missing (Debian: nsd knot)" >&2; exit 1; }
done
classes="$root/dns-server/target/classes"
[ -d "$classes/dev/isthmus/dns/transport" ] || { echo "bench-zone-scale: dns-server is not built" >&2; exit 1; }
[ -d "$root/control-api/target/lib" ] || { echo "bench-zone-scale: control-api is not built" >&2; exit 1; }
: "${ISTHMUS_DNS_JVM_FLAGS?run through ./isthmus bench zone-scale, which sets the JVM flags of ./isthmus dns}"
echo "bench-zone-scale: $(machine_summary)"
# The appliance's JVM (change phase) gets what ./isthmus run gives it; the dns JVM what ./isthmus dns gives it.
exec /usr/bin/python3 "$here/zone-scale.py" --java "$JAVA" --jvm-flags "$ISTHMUS_JVM_FLAGS ${ISTHMUS_JAVA_OPTS:-}" \
  --dns-jvm-flags "$ISTHMUS_JVM_FLAGS $ISTHMUS_DNS_JVM_FLAGS ${ISTHMUS_JAVA_OPTS:-}" \
  --dns-classpath "$(dns_server_classpath)" \
  --control-classpath "$root/control-api/target/classes:$root/control-api/target/lib/*" "$@"
