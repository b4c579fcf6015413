package io.geocrop.raster;

import io.geocrop.raster.tiff.GdalMetadata;
import io.geocrop.raster.tiff.GeoKeys;
import io.geocrop.raster.tiff.GeoReferencing;
import io.geocrop.raster.tiff.TiffDirectory;
import io.geocrop.raster.tiff.TiffFile;
import io.geocrop.raster.tiff.TiffImage;
import io.geocrop.raster.tiff.TiffLayout;
import io.geocrop.raster.tiff.TiffTags;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Opens GeoTIFFs and Cloud-Optimized GeoTIFFs from any {@link ByteSource}: classic TIFF and BigTIFF, tiled or
 * striped, with internal overviews. Opening reads the header, the IFD chain and the small tag values, usually
 * in one read for a COG; pixels are read later, per window. Every problem with the file is reported as a
 * {@link RasterFormatException} naming the source.
 *
 * <pre>{@code
 * try (GeoTiff tiff = GeoTiffReader.open(new FileByteSource(path))) {
 *     RasterMetadata m = tiff.metadata();
 *     Raster r = tiff.read(new RasterWindow(0, 0, 256, 256));
 * }
 * }</pre>
 */
public final class GeoTiffReader {
    private GeoTiffReader() {}

    /** Opens {@code source} with {@link ReadLimits#defaults()}. */
    public static GeoTiff open(ByteSource source) throws IOException {
        return open(source, ReadLimits.defaults());
    }

    /**
     * Opens {@code source}; the returned {@link GeoTiff} owns it and closes it. If opening fails the source is
     * closed before the exception is thrown.
     *
     * @throws RasterFormatException if the file is not a readable GeoTIFF, is truncated or malformed, or exceeds
     *                               a limit
     * @throws IOException           if the source cannot be read
     */
    public static GeoTiff open(ByteSource source, ReadLimits limits) throws IOException {
        try {
            return build(source, limits);
        } catch (IOException | Error e) {
            closeQuietly(source, e);
            throw e;
        } catch (RuntimeException e) {
            // Every check should have produced a RasterFormatException; never let a bug leak an unchecked one.
            RasterFormatException wrapped = new RasterFormatException(source.describe() + ": malformed TIFF: " + e, e);
            closeQuietly(source, wrapped);
            throw wrapped;
        }
    }

    private static void closeQuietly(ByteSource source, Throwable primary) {
        try {
            source.close();
        } catch (Exception e) {
            primary.addSuppressed(e);
        }
    }

    private static GeoTiff build(ByteSource source, ReadLimits limits) throws IOException {
        TiffFile file = TiffFile.parse(source, limits);
        List<TiffDirectory> dirs = file.directories();
        TiffDirectory first = dirs.get(0);
        TiffImage main = TiffImage.of(first, limits);
        Map<Integer, TiffLayout.Role> roles = new HashMap<>();
        roles.put(0, TiffLayout.Role.MAIN);
        List<TiffImage> overviews = new ArrayList<>();
        for (int i = 1; i < dirs.size(); i++) {
            TiffDirectory d = dirs.get(i);
            long subfile = d.integer(TiffTags.NEW_SUBFILE_TYPE, 0);
            if ((subfile & 4) != 0) {
                roles.put(i, TiffLayout.Role.MASK);
                continue;
            }
            if ((subfile & 1) == 0) {
                roles.put(i, TiffLayout.Role.OTHER);
                continue;
            }
            TiffImage ov = TiffImage.of(d, limits);
            // GDAL only uses overviews with the main image's bands and type that are actually smaller.
            if (ov.samplesPerPixel() != main.samplesPerPixel() || ov.sampleType() != main.sampleType()
                    || ov.width() > main.width() || ov.height() > main.height()) {
                roles.put(i, TiffLayout.Role.OTHER);
                continue;
            }
            roles.put(i, TiffLayout.Role.OVERVIEW);
            overviews.add(ov);
        }
        overviews.sort(Comparator.comparingInt(TiffImage::width).reversed());
        List<TiffImage> levels = new ArrayList<>();
        levels.add(main);
        levels.addAll(overviews);

        GeoKeys keys = GeoKeys.of(first);
        GeoTransform transform = GeoReferencing.transform(first, keys, GeoReferencing.pointGeoIgnore());
        int epsg = keys.epsg();
        GdalMetadata gdal = GdalMetadata.parse(first.ascii(TiffTags.GDAL_METADATA), main.samplesPerPixel(), first.where());
        Map<String, String> items = new LinkedHashMap<>(gdal.items());
        if (epsg == 0 && !keys.asMap().isEmpty() && keys.citation() != null) {
            items.putIfAbsent(GeoTiff.CITATION_KEY, keys.citation());
        }
        Double nodata = GdalMetadata.parseNodata(first.ascii(TiffTags.GDAL_NODATA));
        ColorTable colors = GeoReferencing.colorTable(first, main.sampleType().bits(), main.photometric());
        RasterMetadata metadata = new RasterMetadata(main.width(), main.height(), main.samplesPerPixel(),
                main.sampleType(), transform, epsg, nodata, gdal.descriptions(), gdal.scales(), gdal.offsets(),
                items, colors);
        return new GeoTiff(file, limits, levels, roles, metadata);
    }
}
