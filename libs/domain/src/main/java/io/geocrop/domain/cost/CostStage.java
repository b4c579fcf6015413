package io.geocrop.domain.cost;

import java.util.Locale;

/** The stages a job's cost is recorded under, in the order a job goes through them. */
public enum CostStage {
    /** The job's one catalogue search, the imagery manifest and the tile plan (extract-features). */
    PLANNING,
    /** Each tile's season read, features and feature GeoTIFF (extract-features). */
    EXTRACTION,
    /** Each tile's scoring into its result raster (score-tile). */
    SCORING,
    /** The crop map, summary and preview built from the result tiles (score-tile, the last tile's caller). */
    ASSEMBLY;

    /** The lower-case name used in JSON, metrics tags and the database. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The stage of a {@link #label()}; throws {@link IllegalArgumentException} for any other text. */
    public static CostStage ofLabel(String label) {
        for (CostStage s : values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown cost stage '" + label + "'");
    }
}
