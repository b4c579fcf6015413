#!/usr/bin/env bash
# Feature kernel benchmark (JMH): single-threaded throughput of FeatureExtractor in pixel-observations per
# second (pixels x acquisitions / s) on a 512 x 64 px block with 60 acquisitions, ~30 % cloudy, for float32
# reflectance and reflectance x 10000 in signed 16-bit integers (SCALED, what SeasonReader produces). Prints a Markdown table.
#
# Usage: bench/features.sh [FORKS] [ITERATIONS]      (defaults 1 and 5; 2 s warm-up and measurement iterations)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FORKS="${1:-1}"
ITERATIONS="${2:-5}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$ROOT"
# Compiles main and test classes (the JMH annotation processor generates the harness) without running tests.
./mvnw -q -B -pl libs/features test-compile
./mvnw -q -B -pl libs/features dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt"
CP="$ROOT/libs/features/target/test-classes:$ROOT/libs/features/target/classes:$(cat "$WORK/cp.txt")"

LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" -cp "$CP" org.openjdk.jmh.Main 'io.geocrop.features.bench.FeatureKernelBenchmark' \
  -f "$FORKS" -wi 3 -w 2s -i "$ITERATIONS" -r 2s -t 1 -jvmArgs "-Xmx2g" \
  -rf json -rff "$WORK/result.json" >"$WORK/jmh.log" 2>&1 || { cat "$WORK/jmh.log" >&2; exit 1; }

echo "Machine: $(nproc) cores, load average before the run: $LOAD (other processes skew a throughput figure)"
/usr/bin/python3 - "$WORK/result.json" <<'PYEOF'
import json, sys
rows = json.load(open(sys.argv[1]))
print("| Feature kernel, 1 thread, 512 x 64 px x 60 acquisitions, ~30 % cloudy | pixel-observations / s | ± (99.9 %) | pixels / s |")
print("|---|---|---|---|")
for r in rows:
    m = r["primaryMetric"]
    score, err = m["score"], m["scoreError"]
    err = 0 if err != err else err  # NaN with a single iteration
    print(f"| input {r['params']['input']} | {score / 1e6:.1f} M | {err / 1e6:.1f} M | {score / 60 / 1e3:.0f} k |")
PYEOF
