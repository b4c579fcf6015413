#!/usr/bin/env bash
# Cold start per function, as Knative sees it: wall time from process start to the first request handled, and the
# process's resident memory once idle after it. Each function's shaded jar runs alone (`java -jar`, configuration by
# environment, embedded defaults under a fresh GEOCROP_HOME), first plainly, then with a JDK 25 AOT cache trained by
# one start of the same jar (-XX:AOTCacheOutput, the JVM writes it at exit). Medians over RUNS runs.
#
# "First request handled" per function:
#   submit-job        POST /jobs (a 400 m AOI) answered 202: configuration, HTTP server, job store and its schema
#                     check, the event router
#   tile-render       GET of one 256 px z14 tile of a 1024 px Dynamic World-like COG answered 200 (bench/tiles_data.py,
#                     seeded as baseline dw-2024 with bench/tiles_seed.java; every part of the render path on first use)
#   extract-features  GET /health answered 200 (the HTTP server that accepts tile events; no event fixture here yet)
#   score-tile        GET /health answered 200 (as above; the model load at the first event is not in this figure)
# Idle RSS: VmRSS of the process 2 s after its first request, with the JVM's default heap sizing.
# Goals (issue 18): submit-job and tile-render <= 500 ms, extract-features <= 800 ms, RSS <= 150 MB.
#
# STARTUP_JAVA_OPTS: JVM options added to every start (e.g. "-XX:+UseSerialGC -Xss512k" to compare settings).
#
# Usage: bench/startup.sh [RUNS] [FUNCTIONS]   (defaults 5 and "submit-job tile-render extract-features score-tile";
#        needs the functions' shaded jars: ./mvnw -B -q -pl functions/<name> -am package -DskipTests)
# The embedded application (`geocrop serve`) is measured too when its jar exists (to /health, as before).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-5}"
FUNCTIONS="${2:-submit-job tile-render extract-features score-tile}"
JAVA="${GEOCROP_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
PY=/usr/bin/python3
WORK="$(mktemp -d)"
PID=""
stop() { if [ -n "$PID" ]; then kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; PID=""; fi; }
trap 'stop; rm -rf "$WORK"' EXIT

free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

jar_of() {
  case "$1" in
    embedded) ls "$ROOT"/apps/embedded/target/geocrop-embedded-*-all.jar 2>/dev/null | head -1 ;;
    *) ls "$ROOT"/functions/"$1"/target/geocrop-"$1"-*-all.jar 2>/dev/null | head -1 ;;
  esac
}

# tile-render's data: one small COG in a storage tree copied into each run's home.
seed_tiles() {
  local jar="$1"
  [ -d "$WORK/tiles-storage" ] && return 0
  $PY "$ROOT/bench/tiles_data.py" "$WORK/dw.tif" "$WORK/tiles.txt" 1024 >/dev/null
  "$JAVA" -cp "$jar" "$ROOT/bench/tiles_seed.java" "$WORK/tiles-storage" "$WORK/dw.tif" 2024 >/dev/null
  TILE_PATH="/tiles/dw-2024/$(sed -n 1p "$WORK/tiles.txt").png"
}

# first_request NAME PORT -> succeeds once the function has handled its first request
first_request() {
  local name="$1" port="$2"
  case "$name" in
    submit-job)
      local code
      code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
        -d '{"lon": 31.05, "lat": -17.83, "radius_m": 400, "year": 2024}' "http://127.0.0.1:$port/jobs" 2>/dev/null || true)
      [ "$code" = 202 ] || [ "$code" = 200 ] ;;
    tile-render) curl -fs -o /dev/null "http://127.0.0.1:$port$TILE_PATH" 2>/dev/null ;;
    *) curl -fs -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null ;;
  esac
}

# start_once NAME JAR JVM_ARGS... -> "ms_to_first_request rss_kib"
start_once() {
  local name="$1" jar="$2"; shift 2
  local home="$WORK/home-$RANDOM$RANDOM" port t0 t1 rss args=()
  port=$(free_port)
  mkdir -p "$home"
  [ "$name" = tile-render ] && cp -r "$WORK/tiles-storage" "$home/storage"
  [ "$name" = embedded ] && args=(serve)
  t0=$(now_ms)
  # GEOCROP_IMAGERY_SOURCE=stac: baselines are uploaded, never simulated (as in the cluster); submit-job does not
  # contact the catalogue at submission.
  GEOCROP_HOME="$home" PORT="$port" GEOCROP_IMAGERY_SOURCE=stac GEOCROP_TILES_CACHE_BYTES=0 \
    "$JAVA" --enable-native-access=ALL-UNNAMED ${STARTUP_JAVA_OPTS:-} "$@" -jar "$jar" "${args[@]}" >"$WORK/out.log" 2>&1 &
  PID=$!
  until first_request "$name" "$port"; do
    if ! kill -0 "$PID" 2>/dev/null; then echo "$name died:" >&2; tail -30 "$WORK/out.log" >&2; PID=""; return 1; fi
    if [ $(( $(now_ms) - t0 )) -gt 180000 ]; then echo "$name: no first request in 180 s:" >&2; tail -30 "$WORK/out.log" >&2; stop; return 1; fi
    sleep 0.01
  done
  t1=$(now_ms)
  sleep 2
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$PID/status")
  stop
  echo "$((t1 - t0)) $rss"
}

measure() {
  local name="$1" jar="$2" aot="$WORK/$1.aot" plain cached
  [ "$name" = tile-render ] && seed_tiles "$jar"
  for _ in $(seq "$RUNS"); do start_once "$name" "$jar"; done > "$WORK/plain.txt"
  start_once "$name" "$jar" -XX:AOTCacheOutput="$aot" >/dev/null # training run; the cache is written at exit
  for _ in $(seq "$RUNS"); do start_once "$name" "$jar" -XX:AOTCache="$aot" -Xlog:aot*=error; done > "$WORK/aot.txt"
  plain=$(cut -d' ' -f1 "$WORK/plain.txt" | median)
  cached=$(cut -d' ' -f1 "$WORK/aot.txt" | median)
  local rss_plain rss_aot
  rss_plain=$(( $(cut -d' ' -f2 "$WORK/plain.txt" | median) / 1024 ))
  rss_aot=$(( $(cut -d' ' -f2 "$WORK/aot.txt" | median) / 1024 ))
  local goal=500
  case "$name" in extract-features) goal=800 ;; score-tile) goal=1500 ;; embedded) goal=0 ;; esac
  local what="first request"
  case "$name" in extract-features|score-tile|embedded) what="/health" ;; esac
  printf '| %s | %s | %d | %d | %s | %d / %d | %.2f |\n' "$name" "$what" "$plain" "$cached" \
    "$([ "$goal" -gt 0 ] && awk -v a="$cached" -v g="$goal" 'BEGIN{printf "%.2f", a/g}' || echo -)" \
    "$rss_plain" "$rss_aot" "$(awk -v r="$rss_aot" 'BEGIN{print r/150}')"
}

echo "Cold start, median of $RUNS; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| Process | to | java -jar (ms) | AOT cache (ms) | AOT / goal | idle RSS plain / AOT (MB) | RSS / 150 MB |"
echo "|---|---|---|---|---|---|---|"
for f in $FUNCTIONS embedded; do
  jar=$(jar_of "$f")
  if [ -z "$jar" ]; then echo "| $f | (no jar: build it first) | | | | | |"; continue; fi
  measure "$f" "$jar" || echo "| $f | failed (see the log above) | | | | | |"
done
