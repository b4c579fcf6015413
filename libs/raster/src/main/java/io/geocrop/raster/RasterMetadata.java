package io.geocrop.raster;

import java.util.List;
import java.util.Map;

/**
 * What describes a raster besides its pixels: size, bands, type, georeferencing and the GDAL metadata GeoCrop
 * uses. The same record is read from files and given to the writer.
 *
 * @param epsg             EPSG code of the CRS (e.g. 32736, 4326, 3857), or 0 if the file has none
 * @param nodata           GDAL_NODATA value shared by all bands, or null
 * @param bandDescriptions one per band (GDAL band DESCRIPTION), empty strings where unset
 * @param scales           per-band scale (GDAL), 1.0 where unset
 * @param offsets          per-band offset (GDAL), 0.0 where unset
 * @param metadata         dataset-level GDAL metadata items (name to value)
 * @param colorTable       palette of band 1, or null
 */
public record RasterMetadata(
        int width,
        int height,
        int bands,
        SampleType sampleType,
        GeoTransform transform,
        int epsg,
        Double nodata,
        List<String> bandDescriptions,
        List<Double> scales,
        List<Double> offsets,
        Map<String, String> metadata,
        ColorTable colorTable) {

    public RasterMetadata {
        if (width <= 0 || height <= 0 || bands <= 0) {
            throw new IllegalArgumentException("raster size and band count must be positive");
        }
        bandDescriptions = bandDescriptions == null ? List.of() : List.copyOf(bandDescriptions);
        scales = scales == null ? List.of() : List.copyOf(scales);
        offsets = offsets == null ? List.of() : List.copyOf(offsets);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** A minimal description: no nodata, descriptions, scales or palette. */
    public static RasterMetadata of(int width, int height, int bands, SampleType type, GeoTransform transform, int epsg) {
        return new RasterMetadata(width, height, bands, type, transform, epsg, null, List.of(), List.of(), List.of(), Map.of(), null);
    }

    public String bandDescription(int band) {
        return band < bandDescriptions.size() ? bandDescriptions.get(band) : "";
    }
}
