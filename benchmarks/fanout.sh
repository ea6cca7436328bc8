#!/usr/bin/env bash
# Fan-out benchmark: one server process per library and round, one shared load generator, loopback only.
#
#   benchmarks/fanout.sh [libraries] [connection counts] [rounds]
#   benchmarks/fanout.sh "reference hub sseline jetty" "10000" 5
#
# Libraries: reference (the raw NIO server, the limit), hub (sseline's EventHubServlet and EventHub),
# sseline (EventStreams, one SerializedEvent sent to every stream), jetty (EventSourceServlet), spring
# (SseEmitter), hono (Node.js 20 or newer; npm ci installs it into benchmarks/hono on first use).
#
# Each round runs every library once, in an order rotated by one place per round, so that no library
# always runs first or last on a machine whose load drifts. For each library, N and round, a fresh
# server holds N subscribers of FanOutLoad, which reads the idle footprint, then runs the phases:
#   warmup      20 broadcasts back to back (not reported in the tables: the JIT compiles here);
#   throughput  100 broadcasts back to back (delivered events per second, CPU-seconds per event);
#   latency     30 broadcasts at 1 per second (p50/p99 from broadcast to parsed event).
# Outputs go to $OUT/<library>-<N>-r<round>.txt; FanOutReport turns them into the tables.
#
# An entry label=library@jar runs that library's server from another benchmarks jar under its own
# label (lower-case letters and digits), e.g. "hubmain=hub@/tmp/main/benchmarks.jar" to compare a
# library change with the write path it replaces in the same run.
#
# Environment: JAR (the benchmarks jar to run), THREADS (load generator's reader threads, 2), PHASES, OUT, PORT, JAVA (server JDK),
# LOAD_JAVA (load generator's JDK), SERVER_HEAP, SERVER_OPTS (extra server JVM options, e.g. for JFR),
# SETTLE (seconds the connections stay idle after the first idle reading before a second one,
# server_settled_*, once the servers' heartbeats have been written; 0, none, by default).
# Build first: ./mvnw -q -B -ntp -pl benchmarks -am package -DskipTests
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=${JAR:-benchmarks/target/benchmarks.jar}
LIBRARIES=(${1:-"reference hub sseline jetty"})
COUNTS=${2:-"10000"}
ROUNDS=${3:-3}
PORT=${PORT:-18081}
OUT=${OUT:-benchmarks/target/fanout}
JAVA=${JAVA:-java}
LOAD_JAVA=${LOAD_JAVA:-$JAVA}
SERVER_HEAP=${SERVER_HEAP:-2g}
SERVER_OPTS=${SERVER_OPTS:-}
THREADS=${THREADS:-2}
SETTLE=${SETTLE:-0}
PHASES=${PHASES:-"warmup:20@0 throughput:100@0 latency:30@1"}

source "$(dirname "$0")/lib.sh"
raise_open_file_limit $COUNTS

mkdir -p "$OUT"
if [[ " ${LIBRARIES[*]} " == *" hono "* ]] && [ ! -d benchmarks/hono/node_modules ]; then
  (cd benchmarks/hono && npm ci --no-audit --no-fund)
fi
count=${#LIBRARIES[@]}
for round in $(seq "$ROUNDS"); do
  for i in $(seq 0 $((count - 1))); do
    spec=${LIBRARIES[$(((i + round - 1) % count))]}
    label=${spec%%=*}
    library=${spec#*=}
    server_jar=$JAR
    if [[ $library == *@* ]]; then
      server_jar=${library#*@}
      library=${library%%@*}
    fi
    for n in $COUNTS; do
      log="$OUT/$label-$n-r$round"
      if [ "$library" = hono ]; then
        node --expose-gc benchmarks/hono/server.mjs "$PORT" > "$log.server.log" 2>&1 &
      else
        # shellcheck disable=SC2086
        "$JAVA" -Xmx"$SERVER_HEAP" $SERVER_OPTS -cp "$server_jar" io.sseline.benchmarks.fanout.FanOutServer \
            "$library" "$PORT" > "$log.server.log" 2>&1 &
      fi
      server=$!
      trap 'kill "$server" 2>/dev/null || true' EXIT
      await_server "$log.server.log"
      # shellcheck disable=SC2086
      "$LOAD_JAVA" -Xmx2g -cp "$JAR" io.sseline.benchmarks.fanout.FanOutLoad --threads="$THREADS" --settle="$SETTLE" "$PORT" "$n" \
          $PHASES > "$log.txt" 2>&1 || echo "load generator failed, see $log.txt"
      kill "$server" 2>/dev/null || true
      wait "$server" 2>/dev/null || true
      trap - EXIT
      echo "== round $round: $label N=$n: $(grep -E '^throughput_delivered_events_per_second|^latency_latency_p99_ms|^server_idle_rss_kib|^server_settled_rss_kib' "$log.txt" | tr '\n' ' ')"
    done
  done
done
"$JAVA" -cp "$JAR" io.sseline.benchmarks.fanout.FanOutReport "$OUT"
