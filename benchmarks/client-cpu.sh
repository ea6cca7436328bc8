#!/usr/bin/env bash
# Client CPU per event: N event streams held by one client process per library, against one server
# process (FanOutServer with sseline, HTTP/1.1) that broadcasts R chat events of about 150 bytes per
# second to all of them. Each client warms up, then reports over a measurement window the events its
# listeners received, its process CPU time per event, its heap and RSS per stream and the load
# average. The libraries run one after another against a fresh server, with the same JVM flags.
#
#   benchmarks/client-cpu.sh [libraries] [streams] [events per second] [seconds measured] [seconds of warm-up]
#   benchmarks/client-cpu.sh "sseline-default okhttp-sse okhttp-eventsource" 100 1000 30 15
#
# Build first: ./mvnw -q -B -pl benchmarks -am package -DskipTests
# JAVA=... runs both processes on another JDK; CLIENT_OPTS adds JVM options to the client (a JFR
# recording, say). Output under $OUT, one file per library.
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=${JAR:-benchmarks/target/benchmarks.jar}
LIBRARIES=${1:-"sseline-default okhttp-sse okhttp-eventsource"}
STREAMS=${2:-100}
RATE=${3:-1000}
SECONDS_MEASURED=${4:-30}
WARM_UP=${5:-15}
PORT=${PORT:-18083}
OUT=${OUT:-benchmarks/target/client-cpu}
JAVA=${JAVA:-java}
CLIENT_HEAP=${CLIENT_HEAP:-1g}
CLIENT_OPTS=${CLIENT_OPTS:-}

source "$(dirname "$0")/lib.sh"
raise_open_file_limit "$STREAMS"

mkdir -p "$OUT"
# Enough events for the streams to open, the warm-up and the window, with room to spare.
COUNT=$((RATE * (SECONDS_MEASURED + WARM_UP + 120)))
for library in $LIBRARIES; do
  log="$OUT/$library-$STREAMS-$RATE"
  start_client_server "$log.server.txt"
  curl -s -X POST "http://127.0.0.1:$PORT/control/publish?count=$COUNT&rate=$RATE" > /dev/null
  # shellcheck disable=SC2086
  "$JAVA" -Xmx"$CLIENT_HEAP" $CLIENT_OPTS -cp "$JAR" io.sseline.benchmarks.footprint.ClientFootprint \
      "$library" "$PORT" "$STREAMS" "$SECONDS_MEASURED" "$WARM_UP" > "$log.txt" 2>&1 || echo "client failed, see $log.txt"
  note_run "$log.txt"
  echo "client_opts=$CLIENT_OPTS" >> "$log.txt"
  stop_server
  echo "== $library N=$STREAMS rate=$RATE/s"
  grep -v '^SLF4J' "$log.txt"
done
