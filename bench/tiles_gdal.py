"""GDAL renders the same tiles: gdal.Warp to a 256 px EPSG:3857 MEM dataset (nearest), then gdal.Translate to
a PNG in /vsimem (palette PNG, as the source has a colour table). In-process, so no HTTP in these figures.

usage: tiles_gdal.py <cog> <tiles.txt> <concurrency> <seconds>
Prints: p50_ms p99_ms tiles_per_s count
"""
import math
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from osgeo import gdal

gdal.UseExceptions()
cog, tiles_path, conc, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
tiles = [tuple(map(int, line.split("/"))) for line in open(tiles_path) if line.strip()]
ORIGIN = 20037508.342789244
local = threading.local()


def render(i):
    ds = getattr(local, "ds", None)
    if ds is None:
        ds = local.ds = gdal.Open(cog)
    z, x, y = tiles[i % len(tiles)]
    span = 2 * ORIGIN / 2 ** z
    minx, maxy = -ORIGIN + x * span, ORIGIN - y * span
    t0 = time.perf_counter()
    warped = gdal.Warp("", ds, format="MEM", dstSRS="EPSG:3857", outputBounds=(minx, maxy - span, minx + span, maxy),
                       width=256, height=256, resampleAlg="near")
    name = f"/vsimem/t{threading.get_ident()}.png"
    gdal.Translate(name, warped, format="PNG")
    gdal.Unlink(name)
    return time.perf_counter() - t0


for i in range(min(50, len(tiles))):  # warm-up: open datasets, fill GDAL's block cache
    render(i)
lat = []
start = time.perf_counter()
deadline = start + seconds
counter = [0]
lock = threading.Lock()


def worker():
    while time.perf_counter() < deadline:
        with lock:
            i = counter[0]
            counter[0] += 1
        lat.append(render(i))


with ThreadPoolExecutor(conc) as pool:
    for _ in range(conc):
        pool.submit(worker)
elapsed = time.perf_counter() - start
lat.sort()
pct = lambda p: lat[min(len(lat) - 1, int(math.ceil(p * len(lat))) - 1)] * 1000
print(f"{pct(0.5):.2f} {pct(0.99):.2f} {len(lat) / elapsed:.0f} {len(lat)}")
