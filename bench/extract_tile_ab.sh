#!/usr/bin/env bash
# Before/after in one run: ExtractTileBench (bench/extract_tile_lib.sh) with the read path of commit BASE (the main
# sources of libs/raster, libs/imagery, libs/features and libs/extraction, compiled into a scratch directory and put
# first on the classpath) and with the working tree's, alternated ROUNDS times, so both see the same machine load.
# Prints one JSON line per run, tagged "base" or "new"; compare the medians, and the CPU seconds when the machine
# is busy. Usage: bench/extract_tile_ab.sh BASE [LATENCY_MS=0] [ROUNDS=2]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE="$1"
LATENCY="${2:-0}"
ROUNDS="${3:-2}"
CACHE="${GEOCROP_BENCH_CACHE:-$ROOT/target/bench-sim-cache}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"
./mvnw -q -B -o -pl libs/extraction -am test-compile org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -DskipTests -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="$ROOT/libs/extraction/target/test-classes:$ROOT/libs/extraction/target/classes:$(cat "$WORK/cp.txt")"
mkdir -p "$WORK/src" "$WORK/base"
git archive "$BASE" libs/raster/src/main/java libs/imagery/src/main/java libs/features/src/main/java \
  libs/extraction/src/main/java | tar -x -C "$WORK/src"
find "$WORK/src" -name '*.java' >"$WORK/files.txt"
"$JAVA_HOME/bin/javac" -nowarn -d "$WORK/base" -cp "$CP" @"$WORK/files.txt" 2>/dev/null
mkdir -p "$CACHE"
for _ in $(seq "$ROUNDS"); do
  for variant in base new; do
    cp_run="$CP"
    [ "$variant" = base ] && cp_run="$WORK/base:$CP"
    printf '{"variant":"%s",' "$variant"
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp_run" \
      io.geocrop.extraction.bench.ExtractTileBench "$CACHE" "$LATENCY" 16 1 2>/dev/null | tail -n 1 | cut -c2-
  done
done
