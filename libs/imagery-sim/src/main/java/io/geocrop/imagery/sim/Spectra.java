package io.geocrop.imagery.sim;

/**
 * Endmember surface reflectances for the ten bands, in {@link S2Band#REFLECTANCE} order
 * (B02, B03, B04, B05, B06, B07, B08, B8A, B11, B12). Values are rounded, typical figures within the ranges of
 * published spectra (USGS Spectral Library v7 green and dry grass, soils and water resampled to Sentinel-2 bands;
 * Sentinel-2 L2A values reported for dense crop canopies and southern-African red sandy soils): the aim is the
 * right shape (red edge, NIR plateau, SWIR water absorption, dark water NIR), not a fit to one site.
 */
final class Spectra {
    private Spectra() {}

    /** Dense green canopy: low red, steep red edge, high NIR, SWIR lowered by leaf water. NDVI about 0.86. */
    static final double[] GREEN_VEGETATION = {0.030, 0.075, 0.035, 0.120, 0.330, 0.420, 0.460, 0.480, 0.230, 0.110};
    /** Senescent leaves, stalks and dry grass: no red edge, high SWIR (cellulose/lignin). NDVI about 0.27. */
    static final double[] DRY_VEGETATION = {0.065, 0.095, 0.150, 0.185, 0.220, 0.245, 0.260, 0.280, 0.380, 0.290};
    /** Dry red-brown sandy soil (fersiallitic, common on Zimbabwe's plateau). NDVI about 0.16. */
    static final double[] SOIL = {0.075, 0.115, 0.180, 0.210, 0.225, 0.235, 0.250, 0.265, 0.350, 0.300};
    /** Moderately turbid inland water: reflectance falls with wavelength, almost nothing in NIR/SWIR. */
    static final double[] WATER = {0.060, 0.070, 0.045, 0.035, 0.025, 0.020, 0.018, 0.016, 0.008, 0.006};
    /** Roofs, roads and concrete: bright and flat. */
    static final double[] BUILT = {0.110, 0.125, 0.140, 0.160, 0.180, 0.190, 0.200, 0.210, 0.240, 0.220};
    /** Optically thick cloud top: bright and white in the VNIR, lower in the SWIR (ice/water absorption). */
    static final double[] CLOUD = {0.500, 0.500, 0.510, 0.520, 0.530, 0.530, 0.540, 0.540, 0.380, 0.260};
    /** What a cirrus veil adds (scattering, mostly spectrally flat, a little less in the SWIR). */
    static final double[] CIRRUS = {0.060, 0.060, 0.060, 0.060, 0.060, 0.060, 0.060, 0.060, 0.050, 0.040};
    /** Sensor noise standard deviation per band (additive reflectance): roughly L2A noise over land. */
    static final double[] NOISE_SD = {0.004, 0.004, 0.004, 0.004, 0.004, 0.004, 0.005, 0.005, 0.005, 0.005};
}
