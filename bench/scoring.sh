#!/usr/bin/env bash
# Scoring benchmark (JMH): rows per second, and per core, of ONNX Runtime (OnnxPixelClassifier, the production
# path) against xgboost4j's own predictor (a fresh DMatrix per call, so XGBoost's prediction cache is not measured)
# on the same model and rows: 11 classes, 100 rounds of depth 6 (1 100 trees), 51 features, 65 536 rows per call,
# 1 and 2 threads (ONNX Runtime intra-op threads / XGBoost nthread). The model is trained once, single-threaded
# (about 20 s on an idle core), and cached in libs/models/target/bench-model. Prints a Markdown table.
#
# Usage: bench/scoring.sh [FORKS] [ITERATIONS]      (defaults 1 and 5; 3 s warm-up and measurement iterations)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FORKS="${1:-1}"
ITERATIONS="${2:-5}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$ROOT"
# Compiles main and test classes (the JMH annotation processor generates the harness) without running tests.
./mvnw -q -B -pl libs/models test-compile
./mvnw -q -B -pl libs/models dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt"
CP="$ROOT/libs/models/target/test-classes:$ROOT/libs/models/target/classes:$(cat "$WORK/cp.txt")"

MODEL_DIR="$ROOT/libs/models/target/bench-model"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$CP" io.geocrop.models.bench.ScoringBenchmark "$MODEL_DIR" >&2

LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" -cp "$CP" org.openjdk.jmh.Main 'io.geocrop.models.bench.ScoringBenchmark' \
  -f "$FORKS" -wi 2 -w 3s -i "$ITERATIONS" -r 3s -t 1 \
  -jvmArgs "-Xmx2g --enable-native-access=ALL-UNNAMED -Dgeocrop.bench.modelDir=$MODEL_DIR" \
  -rf json -rff "$WORK/result.json" >"$WORK/jmh.log" 2>&1 || { cat "$WORK/jmh.log" >&2; exit 1; }
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

echo "Machine: $(nproc) cores, load average before the run: $LOAD, after: $LOAD_AFTER (other processes skew a throughput figure)"
/usr/bin/python3 - "$WORK/result.json" <<'PYEOF'
import json, sys
ROWS = 65536
rows = json.load(open(sys.argv[1]))
res = {}
print("| Scoring, 11 classes, 1 100 trees of depth 6, 51 features | threads | rows / s | ± (99.9 %) | rows / s per core |")
print("|---|---|---|---|---|")
names = {"ort": "ONNX Runtime 1.29 (OnnxPixelClassifier)", "xgboost": "xgboost4j 3.0.4 predict, fresh DMatrix"}
for r in sorted(rows, key=lambda r: (r["params"]["engine"], int(r["params"]["threads"]))):
    m = r["primaryMetric"]
    e, t = r["params"]["engine"], int(r["params"]["threads"])
    score, err = m["score"] * ROWS, m["scoreError"] * ROWS
    err = 0 if err != err else err  # NaN with a single iteration
    res[(e, t)] = score / t
    print(f"| {names[e]} | {t} | {score / 1e3:.0f} k | {err / 1e3:.0f} k | {score / t / 1e3:.0f} k |")
print()
for t in (1, 2):
    if ("ort", t) in res and ("xgboost", t) in res:
        print(f"ONNX Runtime / xgboost4j, {t} thread(s): {res[('ort', t)] / res[('xgboost', t)]:.2f}x rows per second per core")
PYEOF
