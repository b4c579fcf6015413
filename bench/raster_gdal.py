#!/usr/bin/python3
"""GDAL side of bench/raster.sh: the reference every raster figure in docs/performance.md is a ratio against.

Runs inside one Python process, so GDAL is timed without process start-up, like the Java side.
  read FILE N SIZE [CACHE_MB] N windows of SIZE x SIZE (all bands) with ReadAsArray, GDAL block cache CACHE_MB
                              (default 64); prints JSON
  cog SRC OUT [THREADS]       gdal.Translate to a COG (DEFLATE, PREDICTOR=2, 512 px blocks, NUM_THREADS=THREADS,
                              default ALL_CPUS as GeoCrop's writer uses every core too); prints JSON
  serve FILE PORT             HTTP server with Range support that counts requests and bytes (GET /stats)
"""
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from osgeo import gdal

gdal.UseExceptions()


def windows(width, height, size, n):
    """The same window sequence as the Java side (RasterBenchReadCommand.windowAt)."""
    out = []
    for i in range(n):
        x = ((i * 2654435761) % (1 << 32)) % (width - size + 1)
        y = (((i * 40503 + 12345) * 2654435761) % (1 << 32)) % (height - size + 1)
        out.append((x, y))
    return out


def bench_read(path, n, size, cache_mb):
    # 64 MiB is GDAL's usual block cache; 2 MiB holds less than a window's tiles, so every window decodes its
    # tiles again, which is what GeoCrop's reader (no decoded-tile cache) does.
    gdal.SetCacheMax(cache_mb * 1024 * 1024)
    ds = gdal.Open(path)
    wins = windows(ds.RasterXSize, ds.RasterYSize, size, n)
    ds.ReadAsArray(*wins[0], size, size)  # warm-up: header, first tiles
    t0 = time.perf_counter()
    for x, y in wins:
        ds.ReadAsArray(x, y, size, size)
    seconds = time.perf_counter() - t0
    pixels = n * size * size
    return {"windows": n, "size": size, "seconds": seconds, "mpix_per_s": pixels / seconds / 1e6}


def bench_cog(src, out, threads):
    t0 = time.perf_counter()
    gdal.Translate(out, src, format="COG",
                   creationOptions=["COMPRESS=DEFLATE", "PREDICTOR=2", "BLOCKSIZE=512", "NUM_THREADS=" + threads])
    seconds = time.perf_counter() - t0
    ds = gdal.Open(src)
    return {"seconds": seconds, "mpix_per_s": ds.RasterXSize * ds.RasterYSize / seconds / 1e6,
            "bytes": os.path.getsize(out)}


def serve(path, port):
    data = open(path, "rb").read()
    stats = {"requests": 0, "bytes": 0}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_HEAD(self):
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
            with lock:
                stats["requests"] += 1

        def do_GET(self):
            if self.path == "/stats":
                body = json.dumps(stats).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            if self.path == "/reset":
                with lock:
                    stats["requests"] = 0
                    stats["bytes"] = 0
                self.send_response(204)
                self.end_headers()
                return
            rng = self.headers.get("Range")
            start, end = 0, len(data) - 1
            if rng and rng.startswith("bytes="):
                a, b = rng[6:].split(",")[0].split("-")
                start = int(a)
                end = min(int(b) if b else len(data) - 1, len(data) - 1)
                self.send_response(206)
                self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end, len(data)))
            else:
                self.send_response(200)
            chunk = data[start:end + 1]
            self.send_header("Content-Length", str(len(chunk)))
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
            self.wfile.write(chunk)
            with lock:
                stats["requests"] += 1
                stats["bytes"] += len(chunk)

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "read":
        print(json.dumps(bench_read(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
                                    int(sys.argv[5]) if len(sys.argv) > 5 else 64)))
    elif mode == "cog":
        print(json.dumps(bench_cog(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else "ALL_CPUS")))
    elif mode == "serve":
        serve(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit("unknown mode " + mode)
