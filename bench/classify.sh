#!/usr/bin/env bash
# The main job end to end: `./geocrop classify` for a 2 km and a 5 km radius AOI on the embedded default, with
# the time of each stage as the command reports it (start-up, model, queued, extracting, scoring, assembling,
# download). Each AOI runs twice in the same GEOCROP_HOME: the first run includes generating the simulated
# imagery of its 10 km scene cells (and, on the very first run, training the demo model); the second finds both
# cached and measures GeoCrop's own work. Jobs and results are removed before every run (an identical request
# would otherwise return the finished job at once); imagery and the model are kept. Prints a Markdown table.
#
# Usage: bench/classify.sh [HOME_DIR]      (default target/bench-classify-home; delete it to measure cold runs)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOME_DIR="${1:-$ROOT/target/bench-classify-home}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
mkdir -p "$HOME_DIR"
"$ROOT/geocrop" --version >/dev/null   # builds first, so no build lands in a timing

run() { # radius label
  rm -rf "$HOME_DIR/db" "$HOME_DIR/storage/geocrop-results" "$HOME_DIR/storage/geocrop-features"
  local log="$OUT/$2.log"
  GEOCROP_HOME="$HOME_DIR" "$ROOT/geocrop" classify --lon 31.05 --lat -17.83 --radius-m "$1" --year 2024 \
    --out "$OUT/$2" >"$log" 2>"$OUT/$2.err" || { cat "$OUT/$2.err" >&2; exit 1; }
  /usr/bin/python3 - "$log" "$2" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
stages = dict(re.findall(r"^\s+(\S+)\s+([\d.]+) s$", text, re.M))
acc = re.search(r"overall accuracy ([\d.]+) %", text)
order = ["start-up", "model", "queued", "extracting", "scoring", "assembling", "download", "total"]
print("| " + sys.argv[2] + " | " + " | ".join(stages.get(s, "-") for s in order) + " | " + (acc.group(1) + " %" if acc else "-") + " |")
PY
}

echo "Machine: $(nproc) cores; load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| Run (seconds) | start-up | model | queued | extracting | scoring | assembling | download | total | accuracy vs truth |"
echo "|---|---|---|---|---|---|---|---|---|---|"
run 2000 "r = 2 km, first run"
run 2000 "r = 2 km, cached imagery"
run 5000 "r = 5 km, first run"
run 5000 "r = 5 km, cached imagery"
