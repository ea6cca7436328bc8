#!/usr/bin/env bash
# Client-footprint benchmark: N event streams held by one client process per library, against one
# server process (FanOutServer with sseline) that broadcasts one ~150-byte event per second to all.
#
#   benchmarks/client-footprint.sh [libraries] [stream counts] [seconds of latency measurement]
#   benchmarks/client-footprint.sh "sseline-default sseline sseline-pool4 okhttp-sse okhttp-eventsource" "1000 10000" 20
#
# Build first (the reactor builds what the benchmarks need): ./mvnw -q -B -pl benchmarks -am package -DskipTests
# JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java runs both processes on another JDK. Each run's
# output under $OUT ends with the load average at the end of the run. H2C=1 gives the server a
# connector that also speaks cleartext HTTP/2 with Jetty's default settings (128 streams per
# connection): sseline-default then runs over h2c, the other clients stay on HTTP/1.1.
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=${JAR:-benchmarks/target/benchmarks.jar}
LIBRARIES=${1:-"sseline-default sseline sseline-pool4 okhttp-sse okhttp-eventsource"}
COUNTS=${2:-"1000 10000"}
SECONDS_MEASURED=${3:-20}
PORT=${PORT:-18082}
OUT=${OUT:-benchmarks/target/client-footprint}
JAVA=${JAVA:-java}
CLIENT_HEAP=${CLIENT_HEAP:-4g}
# CLIENT_OPTS="-Dfootprint.histogram=true" adds the client's class histogram to its output.
CLIENT_OPTS=${CLIENT_OPTS:-}
H2C=${H2C:-}
SERVER_PROTOCOLS=""
if [ -n "$H2C" ]; then SERVER_PROTOCOLS=h2c; fi

source "$(dirname "$0")/lib.sh"
raise_open_file_limit $COUNTS

mkdir -p "$OUT"
for library in $LIBRARIES; do
  for n in $COUNTS; do
    log="$OUT/$library-$n${H2C:+-h2c}"
    # shellcheck disable=SC2086
    start_client_server "$log.server.txt" $SERVER_PROTOCOLS
    # One event per second for ten minutes, more than any run needs; the server stops with the run.
    curl -s -X POST "http://127.0.0.1:$PORT/control/publish?count=600&rate=1" > /dev/null
    # shellcheck disable=SC2086
    "$JAVA" -Xmx"$CLIENT_HEAP" $CLIENT_OPTS -cp "$JAR" io.sseline.benchmarks.footprint.ClientFootprint \
        "$library" "$PORT" "$n" "$SECONDS_MEASURED" > "$log.txt" 2>&1 || echo "client failed, see $log.txt"
    note_run "$log.txt"
    stop_server
    echo "== $library N=$n"
    grep -v '^SLF4J' "$log.txt"
  done
done
