#!/usr/bin/env bash
# Runs JMH benchmarks of the perf module with the project's JVM flags. Arguments go to JMH
# (e.g. a benchmark regex, -prof gc, -f 1 -wi 3 -i 5). Expects ./isthmus (or mvnw package) to have built perf.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
: "${JAVA:=java}"
: "${ISTHMUS_JVM_FLAGS:?run through ./isthmus bench, which sets the JVM flags}"
# shellcheck disable=SC2086
exec "$JAVA" $ISTHMUS_JVM_FLAGS -cp "$root/perf/target/classes:$root/perf/target/lib/*" org.openjdk.jmh.Main "$@"
