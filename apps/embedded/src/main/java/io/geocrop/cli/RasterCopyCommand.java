package io.geocrop.cli;

import io.geocrop.raster.CogWriteOptions;
import io.geocrop.raster.CogWriter;
import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.RasterFormatException;
import io.geocrop.raster.RasterMetadata;
import io.geocrop.raster.RasterWindow;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code geocrop raster copy}: any supported GeoTIFF in, a Cloud-Optimized GeoTIFF out, tile by tile so the
 * input may be larger than memory. Check the result with GDAL ({@code gdalinfo -checksum}, the COG validator).
 */
@Command(name = "copy", mixinStandardHelpOptions = true,
        description = {"Reads a GeoTIFF (path or http(s) URL) and writes it as a Cloud-Optimized GeoTIFF.",
                "Pixels, georeferencing, nodata, band descriptions, metadata and the colour table are kept;",
                "overviews are rebuilt (mode for paletted images, average otherwise)."})
final class RasterCopyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "A GeoTIFF file or an http(s) URL.")
    String in;

    @Parameters(index = "1", paramLabel = "OUT", description = "The COG to write.")
    Path out;

    @Option(names = "--tile-size", defaultValue = "512", description = "256 or 512 (default ${DEFAULT-VALUE}).")
    int tileSize;

    @Option(names = "--compress", defaultValue = "deflate", description = "deflate, zstd or none (default ${DEFAULT-VALUE}).")
    String compress;

    @Option(names = "--json", description = "Print timing as JSON instead of a sentence (used by bench/raster.sh).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (tileSize != 256 && tileSize != 512) {
            throw new CliException("--tile-size must be 256 or 512, got " + tileSize, 2);
        }
        long started = System.nanoTime();
        try (GeoTiff tiff = GeoTiffReader.open(RasterSources.open(in))) {
            RasterMetadata meta = tiff.metadata();
            CogWriteOptions options = CogWriteOptions.builder()
                    .tileSize(tileSize)
                    .compression(switch (compress.toLowerCase(java.util.Locale.ROOT)) {
                        case "deflate" -> CogWriteOptions.Compression.DEFLATE;
                        case "zstd" -> CogWriteOptions.Compression.ZSTD;
                        case "none" -> CogWriteOptions.Compression.NONE;
                        default -> throw new CliException("--compress must be deflate, zstd or none, got " + compress, 2);
                    })
                    .build();
            int rows = (meta.height() + tileSize - 1) / tileSize;
            int tiles;
            // One strip of the input per row of output tiles: each input tile or strip is decoded once, and memory
            // stays at one tile row whatever the image size.
            try (CogWriter writer = CogWriter.create(out, meta, options)) {
                for (int row = 0; row < rows; row++) {
                    int h = Math.min(tileSize, meta.height() - row * tileSize);
                    writer.writeTileRow(row, tiff.read(new RasterWindow(0, row * tileSize, meta.width(), h)));
                }
                tiles = writer.tilesAcross() * writer.tilesDown();
                writer.finish();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            if (json) {
                System.out.println(ApiClient.JSON.createObjectNode().put("seconds", seconds)
                        .put("mpix_per_s", (double) meta.width() * meta.height() / seconds / 1e6)
                        .put("bytes", java.nio.file.Files.size(out)));
            } else {
                System.out.printf("Wrote %s: %d x %d, %d band(s) %s, EPSG:%d, %d tiles in %.0f ms%n", out, meta.width(),
                        meta.height(), meta.bands(), meta.sampleType().name().toLowerCase(), meta.epsg(), tiles, seconds * 1000);
            }
            return 0;
        } catch (RasterFormatException e) {
            throw new CliException(e.getMessage(), 2);
        }
    }
}
