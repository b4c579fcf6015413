#!/usr/bin/env bash
# Fair queues under a small heap (issue 17, docs/reliability.md "Fair queues" and "Memory"): one embedded server
# (`serve`, -Xmx2g by default, the embedded defaults: H2, local object store, simulated imagery) on a random loopback
# port; a 10 km job is submitted, a 1 km job a minute later; both are polled until they end. Prints when each job
# ended, its state, its queue standing as first seen, and the server's peak resident memory (VmHWM of the JVM).
#
# Usage: bench/fairness.sh     (needs JDK 25 and the built jar: ./mvnw -o -q -pl apps/embedded -am package -DskipTests)
# Environment:
#   FAIR_HOME     the server's GEOCROP_HOME (default /tmp/geocrop-fairness-home). Kept between runs: the first run
#                 trains the demo model and generates the simulated imagery; delete it to measure that again.
#   FAIR_XMX      the heap (default 2g).
#   FAIR_TIMEOUT  seconds to wait for both jobs before stopping (default 5400; the server is stopped either way).
#   FAIR_GAP      seconds between the two submissions (default 60).
#   FAIR_BIG_M / FAIR_SMALL_M   the radii (default 10000 and 1000).
#   FAIR_JAR      the jar to run (default the built one; a copy lets a long run go on while the project is rebuilt).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
HOME_DIR="${FAIR_HOME:-/tmp/geocrop-fairness-home}"
XMX="${FAIR_XMX:-2g}"
TIMEOUT="${FAIR_TIMEOUT:-5400}"
GAP="${FAIR_GAP:-60}"
BIG="${FAIR_BIG_M:-10000}"
SMALL="${FAIR_SMALL_M:-1000}"
PORT="${FAIR_PORT:-$((20000 + RANDOM % 20000))}"
URL="http://127.0.0.1:$PORT"
LOG="${FAIR_LOG:-/tmp/fairness-server.log}"
SERVER_PID=""
stop() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
}
trap stop EXIT

JAR="${FAIR_JAR:-$(compgen -G "$ROOT/apps/embedded/target/geocrop-embedded-*-all.jar" | head -n 1 || true)}"
[ -n "$JAR" ] || { echo "build the jar first: ./mvnw -o -q -pl apps/embedded -am package -DskipTests" >&2; exit 1; }
mkdir -p "$HOME_DIR"

echo "server: $URL, -Xmx$XMX, home $HOME_DIR, log $LOG"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
GEOCROP_HOME="$HOME_DIR" PORT="$PORT" GEOCROP_EMBEDDED_S3_PORT="$((PORT + 1))" \
  "$JAVA" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow "-Xmx$XMX" -jar "$JAR" serve \
  > "$LOG" 2>&1 &
SERVER_PID=$!
start=$(date +%s)
for _ in $(seq 1 600); do
  curl -sf "$URL/health" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "server died:" >&2; tail -50 "$LOG" >&2; exit 1; }
  sleep 0.5
done
curl -sf "$URL/health" >/dev/null || { echo "server did not start" >&2; tail -50 "$LOG" >&2; exit 1; }
echo "server healthy after $(( $(date +%s) - start )) s"

submit() { # $1 radius -> job id
  curl -sf -m 60 -X POST "$URL/jobs" -H 'Content-Type: application/json' \
    -d "{\"lon\": 31.05, \"lat\": -17.83, \"radius_m\": $1, \"year\": 2024}" \
    | sed -E 's/.*"id" *: *"([0-9a-f-]{36})".*/\1/'
}
field() { # $1 json, $2 key -> value (strings unquoted)
  sed -E "s/.*\"$2\" *: *\"?([^\",}]*)\"?.*/\1/" <<< "$1"
}
rss_peak() { awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo "?"; }

t0=$(date +%s)
BIG_ID=$(submit "$BIG")
echo "$(( $(date +%s) - t0 )) s: submitted the $BIG m job $BIG_ID"
sleep "$GAP"
SMALL_ID=$(submit "$SMALL")
t_small=$(date +%s)
echo "$(( t_small - t0 )) s: submitted the $SMALL m job $SMALL_ID: $(curl -sf -m 30 "$URL/jobs/$SMALL_ID" | grep -o '"queue":{[^}]*}' || true)"

big_end=""; small_end=""; big_state=""; small_state=""; order=""; last_print=0
while [ $(( $(date +%s) - t0 )) -lt "$TIMEOUT" ]; do
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "server died" >&2; tail -50 "$LOG" >&2; break; }
  now=$(date +%s)
  for which in big small; do
    if [ "$which" = big ]; then id=$BIG_ID; ended=$big_end; else id=$SMALL_ID; ended=$small_end; fi
    [ -n "$ended" ] && continue
    json=$(curl -sf -m 30 "$URL/jobs/$id" || true)
    [ -n "$json" ] || continue
    state=$(field "$json" state)
    if [ $(( now - last_print )) -ge 60 ]; then
      echo "$(( now - t0 )) s: $which $state extracted $(field "$json" extracted)/$(field "$json" total)" \
           "scored $(field "$json" scored); peak RSS $(rss_peak) KiB; load $(cut -d' ' -f1 /proc/loadavg)"
    fi
    case "$state" in
      completed|failed|COMPLETED|FAILED)
        order="$order $which"
        if [ "$which" = big ]; then big_end=$now; big_state=$state; else small_end=$now; small_state=$state; fi
        echo "$(( now - t0 )) s: the $which job ended $state $(field "$json" failure_reason)";;
    esac
  done
  [ $(( now - last_print )) -ge 60 ] && last_print=$now
  [ -n "$big_end" ] && [ -n "$small_end" ] && break
  sleep 2
done

echo
echo "| job | radius | submitted at | ended at | state |"
echo "|---|---|---|---|---|"
echo "| big | $BIG m | 0 s | ${big_end:+$(( big_end - t0 )) s} | ${big_state:-not ended after ${TIMEOUT} s} |"
echo "| small | $SMALL m | $(( t_small - t0 )) s | ${small_end:+$(( small_end - t0 )) s} | ${small_state:-not ended after ${TIMEOUT} s} |"
echo "finish order:${order:- none}; server peak RSS (VmHWM) $(rss_peak) KiB with -Xmx$XMX;" \
     "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "out of memory in the log: $(grep -c OutOfMemoryError "$LOG" || true); dead letters: $(grep -ci 'dead-letter' "$LOG" || true)"
[ "$order" = " small big" ] && [ "$big_state" = completed ] && [ "$small_state" = completed ]
