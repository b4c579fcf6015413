#!/usr/bin/env bash
# Reproduces every table of docs/performance.md in one go, with bounded settings so that the whole run takes under
# 20 minutes on a quiet 2-core machine (about 16 by the estimates below). Builds the jars it needs once (packaging
# skips tests), then runs each benchmark script in turn and writes their Markdown tables, with the machine's load
# average before each, to target/bench-all/<date>.md (and the terminal).
#
#   section                        script (bounded arguments)                          estimate, quiet machine
#   Start-up per function          bench/startup.sh 3                                   2.5 min
#   Raster I/O                     bench/raster.sh 4096 100                             1.5 min
#   Map tiles                      bench/tiles.sh 4096 10                               2 min
#   Feature kernel (JMH)           bench/features.sh 1 3                                1 min
#   One 512 px tile end to end     bench/extract_tile.sh 0 16 and 50 16                 2 min (imagery cached after
#                                                                                         the first, untimed, run)
#   Scoring (CPU-time pass)        bench/scoring.sh 1 0 xgboost,compiled,ort 4          2 min (+20 s model training
#                                                                                         on the first run)
#   The main job                   bench/classify.sh                                    5 min with imagery and the
#                                                                                         demo model cached (the
#                                                                                         first run in a new home adds
#                                                                                         training and imagery)
# The full-length variants (raster 8192 200, scoring's JMH pass with every engine, 5 start-up runs) are the
# individual scripts' defaults; run them one by one when a figure needs tighter error bars.
#
# Usage: bench/all.sh [SECTIONS]   (default "startup raster tiles features extract scoring classify")
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECTIONS="${1:-startup raster tiles features extract scoring classify}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"
OUT_DIR="$ROOT/target/bench-all"
mkdir -p "$OUT_DIR"
REPORT="$OUT_DIR/$(date -u +%Y-%m-%dT%H%M%SZ).md"
STARTED=$(date +%s)

section() { # TITLE COMMAND...
  local title="$1"; shift
  local t0
  t0=$(date +%s)
  {
    echo
    echo "## $title"
    echo
    echo "\`$*\` ($(date -u +%H:%M:%SZ), load average $(cut -d' ' -f1-3 /proc/loadavg))"
    echo
  } | tee -a "$REPORT"
  if ! "$@" 2>"$OUT_DIR/last.err" | tee -a "$REPORT"; then
    echo "FAILED: $* (stderr in $OUT_DIR/last.err)" | tee -a "$REPORT"
    tail -20 "$OUT_DIR/last.err" >&2
  fi
  echo "($(( $(date +%s) - t0 )) s)" | tee -a "$REPORT"
}

echo "# GeoCrop benchmarks, $(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1)" | tee "$REPORT"

# One packaging run for every jar the scripts start (the embedded application includes all functions).
(cd "$ROOT" && ./mvnw -B -q -pl apps/embedded,functions/submit-job,functions/extract-features,functions/score-tile,functions/tile-render \
  -am package -DskipTests) || { echo "build failed" >&2; exit 1; }

for s in $SECTIONS; do
  case "$s" in
    startup) section "Start-up per function" "$ROOT/bench/startup.sh" 3 ;;
    raster) section "Raster I/O" "$ROOT/bench/raster.sh" 4096 100 ;;
    tiles) section "Map tiles" "$ROOT/bench/tiles.sh" 4096 10 ;;
    features) section "Feature kernel" "$ROOT/bench/features.sh" 1 3 ;;
    extract)
      section "One 512 px tile, no latency" "$ROOT/bench/extract_tile.sh" 0 16
      section "One 512 px tile, 50 ms per request" "$ROOT/bench/extract_tile.sh" 50 16 ;;
    scoring) section "Scoring (CPU time)" "$ROOT/bench/scoring.sh" 1 0 xgboost,compiled,ort 4 ;;
    classify) section "The main job" "$ROOT/bench/classify.sh" ;;
    *) echo "unknown section $s" >&2; exit 2 ;;
  esac
done
echo | tee -a "$REPORT"
echo "Total: $(( ($(date +%s) - STARTED) / 60 )) min; report in $REPORT" | tee -a "$REPORT"
