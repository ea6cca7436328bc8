# Shared by the load benchmark scripts; sourced, not run.

# Each stream is a socket on both sides of loopback, plus the JVMs' own files: raise the soft
# open-file limit as far as allowed (65,536, or the hard limit where that is lower and cannot be
# raised), and stop early if it is still too low for the largest count.
raise_open_file_limit() {
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  local n
  for n in "$@"; do
    if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((n + 1000)) ]; then
      echo "open-file limit $(ulimit -n) is too low for $n connections; raise it (ulimit -Hn as root)" >&2
      exit 1
    fi
  done
}

# Waits up to 20 s for the fan-out server logging to $1 to say it is listening; the run goes on
# either way, and the load generator's log then shows what failed.
await_server() {
  local _
  for _ in $(seq 100); do
    grep -q "fan-out server" "$1" && return 0
    sleep 0.2
  done
  echo "the server did not say it is listening within 20 s, see $1" >&2
}

# Starts the fan-out server the client benchmarks read from (sseline's EventStreams, plus the
# protocols given after $1, such as h2c) on $PORT with $JAR and $JAVA, logging to $1, and waits until
# it listens. Sets $server; stop_server stops it, and so does the script's exit meanwhile.
start_client_server() {
  local log=$1
  shift
  "$JAVA" -Xmx2g -cp "$JAR" io.sseline.benchmarks.fanout.FanOutServer sseline "$PORT" "$@" > "$log" 2>&1 &
  server=$!
  trap 'kill "$server" 2>/dev/null || true' EXIT
  await_server "$log"
}

stop_server() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  trap - EXIT
}

# Appends to a client's output $1 what the machine was doing and which JDK ran it.
note_run() {
  echo "load_average=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$1"
  echo "java=$("$JAVA" -version 2>&1 | head -1)" >> "$1"
}
