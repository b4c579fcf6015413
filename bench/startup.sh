#!/usr/bin/env bash
# Measures cold start: process start to the first successful HTTP answer (GET /health), for submit-job alone
# and for the embedded application, each with a plain `java -jar` and with a JDK 25 AOT cache trained on one
# run of the same jar. Prints a Markdown table of medians over RUNS runs.
#
# Usage: bench/startup.sh [RUNS]        (default 5; needs a built tree: ./geocrop build)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-5}"
JAVA="${GEOCROP_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
PORT=18181

submit_jar=$(ls "$ROOT"/functions/submit-job/target/geocrop-submit-job-*-all.jar)
embedded_jar=$(ls "$ROOT"/apps/embedded/target/geocrop-embedded-*-all.jar)

now_ms() { date +%s%3N; }

# start_once NAME JAR ARGS... -> prints milliseconds until /health answered 200
start_once() {
  local jar="$1"; shift
  local home="$WORK/home-$RANDOM"
  local t0 t1 pid
  t0=$(now_ms)
  GEOCROP_HOME="$home" PORT=$PORT "$JAVA" --enable-native-access=ALL-UNNAMED "$@" -jar "$jar" "${APP_ARGS[@]}" >"$WORK/out.log" 2>&1 &
  pid=$!
  until curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "process died:" >&2; cat "$WORK/out.log" >&2; return 1; fi
    sleep 0.02
  done
  t1=$(now_ms)
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  echo $((t1 - t0))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

measure() {
  local label="$1" jar="$2"; shift 2
  local aot="$WORK/$label.aot"
  local plain cached
  plain=$(for _ in $(seq "$RUNS"); do start_once "$jar"; done | median)
  # Training run: the JVM writes the cache when it exits after serving /health once.
  start_once "$jar" -XX:AOTCacheOutput="$aot" >/dev/null
  cached=$(for _ in $(seq "$RUNS"); do start_once "$jar" -XX:AOTCache="$aot"; done | median)
  printf '| %s | %d | %d | %.2f |\n' "$label" "$plain" "$cached" "$(awk -v a="$cached" -v b="$plain" 'BEGIN{print a/b}')"
}

echo "| Process | java -jar (ms) | with AOT cache (ms) | ratio |"
echo "|---|---|---|---|"
APP_ARGS=()
measure submit-job "$submit_jar"
APP_ARGS=(serve)
measure embedded "$embedded_jar"
