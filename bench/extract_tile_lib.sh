#!/usr/bin/env bash
# One 512 px job tile end to end, as bench/extract_tile.sh, but from libs/extraction's test classpath (no
# application jar needed): ExtractTileBench, same AOI, tile, season and simulator seed as `geocrop features-bench`.
# Adds the process CPU time per run and the SHA-256 of the feature GeoTIFF. Extra JVM options via BENCH_JAVA_OPTS
# (e.g. -XX:StartFlightRecording=filename=extract.jfr,settings=profile).
# Usage: bench/extract_tile_lib.sh [LATENCY_MS] [CONCURRENT_DAYS] [RUNS]   (defaults 50, 16, 3). Prints JSON lines.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LATENCY="${1:-50}"
DAYS="${2:-16}"
RUNS="${3:-3}"
CACHE="${GEOCROP_BENCH_CACHE:-$ROOT/target/bench-sim-cache}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mkdir -p "$CACHE"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"
# test-compile and the classpath in one reactor run, so sibling modules resolve to their target/classes (the last
# module written is libs/extraction, whose classpath is the one kept).
./mvnw -q -B -o -pl libs/extraction -am test-compile org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="$ROOT/libs/extraction/target/test-classes:$ROOT/libs/extraction/target/classes:$(cat "$WORK/cp.txt")"
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${BENCH_JAVA_OPTS:-} -cp "$CP" \
  io.geocrop.extraction.bench.ExtractTileBench "$CACHE" 0 "$DAYS" "$RUNS" 2>/dev/null
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${BENCH_JAVA_OPTS:-} -cp "$CP" \
  io.geocrop.extraction.bench.ExtractTileBench "$CACHE" "$LATENCY" "$DAYS" "$RUNS" 2>/dev/null
