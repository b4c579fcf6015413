package io.geocrop.cli;

import io.geocrop.raster.ByteSource;
import io.geocrop.raster.io.CachingByteSource;
import io.geocrop.raster.io.FileByteSource;
import io.geocrop.raster.io.HttpByteSource;
import io.geocrop.raster.io.HttpSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a path or an http(s) URL as a byte source for the raster commands. */
final class RasterSources {
    private static final long HTTP_CACHE_BYTES = 64L << 20;
    private static final int HTTP_BLOCK_BYTES = 64 << 10;

    private RasterSources() {}

    static ByteSource open(String location) {
        if (location.startsWith("http://") || location.startsWith("https://")) {
            // A bounded block cache, like GDAL's /vsicurl/: a COG's header and hot tiles are fetched once.
            return new CachingByteSource(new HttpByteSource(URI.create(location), HttpSettings.defaults()),
                    HTTP_CACHE_BYTES, HTTP_BLOCK_BYTES);
        }
        Path path = Path.of(location);
        if (!Files.isRegularFile(path)) {
            throw new CliException("no such file: " + location, 2);
        }
        return new FileByteSource(path);
    }
}
