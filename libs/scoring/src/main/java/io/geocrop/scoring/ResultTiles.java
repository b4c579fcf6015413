package io.geocrop.scoring;

import io.geocrop.domain.CropClass;
import io.geocrop.raster.ColorTable;
import java.util.List;

/**
 * What every scored raster GeoCrop writes has in common (result tiles, upload results and the job COG): band 1 the
 * {@link CropClass} code (uint8, nodata 0), band 2 the confidence in percent (uint8, 0..100), the class colour table,
 * and the GDAL metadata keys below.
 */
public final class ResultTiles {
    /** Band descriptions, in band order. */
    public static final List<String> BAND_DESCRIPTIONS = List.of("class", "confidence");
    /** Metadata key: the registered model name. */
    public static final String MODEL_NAME = "GEOCROP_MODEL_NAME";
    /** Metadata key: the model version. */
    public static final String MODEL_VERSION = "GEOCROP_MODEL_VERSION";
    /** Metadata key: {@code true} when the model was trained on simulated imagery. */
    public static final String MODEL_SYNTHETIC = "GEOCROP_MODEL_SYNTHETIC";
    /**
     * Metadata key: the model's held-out confusion matrix, {@code {"class_codes": [...], "confusion": [[...]]}}
     * (rows actual, columns predicted), carried so the job summary can adjust its areas for the model's errors.
     * Absent when the card does not record one.
     */
    public static final String MODEL_HELD_OUT_CONFUSION = "GEOCROP_MODEL_HELD_OUT_CONFUSION";
    /** Metadata key: the ETag of the feature GeoTIFF that was scored (lets a redelivered upload event be skipped). */
    public static final String SOURCE_ETAG = "GEOCROP_SOURCE_ETAG";
    /** Metadata key: {@code bucket/key} of the feature GeoTIFF that was scored. */
    public static final String SOURCE = "GEOCROP_SOURCE";
    /** Metadata key of the job COG: first day of the season (ISO date). */
    public static final String SEASON_START = "GEOCROP_SEASON_START";
    /** Metadata key of the job COG: last day of the season (ISO date). */
    public static final String SEASON_END = "GEOCROP_SEASON_END";
    /** Metadata key of the job COG: AOI centre longitude (WGS84 degrees). */
    public static final String AOI_LON = "GEOCROP_AOI_LON";
    /** Metadata key of the job COG: AOI centre latitude (WGS84 degrees). */
    public static final String AOI_LAT = "GEOCROP_AOI_LAT";
    /** Metadata key of the job COG: AOI radius in metres. */
    public static final String AOI_RADIUS_M = "GEOCROP_AOI_RADIUS_M";
    /** Content type of result tiles and the job COG. */
    public static final String COG_CONTENT_TYPE = "image/tiff; application=geotiff; profile=cloud-optimized";

    /** Class colours: entry = class code, 0 (nodata) transparent; the same colours the tiles and legend use. */
    public static final ColorTable COLOR_TABLE = colorTable();

    private ResultTiles() {}

    private static ColorTable colorTable() {
        int[] argb = new int[256];
        for (CropClass c : CropClass.all()) {
            argb[c.code()] = 0xff000000 | c.rgb();
        }
        return new ColorTable(argb);
    }
}
