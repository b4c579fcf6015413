package io.geocrop.imagery.stac;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Sentinel-2 MSI bands and the L2A scene classification layer, by their ESA band ids. Catalogues name the
 * assets either by band id ({@code B04}, DEA {@code s2_l2a}) or by STAC common name ({@code red}, Earth Search
 * and DEA collection 1); {@link #fromName(String)} accepts both.
 */
public enum S2Band {
    B01("coastal", 60, true),
    B02("blue", 10, true),
    B03("green", 10, true),
    B04("red", 10, true),
    B05("rededge1", 20, true),
    B06("rededge2", 20, true),
    B07("rededge3", 20, true),
    B08("nir", 10, true),
    B8A("nir08", 20, true),
    B09("nir09", 60, true),
    /** Cirrus: in L1C only; listed so that a band id is never mistaken for something else. */
    B10("cirrus", 60, true),
    B11("swir16", 20, true),
    B12("swir22", 20, true),
    /** Scene classification (class codes, not reflectance). */
    SCL("scl", 20, false);

    /** The bands GeoCrop reads for every scene, in feature order: ten reflectance bands and the SCL mask. */
    public static final List<S2Band> GEOCROP_BANDS =
            List.of(B02, B03, B04, B05, B06, B07, B08, B8A, B11, B12, SCL);

    private static final Map<String, S2Band> BY_NAME = Stream.of(values())
            .flatMap(b -> Stream.of(Map.entry(b.name().toLowerCase(Locale.ROOT), b),
                    Map.entry(b.alias, b)))
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a)); // SCL: id == alias

    private final String alias;
    private final int resolutionM;
    private final boolean reflectance;

    S2Band(String alias, int resolutionM, boolean reflectance) {
        this.alias = alias;
        this.resolutionM = resolutionM;
        this.reflectance = reflectance;
    }

    /** The band id, e.g. {@code B8A}. */
    public String id() {
        return name();
    }

    /**
     * The asset key catalogues use for this band when they name assets by STAC common name (Earth Search
     * v1, DEA collection 1): {@code red}, {@code rededge1}, {@code nir08}, {@code scl}, ...
     */
    public String alias() {
        return alias;
    }

    /** The native pixel size in metres (10, 20 or 60). */
    public int resolutionM() {
        return resolutionM;
    }

    /** True for surface-reflectance bands; false for SCL, whose values are class codes. */
    public boolean isReflectance() {
        return reflectance;
    }

    /**
     * The band named by a band id ({@code B04}, {@code b8a}) or an asset alias ({@code red}, {@code nir08});
     * case-insensitive. The generic STAC common name {@code rededge} matches no band, because it is shared by
     * B05, B06 and B07.
     */
    public static Optional<S2Band> fromName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String key = name.trim().toLowerCase(Locale.ROOT);
        S2Band band = BY_NAME.get(key);
        if (band == null && key.matches("b\\d")) {
            band = BY_NAME.get("b0" + key.charAt(1)); // "B4" as some tools write it
        }
        return Optional.ofNullable(band);
    }

    /** Like {@link #fromName} but only band ids ({@code B04}, {@code b8a}, {@code SCL}), never aliases. */
    public static Optional<S2Band> fromId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String t = id.trim();
        return fromName(t).filter(b -> b.name().equalsIgnoreCase(t) || !b.alias.equalsIgnoreCase(t));
    }
}
