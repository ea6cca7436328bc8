#!/usr/bin/env bash
# Fan-out benchmark: one server process per library, one shared load generator, loopback only.
#
#   benchmarks/fanout.sh [libraries] [connection counts]
#   benchmarks/fanout.sh "sseline jetty spring hono" "1000 10000"
#
# For each library and N: start FanOutServer, hold N subscribers with FanOutLoad, then
#   1. latency: 300 broadcasts at 10 per second (p50/p99 from broadcast to parsed event), with the
#      server's idle threads, RSS and heap after GC read before publishing;
#   2. throughput: 100 broadcasts back to back (delivered events per second).
# Hono runs on Node.js (20 or newer; npm ci installs it into benchmarks/hono on first use).
# Build first: ./mvnw -q -B install -pl sse-core,sse-client,sse-server-servlet -am -DskipTests &&
#              ./mvnw -q -B -pl benchmarks package -DskipTests
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=benchmarks/target/benchmarks.jar
LIBRARIES=${1:-"sseline jetty spring hono"}
COUNTS=${2:-"1000 10000"}
PORT=${PORT:-18081}
OUT=${OUT:-benchmarks/target/fanout}
JAVA=${JAVA:-java}
SERVER_HEAP=${SERVER_HEAP:-2g}

source "$(dirname "$0")/lib.sh"
raise_open_file_limit $COUNTS

mkdir -p "$OUT"
if [[ " $LIBRARIES " == *" hono "* ]] && [ ! -d benchmarks/hono/node_modules ]; then
  (cd benchmarks/hono && npm ci --no-audit --no-fund)
fi
for library in $LIBRARIES; do
  for n in $COUNTS; do
    for phase in latency throughput; do
      log="$OUT/$library-$n-$phase"
      if [ "$library" = hono ]; then
        node --expose-gc benchmarks/hono/server.mjs "$PORT" > "$log.server.txt" 2>&1 &
      else
        "$JAVA" -Xmx"$SERVER_HEAP" -cp "$JAR" io.sseline.benchmarks.fanout.FanOutServer "$library" "$PORT" \
            > "$log.server.txt" 2>&1 &
      fi
      server=$!
      trap 'kill "$server" 2>/dev/null || true' EXIT
      await_server "$log.server.txt"
      if [ "$phase" = latency ]; then count=300 rate=10; else count=100 rate=0; fi
      "$JAVA" -Xmx2g -cp "$JAR" io.sseline.benchmarks.fanout.FanOutLoad "$PORT" "$n" "$count" "$rate" \
          > "$log.txt" 2>&1 || echo "load generator failed, see $log.txt"
      kill "$server" 2>/dev/null || true
      wait "$server" 2>/dev/null || true
      trap - EXIT
      echo "== $library N=$n $phase"
      cat "$log.txt"
    done
  done
done
