package io.geocrop.imagery.sim;

import java.util.List;
import java.util.Locale;

/**
 * The Sentinel-2 L2A assets the simulator produces: the ten surface-reflectance bands GeoCrop uses plus the
 * scene classification (SCL), with DEA's native grids (10 m or 20 m) and the band metadata that STAC's
 * {@code eo:bands} carries (centre wavelength and full width at half maximum in micrometres, from ESA's
 * Sentinel-2 MSI spectral response, as published in DEA and Earth Search items).
 */
public enum S2Band {
    B02(10, "blue", "Blue - 10m", 0.490, 0.098),
    B03(10, "green", "Green - 10m", 0.560, 0.045),
    B04(10, "red", "Red - 10m", 0.665, 0.038),
    B05(20, "rededge", "Red Edge 1 - 20m", 0.704, 0.019),
    B06(20, "rededge", "Red Edge 2 - 20m", 0.740, 0.018),
    B07(20, "rededge", "Red Edge 3 - 20m", 0.783, 0.028),
    B08(10, "nir", "NIR 1 - 10m", 0.842, 0.145),
    B8A(20, "nir08", "NIR 2 - 20m", 0.865, 0.033),
    B11(20, "swir16", "SWIR 1 - 20m", 1.610, 0.143),
    B12(20, "swir22", "SWIR 2 - 20m", 2.190, 0.242),
    SCL(20, null, "Scene Classification Map (SCL)", 0, 0);

    /** The reflectance bands in spectral order (every band but SCL). */
    public static final List<S2Band> REFLECTANCE = List.of(B02, B03, B04, B05, B06, B07, B08, B8A, B11, B12);

    private final int resolutionM;
    private final String commonName;
    private final String title;
    private final double centerWavelength;
    private final double fwhm;

    S2Band(int resolutionM, String commonName, String title, double centerWavelength, double fwhm) {
        this.resolutionM = resolutionM;
        this.commonName = commonName;
        this.title = title;
        this.centerWavelength = centerWavelength;
        this.fwhm = fwhm;
    }

    /** Native pixel size in metres: 10 or 20. */
    public int resolutionM() {
        return resolutionM;
    }

    /** STAC common name ({@code red}, {@code nir}, ...), or null for SCL. */
    public String commonName() {
        return commonName;
    }

    /** Asset title as DEA writes it. */
    public String title() {
        return title;
    }

    /** Centre wavelength in micrometres (0 for SCL). */
    public double centerWavelength() {
        return centerWavelength;
    }

    /** Full width at half maximum in micrometres (0 for SCL). */
    public double fullWidthHalfMax() {
        return fwhm;
    }

    /** True for surface-reflectance bands, false for SCL. */
    public boolean isReflectance() {
        return this != SCL;
    }

    /** Index into {@link #REFLECTANCE} (and the simulator's spectra), or -1 for SCL. */
    int spectralIndex() {
        return isReflectance() ? ordinal() : -1;
    }

    /** Parses a band id such as {@code B04} or {@code b8a}; throws naming the value when unknown. */
    public static S2Band parse(String id) {
        if (id != null) {
            String upper = id.toUpperCase(Locale.ROOT);
            for (S2Band b : values()) {
                if (b.name().equals(upper)) {
                    return b;
                }
            }
        }
        throw new IllegalArgumentException("unknown Sentinel-2 band '" + id + "'; expected one of "
                + List.of(values()));
    }
}
