#!/usr/bin/env bash
# Drift's cost to scoring (issue 19, docs/performance.md "Drift histogram"): CPU time of counting each classified
# pixel's 51 features into the model card's training bins, as a share of classifying the same rows with the
# production classifier (compiled evaluator, 1 thread, ScoringBenchmark's 1 100-tree model, trained once into
# libs/models/target/bench-model).
#
# Usage: bench/drift.sh [CPU_SECONDS]   (default 10)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_CPU="${1:-10}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"
./mvnw -q -B -o -pl libs/models -am test-compile
./mvnw -q -B -o -pl libs/models -am dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt"
CP="$ROOT/libs/models/target/test-classes:$ROOT/libs/models/target/classes:$(cat "$WORK/cp.txt")"
MODEL_DIR="$ROOT/libs/models/target/bench-model"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$CP" io.geocrop.models.bench.ScoringBenchmark "$MODEL_DIR" >&2
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$CP" io.geocrop.models.bench.DriftHistogramCpuTime "$MODEL_DIR" "$SECONDS_CPU"
