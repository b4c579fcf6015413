"""Writes the benchmark's Dynamic World-like label COG and the list of tiles to request.

usage: tiles_data.py <out.tif> <tiles.txt> <size_px>
The COG: size x size uint8 classes 0..8 (nodata 255, DW colour table), EPSG:32736, 10 m, around Harare,
512 px DEFLATE tiles and mode overviews (what a baseline would be). The list: every z14 and z15 tile that lies
wholly inside the raster, as z/x/y lines.
"""
import math
import sys

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()
out, tiles_path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
PALETTE = ["419bdf", "397d49", "88b053", "7a87c6", "e49635", "dfc35a", "c4281b", "a59b8f", "b39fe1"]

srs = osr.SpatialReference()
srs.ImportFromEPSG(32736)
srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
wgs = osr.SpatialReference()
wgs.ImportFromEPSG(4326)
wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
to_utm = osr.CoordinateTransformation(wgs, srs)
e, nn, _ = to_utm.TransformPoint(31.05, -17.83)
ox, oy = math.floor(e / 10) * 10 - n * 5, math.floor(nn / 10) * 10 + n * 5

mem = gdal.GetDriverByName("MEM").Create("", n, n, 1, gdal.GDT_Byte)
mem.SetGeoTransform((ox, 10, 0, oy, 0, -10))
mem.SetProjection(srs.ExportToWkt())
band = mem.GetRasterBand(1)
band.SetNoDataValue(255)
ct = gdal.ColorTable()
for i, h in enumerate(PALETTE):
    ct.SetColorEntry(i, (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), 255))
band.SetColorTable(ct)
rng = np.random.default_rng(11)
yy, xx = np.mgrid[0:n, 0:n]
# Irregular "fields": blocks of 20..60 px with a class each, noisy edges, some nodata.
field = ((xx // 37) * 7 + (yy // 23) * 13 + ((xx + yy) // 53)) % 9
noise = rng.random((n, n)) < 0.03
field[noise] = rng.integers(0, 9, noise.sum())
field[(xx // 300 + yy // 300) % 11 == 10] = 255
band.WriteArray(field.astype(np.uint8))
gdal.Translate(out, mem, format="COG", creationOptions=["COMPRESS=DEFLATE", "BLOCKSIZE=512", "OVERVIEW_RESAMPLING=MODE"])

to_wgs = osr.CoordinateTransformation(srs, wgs)
corners = [to_wgs.TransformPoint(x, y)[:2] for x, y in [(ox, oy), (ox + n * 10, oy), (ox, oy - n * 10), (ox + n * 10, oy - n * 10)]]
west, east = max(corners[0][0], corners[2][0]), min(corners[1][0], corners[3][0])
north, south = min(corners[0][1], corners[1][1]), max(corners[2][1], corners[3][1])
with open(tiles_path, "w") as f:
    for z in (14, 15):
        k = 2 ** z
        tx = lambda lon: (lon + 180) / 360 * k
        ty = lambda lat: (1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * k
        for y in range(math.ceil(ty(north)), math.floor(ty(south))):
            for x in range(math.ceil(tx(west)), math.floor(tx(east))):
                f.write(f"{z}/{x}/{y}\n")
