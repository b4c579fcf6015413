#!/usr/bin/env bash
# Map tile benchmark: tile-render (real function, real HTTP) against GDAL rendering the same tiles.
#   - data: a SIZE x SIZE uint8 Dynamic World-like label COG (EPSG:32736, 10 m, 512 px DEFLATE tiles, mode
#     overviews, colour table) written by GDAL and put into the embedded object store as baseline dw-2024
#   - tiles: every z14 and z15 tile wholly inside it (256 px, so every request renders real pixels)
#   - GeoCrop: java -jar tile-render with its tile cache off (GEOCROP_TILES_CACHE_BYTES=0), so every request
#     reads, reprojects, samples and encodes; load from wrk at concurrency 1 and 16 (--latency percentiles)
#   - cache hits: the same with the cache on, after one warming pass over every tile
#   - GDAL: bench/tiles_gdal.py, gdal.Warp (near) to MEM + gdal.Translate to PNG, in-process (no HTTP)
# Prints a Markdown table; "GeoCrop advantage" is GDAL latency / GeoCrop latency and GeoCrop tiles/s / GDAL
# tiles/s, so above 1 means GeoCrop is faster.
#
# Usage: bench/tiles.sh [SIZE_PX] [SECONDS]     (defaults 4096 and 10; needs wrk, GDAL's Python bindings, JDK 25)
# Environment: TILES_JAVA_OPTS, JVM options of tile-render (default -Xmx1g; e.g. "-Xmx1g -XX:+UseParallelGC" to
# compare collectors); GEOCROP_TILES_DECODED_BLOCK_BYTES, tile-render's decoded-block cache (default 64 MiB, 0 off).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZE="${1:-4096}"
SECONDS_PER_RUN="${2:-10}"
PY=/usr/bin/python3
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
PORT="${TILES_BENCH_PORT:-18181}"
WORK="$(mktemp -d)"
SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; fi
}
trap 'stop_server; rm -rf "$WORK"' EXIT
command -v wrk >/dev/null || { echo "needs wrk (apt-get install -y wrk)" >&2; exit 1; }

JAR="$(ls "$ROOT"/functions/tile-render/target/geocrop-tile-render-*-all.jar 2>/dev/null | head -1 || true)"
if [ -z "$JAR" ]; then
  (cd "$ROOT" && JAVA_HOME="$(dirname "$(dirname "$JAVA")")" ./mvnw -q -B -pl functions/tile-render package -DskipTests)
  JAR="$(ls "$ROOT"/functions/tile-render/target/geocrop-tile-render-*-all.jar | head -1)"
fi

$PY "$ROOT/bench/tiles_data.py" "$WORK/dw.tif" "$WORK/tiles.txt" "$SIZE"
"$JAVA" -cp "$JAR" "$ROOT/bench/tiles_seed.java" "$WORK/home/storage" "$WORK/dw.tif" 2024 >/dev/null
sed 's|^|/tiles/dw-2024/|; s|$|.png|' "$WORK/tiles.txt" > "$WORK/paths.txt"
NTILES=$(wc -l < "$WORK/tiles.txt")

start_server() { # $1 = tile cache bytes
  # GEOCROP_IMAGERY_SOURCE=stac: the cluster's behaviour, where baselines are uploaded, never generated; with the
  # embedded default, z14/z15 tiles would generate simulated cells that mosaic over the benchmark's COG.
  GEOCROP_HOME="$WORK/home" PORT="$PORT" GEOCROP_TILES_CACHE_BYTES="$1" GEOCROP_IMAGERY_SOURCE=stac \
    "$JAVA" --enable-native-access=ALL-UNNAMED ${TILES_JAVA_OPTS:--Xmx1g} -jar "$JAR" > "$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 600); do # up to 2 minutes: a loaded machine starts a JVM slowly
    curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "tile-render did not start:" >&2; cat "$WORK/server.log" >&2; exit 1
}

warm() { # one pass over every tile (JIT, open COG, block cache; fills the tile cache when it is on)
  for _ in 1 2; do
    xargs -P 4 -I{} curl -sf -o /dev/null "http://127.0.0.1:$PORT{}" < "$WORK/paths.txt"
  done
}

# wrk at concurrency $1 -> "p50_ms p99_ms req_per_s"
run_wrk() {
  local c=$1 threads=$(( $1 < 2 ? 1 : 2 ))
  TILES_PATHS="$WORK/paths.txt" wrk -t"$threads" -c"$c" -d"${SECONDS_PER_RUN}s" --latency \
    -s "$ROOT/bench/tiles_wrk.lua" "http://127.0.0.1:$PORT" > "$WORK/wrk.txt" 2> "$WORK/wrk.err"
  if [ -s "$WORK/wrk.err" ]; then echo "wrk saw errors:" >&2; sort "$WORK/wrk.err" | uniq -c >&2; exit 1; fi
  $PY - "$WORK/wrk.txt" <<'PYEOF'
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    m = re.search(r"^\s*" + label + r"%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
print(f"{ms('50'):.2f} {ms('99'):.2f} {rps:.0f}")
PYEOF
}

start_server 0
warm
read -r R1_P50 R1_P99 R1_RPS <<< "$(run_wrk 1)"
read -r R16_P50 R16_P99 R16_RPS <<< "$(run_wrk 16)"
BYTES=$(curl -s "http://127.0.0.1:$PORT$(sed -n 1p "$WORK/paths.txt")" | wc -c)
stop_server

start_server 268435456
warm
read -r H1_P50 H1_P99 H1_RPS <<< "$(run_wrk 1)"
read -r H16_P50 H16_P99 H16_RPS <<< "$(run_wrk 16)"
stop_server

read -r G1_P50 G1_P99 G1_RPS _ <<< "$($PY "$ROOT/bench/tiles_gdal.py" "$WORK/dw.tif" "$WORK/tiles.txt" 1 "$SECONDS_PER_RUN")"
read -r G16_P50 G16_P99 G16_RPS _ <<< "$($PY "$ROOT/bench/tiles_gdal.py" "$WORK/dw.tif" "$WORK/tiles.txt" 16 "$SECONDS_PER_RUN")"
GDAL_VERSION=$($PY -c "from osgeo import gdal; print(gdal.__version__)")

ratio() { $PY -c "print(f'{$1 / $2:.2f}')"; }
echo "Tiles: $NTILES distinct z14/z15 256 px tiles of a ${SIZE} x ${SIZE} uint8 COG; $(nproc) cores; ${SECONDS_PER_RUN} s per run; first tile PNG $BYTES bytes"
echo
echo "| 256 px tile, local COG | GeoCrop tile-render (HTTP) | GDAL $GDAL_VERSION Warp + PNG (in-process) | GeoCrop advantage |"
echo "|---|---|---|---|"
echo "| concurrency 1: p50 latency (ms) | $R1_P50 | $G1_P50 | $(ratio "$G1_P50" "$R1_P50") |"
echo "| concurrency 1: p99 latency (ms) | $R1_P99 | $G1_P99 | $(ratio "$G1_P99" "$R1_P99") |"
echo "| concurrency 1: tiles/s | $R1_RPS | $G1_RPS | $(ratio "$R1_RPS" "$G1_RPS") |"
echo "| concurrency 16: p50 latency (ms) | $R16_P50 | $G16_P50 | $(ratio "$G16_P50" "$R16_P50") |"
echo "| concurrency 16: p99 latency (ms) | $R16_P99 | $G16_P99 | $(ratio "$G16_P99" "$R16_P99") |"
echo "| concurrency 16: tiles/s | $R16_RPS | $G16_RPS | $(ratio "$R16_RPS" "$G16_RPS") |"
echo "| cache hit, concurrency 1: p50 / p99 (ms), tiles/s | $H1_P50 / $H1_P99, $H1_RPS | | |"
echo "| cache hit, concurrency 16: p50 / p99 (ms), tiles/s | $H16_P50 / $H16_P99, $H16_RPS | | |"
