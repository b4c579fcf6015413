#!/usr/bin/env bash
# Raster I/O benchmark: GeoCrop's reader and COG writer against GDAL on the same data and machine.
#   - windowed reads: N windows of 512 x 512 from a 512-px-tiled DEFLATE COG (uint16, like Sentinel-2 bands)
#   - COG write: a striped, uncompressed GeoTIFF to a DEFLATE + predictor COG with overviews
#   - over HTTP: requests and bytes per window read from a local range-serving HTTP server
# Both sides time inside one process (no JVM or Python start-up in the figures). Prints a Markdown table.
#
# Usage: bench/raster.sh [SIZE_PX] [WINDOWS]       (defaults 8192 and 200; needs ./geocrop build and GDAL)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZE="${1:-8192}"
N="${2:-200}"
PY=/usr/bin/python3
WORK="$(mktemp -d)"
SERVER_PID=""
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

# Synthetic uint16 reflectance-like data with structure (so DEFLATE has something real to do).
$PY - "$WORK/src.tif" "$SIZE" <<'PYEOF'
import sys, numpy as np
from osgeo import gdal, osr
path, n = sys.argv[1], int(sys.argv[2])
drv = gdal.GetDriverByName("GTiff")
ds = drv.Create(path, n, n, 1, gdal.GDT_UInt16)  # striped, uncompressed
ds.SetGeoTransform((300000, 10, 0, 8000000, 0, -10))
srs = osr.SpatialReference(); srs.ImportFromEPSG(32736); ds.SetProjection(srs.ExportToWkt())
rng = np.random.default_rng(7)
band = ds.GetRasterBand(1)
band.SetNoDataValue(0)
for y0 in range(0, n, 1024):
    h = min(1024, n - y0)
    yy, xx = np.mgrid[y0:y0 + h, 0:n]
    field = 1500 + 800 * np.sin(xx / 97.0) * np.cos(yy / 131.0) + ((xx // 64 + yy // 64) % 7) * 150
    band.WriteArray((field + rng.normal(0, 40, field.shape)).clip(1, 10000).astype(np.uint16), 0, y0)
ds = None
PYEOF
gdal_translate -q -of COG -co COMPRESS=DEFLATE -co PREDICTOR=2 -co BLOCKSIZE=512 "$WORK/src.tif" "$WORK/cog.tif"

java_json() { "$ROOT/geocrop" raster "$@"; }
field() { $PY -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

gdal_read=$($PY "$ROOT/bench/raster_gdal.py" read "$WORK/cog.tif" "$N" 512 64)
gdal_read_nocache=$($PY "$ROOT/bench/raster_gdal.py" read "$WORK/cog.tif" "$N" 512 2)
java_read=$(java_json bench-read "$WORK/cog.tif" --windows "$N" --size 512)
gdal_cog=$($PY "$ROOT/bench/raster_gdal.py" cog "$WORK/src.tif" "$WORK/gdal-out.tif" ALL_CPUS)
gdal_cog1=$($PY "$ROOT/bench/raster_gdal.py" cog "$WORK/src.tif" "$WORK/gdal-out1.tif" 1)
java_cog=$(java_json copy --json "$WORK/src.tif" "$WORK/java-out.tif")
# The written COG must be valid and hold the same pixels, or its speed means nothing.
$PY /usr/lib/python3/dist-packages/osgeo_utils/samples/validate_cloud_optimized_geotiff.py -q "$WORK/java-out.tif"
[ "$(gdalinfo -checksum "$WORK/java-out.tif" | grep Checksum= | head -1)" = "$(gdalinfo -checksum "$WORK/src.tif" | grep Checksum= | head -1)" ] \
  || { echo "bench/raster.sh: the COG GeoCrop wrote has other pixels than its source" >&2; exit 1; }

PORT=$((20000 + RANDOM % 20000))
$PY "$ROOT/bench/raster_gdal.py" serve "$WORK/cog.tif" "$PORT" &
SERVER_PID=$!
until curl -fs "http://127.0.0.1:$PORT/stats" >/dev/null 2>&1; do sleep 0.1; done
HN=50
curl -fs "http://127.0.0.1:$PORT/reset" >/dev/null
GDAL_DISABLE_READDIR_ON_OPEN=EMPTY_DIR $PY "$ROOT/bench/raster_gdal.py" read "/vsicurl/http://127.0.0.1:$PORT/cog.tif" "$HN" 512 >/dev/null
gdal_http=$(curl -fs "http://127.0.0.1:$PORT/stats")
curl -fs "http://127.0.0.1:$PORT/reset" >/dev/null
java_json bench-read "http://127.0.0.1:$PORT/cog.tif" --windows "$HN" --size 512 >/dev/null
java_http=$(curl -fs "http://127.0.0.1:$PORT/stats")

gr=$(echo "$gdal_read" | field mpix_per_s); gr2=$(echo "$gdal_read_nocache" | field mpix_per_s)
jr=$(echo "$java_read" | field mpix_per_s)
gc=$(echo "$gdal_cog" | field mpix_per_s); gc1=$(echo "$gdal_cog1" | field mpix_per_s)
jc=$(echo "$java_cog" | field mpix_per_s)
gs=$(echo "$gdal_cog" | field bytes); js=$(echo "$java_cog" | field bytes)
gq=$(echo "$gdal_http" | field requests); jq=$(echo "$java_http" | field requests)
gb=$(echo "$gdal_http" | field bytes); jb=$(echo "$java_http" | field bytes)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
per() { awk -v a="$1" -v n="$HN" 'BEGIN{printf "%.1f", a/n}'; }
kib() { awk -v a="$1" -v n="$HN" 'BEGIN{printf "%.0f", a/n/1024}'; }

echo "| Measure ($SIZE x $SIZE uint16, 512 px tiles and windows, $(nproc) cores) | GeoCrop | GDAL $(gdalinfo --version | awk '{print $2}' | tr -d ,) | GeoCrop / GDAL |"
echo "|---|---|---|---|"
printf '| windowed read, local COG, GDAL with 64 MiB block cache (Mpx/s, %d windows) | %.1f | %.1f | %s |\n' "$N" "$jr" "$gr" "$(ratio "$jr" "$gr")"
printf '| windowed read, local COG, GDAL cache too small to reuse tiles (Mpx/s) | %.1f | %.1f | %s |\n' "$jr" "$gr2" "$(ratio "$jr" "$gr2")"
printf '| COG write from striped GeoTIFF, GDAL NUM_THREADS=ALL_CPUS (Mpx/s) | %.1f | %.1f | %s |\n' "$jc" "$gc" "$(ratio "$jc" "$gc")"
printf '| COG write from striped GeoTIFF, GDAL NUM_THREADS=1 (Mpx/s) | %.1f | %.1f | %s |\n' "$jc" "$gc1" "$(ratio "$jc" "$gc1")"
printf '| COG size (MiB) | %.1f | %.1f | %s |\n' "$(awk -v a="$js" 'BEGIN{print a/1048576}')" "$(awk -v a="$gs" 'BEGIN{print a/1048576}')" "$(ratio "$js" "$gs")"
printf '| HTTP requests per window (%d windows, open included) | %s | %s | %s |\n' "$HN" "$(per "$jq")" "$(per "$gq")" "$(ratio "$jq" "$gq")"
printf '| HTTP KiB per window | %s | %s | %s |\n' "$(kib "$jb")" "$(kib "$gb")" "$(ratio "$jb" "$gb")"
