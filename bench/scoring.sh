#!/usr/bin/env bash
# Scoring benchmark (JMH): rows per second, and per core, of GeoCrop's classifiers against xgboost4j's own predictor
# (a fresh DMatrix per call, so XGBoost's prediction cache is not measured) on the same model and rows: 11 classes,
# 100 rounds of depth 6 (1 100 trees), 51 features, 65 536 rows per call, 1 and 2 threads (XGBoost nthread, ONNX
# Runtime intra-op threads, the compiled evaluator's threads). Engines: the compiled evaluator (CompiledPixelClassifier,
# the production default), ONNX Runtime with the production settings (OnnxPixelClassifier) and its variants (no
# thread spinning, 4 096 or 65 536 rows per call, the model exported with the opset-5 TreeEnsemble operator). The model is trained once, single-threaded (about 20 s on an idle
# core), and cached in libs/models/target/bench-model. Prints a Markdown table and each engine's ratio to xgboost4j,
# then the same engines measured in CPU time (ScoringCpuTime: rows per second of the process's CPU time, which a
# machine shared with other work skews far less than wall-clock throughput).
#
# Usage: bench/scoring.sh [FORKS] [ITERATIONS] [ENGINES] [CPU_SECONDS]
#   defaults 1, 5 and every engine (ITERATIONS 0 skips JMH); 3 s warm-up and measurement iterations; ENGINES is a comma-separated subset of
#   xgboost,ort,ort-nospin,ort-batch4k,ort-batch64k,ort-te5,compiled (xgboost is always added: it is the reference);
#   CPU_SECONDS (default 5) is the CPU time measured per engine and thread count in the CPU-time pass (0 skips it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FORKS="${1:-1}"
ITERATIONS="${2:-5}"
ENGINES="${3:-xgboost,ort,ort-nospin,ort-batch4k,ort-batch64k,ort-te5,compiled}"
CPU_SECONDS="${4:-5}"
case ",$ENGINES," in *,xgboost,*) ;; *) ENGINES="xgboost,$ENGINES" ;; esac
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$ROOT"
# Compiles main and test classes (the JMH annotation processor generates the harness) without running tests.
# -am: the sibling modules come from this checkout, not from a stale local repository.
./mvnw -q -B -pl libs/models -am test-compile
./mvnw -q -B -pl libs/models -am dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt"
CP="$ROOT/libs/models/target/test-classes:$ROOT/libs/models/target/classes:$(cat "$WORK/cp.txt")"

MODEL_DIR="$ROOT/libs/models/target/bench-model"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$CP" io.geocrop.models.bench.ScoringBenchmark "$MODEL_DIR" >&2

if [ "$ITERATIONS" != "0" ]; then
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" -cp "$CP" org.openjdk.jmh.Main 'io.geocrop.models.bench.ScoringBenchmark' \
  -p engine="$ENGINES" -f "$FORKS" -wi 2 -w 3s -i "$ITERATIONS" -r 3s -t 1 \
  -jvmArgs "-Xmx2g --enable-native-access=ALL-UNNAMED -Dgeocrop.bench.modelDir=$MODEL_DIR" \
  -rf json -rff "$WORK/result.json" >"$WORK/jmh.log" 2>&1 || { cat "$WORK/jmh.log" >&2; exit 1; }
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

echo "Machine: $(nproc) cores, load average before the run: $LOAD, after: $LOAD_AFTER (other processes skew a throughput figure)"
/usr/bin/python3 - "$WORK/result.json" <<'PYEOF'
import json, sys
ROWS = 65536
rows = json.load(open(sys.argv[1]))
res = {}
names = {
    "xgboost": "xgboost4j 3.0.4 predict, fresh DMatrix (reference)",
    "compiled": "compiled evaluator (CompiledPixelClassifier, production default)",
    "ort": "ONNX Runtime 1.29 (OnnxPixelClassifier, 16 384 rows per call)",
    "ort-nospin": "ONNX Runtime, intra-op threads not spinning",
    "ort-batch4k": "ONNX Runtime, 4 096 rows per call",
    "ort-batch64k": "ONNX Runtime, 65 536 rows per call",
    "ort-te5": "ONNX Runtime, opset-5 TreeEnsemble export",
}
order = list(names)
for r in rows:
    m = r["primaryMetric"]
    e, t = r["params"]["engine"], int(r["params"]["threads"])
    score, err = m["score"] * ROWS, m["scoreError"] * ROWS
    res[(e, t)] = (score, 0 if err != err else err)  # error is NaN with a single iteration
print("| Scoring, 11 classes, 1 100 trees of depth 6, 51 features | threads | rows / s | ± (99.9 %) | rows / s per core | / xgboost4j |")
print("|---|---|---|---|---|---|")
for (e, t) in sorted(res, key=lambda k: (order.index(k[0]), k[1])):
    score, err = res[(e, t)]
    ref = res.get(("xgboost", t), (float("nan"), 0))[0]
    print(f"| {names[e]} | {t} | {score / 1e3:.0f} k | {err / 1e3:.0f} k | {score / t / 1e3:.0f} k | {score / ref:.2f} |")
PYEOF
fi

if [ "$CPU_SECONDS" != "0" ]; then
  echo
  echo "CPU time, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  "$JAVA_HOME/bin/java" -Xmx2g --enable-native-access=ALL-UNNAMED -cp "$CP" io.geocrop.models.bench.ScoringCpuTime \
    "$MODEL_DIR" "$ENGINES" 1,2 "$CPU_SECONDS" 2>"$WORK/cpu.log" || { cat "$WORK/cpu.log" >&2; exit 1; }
  echo "CPU time, load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
