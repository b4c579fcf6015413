#!/usr/bin/env bash
# The cost of a map: `./geocrop classify` on the simulated default (Harare, 2024) for a 2 km and a 5 km radius,
# each job's recorded cost (the CLI's cost table, from the job API's `cost`) turned into cost per km² and per tile.
# Each radius runs in the same GEOCROP_HOME after a warm-up run, so the simulated imagery of its scene cells and
# the demo model are cached and the figures are GeoCrop's own work (the simulated DEA's work to make imagery is
# not charged to jobs anyway: it runs in the server's threads, outside the job's meter).
# Prints a Markdown table; with --json FILE also writes the per-tile figures bench/capacity_sim.py reads.
#
# Usage: bench/cost.sh [--json FILE] [HOME_DIR]    (default HOME_DIR target/bench-cost-home)
# GEOCROP_JAR=path runs that jar directly (java -jar JAR classify ...) instead of ./geocrop.
# COST_WARMUP=0 skips the warm-up runs: the recorded cost is the same work (imagery generation and model training
# run outside the job's meter), only the wall time and a colder JIT differ.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JSON_OUT=""
if [ "${1:-}" = "--json" ]; then JSON_OUT="$2"; shift 2; fi
HOME_DIR="${1:-$ROOT/target/bench-cost-home}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
mkdir -p "$HOME_DIR"

classify() { # radius log
  rm -rf "$HOME_DIR/db" "$HOME_DIR/storage/geocrop-results" "$HOME_DIR/storage/geocrop-features"
  if [ -n "${GEOCROP_JAR:-}" ]; then
    GEOCROP_HOME="$HOME_DIR" "${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" \
      --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -jar "$GEOCROP_JAR" \
      classify --lon 31.05 --lat -17.83 --radius-m "$1" --year 2024 --out "$OUT/map-$1" >"$2" 2>"$2.err"
  else
    GEOCROP_HOME="$HOME_DIR" "$ROOT/geocrop" classify --lon 31.05 --lat -17.83 --radius-m "$1" --year 2024 \
      --out "$OUT/map-$1" >"$2" 2>"$2.err"
  fi || { cat "$2.err" >&2; exit 1; }
}

echo "Machine: $(nproc) cores; load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in 2000 5000; do
  if [ "${COST_WARMUP:-1}" != 0 ]; then
    classify "$r" "$OUT/warm-$r.log"    # imagery cells and model made and cached
  fi
  classify "$r" "$OUT/cost-$r.log"
done
/usr/bin/python3 - "$OUT" "$JSON_OUT" <<'PY'
import json, re, sys
out, json_out = sys.argv[1], sys.argv[2]
rows, per_tile = [], {}
for r in (2000, 5000):
    text = open(f"{out}/cost-{r}.log").read()
    stages = {m[0]: {"units": int(m[1] or 1), "cpu": float(m[2]), "req": int(m[3]), "read": float(m[4]), "written": float(m[5])}
              for m in re.findall(r"^  (planning|extraction|scoring|assembly|total)\s+(\d*)\s+([\d.]+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)$", text, re.M)}
    km2 = float(re.search(r"per km\S* \(AOI ([\d.]+) km", text).group(1))
    t, tiles = stages["total"], stages["extraction"]["units"]
    rows.append(f"| {r/1000:g} km | {km2:.2f} | {tiles} | {t['cpu']:.1f} | {t['cpu']/km2:.2f} | {t['req']} | "
                f"{t['req']/km2:.0f} | {t['read']:.1f} | {t['read']/km2:.2f} | {t['written']:.1f} | {t['written']/km2:.3f} | "
                + " / ".join(f"{stages[s]['cpu']:.1f}" for s in ("planning", "extraction", "scoring", "assembly") if s in stages) + " |")
    per_tile[r] = {
        "tiles": tiles,
        "plan_cpu_s": stages["planning"]["cpu"], "plan_requests": stages["planning"]["req"],
        "extract_cpu_s": stages["extraction"]["cpu"] / tiles, "tile_requests": stages["extraction"]["req"] / tiles,
        "tile_mib": stages["extraction"]["read"] / tiles,
        "score_cpu_s": stages["scoring"]["cpu"] / stages["scoring"]["units"],
        "assembly_cpu_s_per_tile": stages["assembly"]["cpu"] / tiles,
    }
print()
print("| AOI radius | km² | tiles | CPU s | CPU s/km² | catalogue requests | requests/km² | MiB read | MiB read/km² "
      "| MiB written | MiB written/km² | CPU s planning / extraction / scoring / assembly |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
print("\n".join(rows))
if json_out:
    # The 5 km run's per-tile figures (more tiles: the steadier average) for bench/capacity_sim.py --measured.
    json.dump(dict(per_tile[5000], runs=per_tile), open(json_out, "w"), indent=2)
PY
