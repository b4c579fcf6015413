package io.geocrop.imagery.sim;

import io.geocrop.domain.CropClass;
import io.geocrop.domain.Season;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/**
 * Sentinel-2 L2A observations of a {@link SimulatedLandscape} through one season: surface reflectance per band
 * and the scene classification (SCL), as pure functions of (seed, date, pixel), computed a row of 10 m pixels at
 * a time.
 *
 * <p>Per pixel and date: the parcel's phenology gives green, dry and soil fractions; their endmember spectra
 * ({@link Spectra}) mix linearly; a fixed per-pixel stand-density factor varies the green cover within a field; the
 * soil darkens when the rains wet it; sensor noise is added. Then the atmosphere: cloud blobs (fractal value
 * noise, kilometre-scale) blend in a bright cloud spectrum by their opacity, the same blobs displaced away from
 * the sun (by cloud height / tan(sun elevation)) darken the ground as shadows, and on some dates a cirrus veil
 * adds a little flat brightness. The share of cloud per date is drawn around a monthly climatology that peaks in
 * the Dec-Feb rains. SCL marks 9/8 (high/medium cloud probability), 10 (cirrus), 3 (shadow), 6 (water),
 * 4 (vegetation) and 5 (not vegetated), as Sen2Cor does.
 *
 * <p>A season covers 1 September of its year to 31 August of the next (the Sept-May growing season plus the dry
 * winter), so every date belongs to exactly one simulated season. Rows are indexed like the processing grid:
 * {@code col = floor(easting / 10)}, {@code row = floor(northing / 10)} growing northwards.
 */
public final class SimulatedSeason {
    /** Cloud opacity from which SCL says "cloud" (8), and from which "high probability" (9). */
    static final double CLOUD_MEDIUM = 0.35, CLOUD_HIGH = 0.75;
    /** Cirrus strength from which SCL says "thin cirrus" (10). */
    static final double CIRRUS_FLAG = 0.4;
    /** NDVI above which a clear land pixel is SCL vegetation (4). */
    static final double VEGETATION_NDVI = 0.4;

    private static final long SALT_DATE = 41, SALT_CLOUD = 42, SALT_CIRRUS = 43, SALT_NOISE = 44, SALT_STAND = 45;
    private static final double CLOUD_SCALE_M = 3000, CIRRUS_SCALE_M = 8000;
    private static final int CLOUD_OCTAVES = 5, CIRRUS_OCTAVES = 2;
    /** Width, in noise units, of the soft edge of a cloud: opacity goes 0 -> 1 across it. */
    private static final double CLOUD_EDGE = 0.08;
    /** Mean cloud fraction per calendar month (Jan..Dec): Zimbabwe's rains peak Dec-Feb; winter is clear. */
    private static final double[] MONTHLY_CLOUD = {0.55, 0.50, 0.30, 0.12, 0.05, 0.03, 0.02, 0.03, 0.04, 0.08, 0.25, 0.45};
    /** Chance of a cirrus veil per date, by month (Jan..Dec). */
    private static final double[] MONTHLY_CIRRUS = {0.30, 0.30, 0.25, 0.15, 0.10, 0.05, 0.05, 0.05, 0.10, 0.15, 0.25, 0.30};
    /** Quantiles of the cloud noise field, so a target cloud fraction maps to a threshold. */
    private static final double[] CLOUD_NOISE_QUANTILES = cloudNoiseQuantiles();

    private final SimulatedLandscape landscape;
    private final Season season;
    private final long seed;
    /** This season's rains: onset shift and canopy factor of the rain-fed classes. */
    private final Phenology.Rainfall rain;
    /** Per-date constants, computed once: a season has at most 365 dates. */
    private final java.util.concurrent.ConcurrentHashMap<LocalDate, DateState> states = new java.util.concurrent.ConcurrentHashMap<>();

    /** The simulated observations of {@code landscape} during {@code season}. */
    public SimulatedSeason(SimulatedLandscape landscape, Season season) {
        if (landscape == null || season == null) {
            throw new IllegalArgumentException("landscape and season must not be null");
        }
        this.landscape = landscape;
        this.season = season;
        this.seed = landscape.seed();
        this.rain = Phenology.Rainfall.of(seed, season.year());
    }

    /** The season a date is simulated in: September to August. */
    public static Season seasonOf(LocalDate date) {
        return new Season(date.getMonthValue() >= 9 ? date.getYear() : date.getYear() - 1);
    }

    public SimulatedLandscape landscape() {
        return landscape;
    }

    public Season season() {
        return season;
    }

    /** The overpasses of the growing season (1 September .. 31 May), in date order. */
    public List<Acquisition> acquisitions() {
        return Acquisition.between(seed, landscape.zone(), season.start(), season.end());
    }

    /**
     * What the sky does on a date over this zone.
     *
     * @param targetCloudFraction the date's drawn cloud share (what a large area would show)
     * @param cirrus              strength of the date's cirrus veil, 0 when there is none
     * @param sunAzimuth          degrees clockwise from north, for the zone's central meridian at 19 degrees
     *                            latitude at the 10:30 local overpass
     * @param sunElevation        degrees above the horizon
     * @param cloudHeightM        height of the cloud base, which sets how far shadows fall from clouds
     */
    public record Conditions(double targetCloudFraction, double cirrus, double sunAzimuth, double sunElevation,
                             double cloudHeightM) {}

    /** The sky on {@code date} (which must lie in this season). */
    public Conditions conditions(LocalDate date) {
        DateState s = state(date);
        return new Conditions(s.cloudFraction, s.cirrus, s.sunAzimuth, s.sunElevation, s.cloudHeight);
    }

    /** Reflectance (0..1, before quantisation) of one 10 m pixel containing (easting, northing). */
    public double reflectance(S2Band band, LocalDate date, double easting, double northing) {
        float[] one = new float[1];
        reflectanceRow(band, date, (long) Math.floor(easting / SimulatedLandscape.PIXEL_M),
                (long) Math.floor(northing / SimulatedLandscape.PIXEL_M), one);
        return one[0];
    }

    /** SCL value of one 10 m pixel containing (easting, northing). */
    public int sceneClassification(LocalDate date, double easting, double northing) {
        byte[] one = new byte[1];
        sceneClassificationRow(date, (long) Math.floor(easting / SimulatedLandscape.PIXEL_M),
                (long) Math.floor(northing / SimulatedLandscape.PIXEL_M), one);
        return one[0];
    }

    /**
     * Top-of-canopy reflectance as the sensor sees it (clouds, shadows, noise included; 0..1, unquantised) of
     * {@code out.length} 10 m pixels from {@code col0} on pixel row {@code row}.
     */
    public void reflectanceRow(S2Band band, LocalDate date, long col0, long row, float[] out) {
        if (!band.isReflectance()) {
            throw new IllegalArgumentException("SCL is not a reflectance band; use sceneClassificationRow");
        }
        DateState s = state(date);
        int n = out.length;
        double[] surface = new double[n];
        surfaceRow(new int[] {band.spectralIndex()}, s, col0, row, new double[][] {surface});
        Sky sky = sky(s, col0, row, n);
        int b = band.spectralIndex();
        for (int i = 0; i < n; i++) {
            double r = surface[i] * sky.shade[i];
            double a = sky.opacity[i];
            r = r * (1 - a) + a * Spectra.CLOUD[b] + sky.cirrus[i] * Spectra.CIRRUS[b];
            out[i] = (float) r;
        }
    }

    /** SCL values of {@code out.length} 10 m pixels from {@code col0} on pixel row {@code row}. */
    public void sceneClassificationRow(LocalDate date, long col0, long row, byte[] out) {
        DateState s = state(date);
        int n = out.length;
        double[] red = new double[n], nir = new double[n];
        surfaceRow(new int[] {S2Band.B04.spectralIndex(), S2Band.B08.spectralIndex()}, s, col0, row,
                new double[][] {red, nir});
        Sky sky = sky(s, col0, row, n);
        for (int i = 0; i < n; i++) {
            double a = sky.opacity[i];
            int scl;
            if (a >= CLOUD_HIGH) {
                scl = 9;
            } else if (a >= CLOUD_MEDIUM) {
                scl = 8;
            } else if (sky.cirrus[i] >= CIRRUS_FLAG) {
                scl = 10;
            } else if (sky.shadowOpacity[i] >= CLOUD_MEDIUM) {
                scl = 3;
            } else {
                double ndvi = (nir[i] - red[i]) / (nir[i] + red[i]);
                scl = ndvi < 0 && nir[i] < 0.06 ? 6 : ndvi > VEGETATION_NDVI ? 4 : 5;
            }
            out[i] = (byte) scl;
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Offsets, metres from a pixel's lower-left corner, of the four points whose parcels make up the pixel. */
    private static final double[] SUB_X = {2.5, 7.5, 2.5, 7.5}, SUB_Y = {7.5, 7.5, 2.5, 2.5};

    /**
     * Ground reflectance of some bands along a row, noise included, atmosphere not. A pixel is the mean of four
     * quarter-pixel samples, each of the parcel holding its centre: inside a field all four agree; along a field
     * edge the pixel mixes both fields, as a real 10 m pixel does (its truth is the parcel at its centre).
     */
    private void surfaceRow(int[] bands, DateState s, long col0, long row, double[][] outs) {
        double wet = Phenology.soilWetness(s.day, rain);
        int n = outs[0].length;
        int quarters = SUB_X.length;
        SimulatedLandscape.Neighbourhood[] cursors = new SimulatedLandscape.Neighbourhood[quarters];
        long[] lastKey = new long[quarters];
        Parcel[] parcel = new Parcel[quarters];
        double[][] cover = new double[quarters][2];
        for (int q = 0; q < quarters; q++) {
            cursors[q] = landscape.parcelCursor();
        }
        double[] sum = new double[bands.length];
        for (int i = 0; i < n; i++) {
            long col = col0 + i;
            // A fixed stand-density factor per pixel (0.75 .. 1.2): fields are never uniform (gaps in emergence,
            // weeds, termite mounds, anthills of better growth).
            double stand = 0.75 + 0.45 * Hashing.unit(Hashing.hash(seed, SALT_STAND, col, row));
            java.util.Arrays.fill(sum, 0);
            for (int q = 0; q < quarters; q++) {
                long key = cursors[q].nearest(col * SimulatedLandscape.PIXEL_M + SUB_X[q],
                        row * SimulatedLandscape.PIXEL_M + SUB_Y[q]);
                if (parcel[q] == null || key != lastKey[q]) {
                    lastKey[q] = key;
                    parcel[q] = landscape.parcelOfCell(key);
                    Phenology.cover(parcel[q], s.day, rain, cover[q]);
                }
                Parcel p = parcel[q];
                double g = Math.min(cover[q][0] * stand, 0.97);
                double d = Math.min(cover[q][1], 1 - g);
                for (int k = 0; k < bands.length; k++) {
                    int b = bands[k];
                    if (p.cropClass() == CropClass.WATER) {
                        // Turbidity brightens the visible bands only.
                        double turbidity = b <= 2 ? 0.8 + 0.5 * p.mixShare() : 1.0;
                        sum[k] += Spectra.WATER[b] * turbidity;
                    } else {
                        double soil = Spectra.SOIL[b] * p.soilBrightness() * (1 - wet);
                        if (p.cropClass() == CropClass.BARE_BUILT) {
                            soil = p.mixShare() * Spectra.BUILT[b] + (1 - p.mixShare()) * soil;
                        }
                        sum[k] += g * Spectra.GREEN_VEGETATION[b] + d * Spectra.DRY_VEGETATION[b] + (1 - g - d) * soil;
                    }
                }
            }
            for (int k = 0; k < bands.length; k++) {
                int b = bands[k];
                double r = sum[k] / quarters;
                long noiseKey = s.epochDay * 16 + b;
                r += (Spectra.NOISE_SD[b] + 0.01 * r) * Hashing.gaussian(Hashing.hash(seed, SALT_NOISE, col, row, noiseKey));
                outs[k][i] = r;
            }
        }
    }

    /** Per-pixel sky along a row: cloud opacity, the opacity of the cloud shadowing it, shade factor, cirrus. */
    private record Sky(double[] opacity, double[] shadowOpacity, double[] shade, double[] cirrus) {}

    private Sky sky(DateState s, long col0, long row, int n) {
        double[] opacity = new double[n], shadowOpacity = new double[n], shade = new double[n], cirrus = new double[n];
        Arrays.fill(shade, 1.0);
        double northing = row * SimulatedLandscape.PIXEL_M + SimulatedLandscape.PIXEL_M / 2;
        if (s.cloudThreshold < 2) {
            long cloudSeed = s.cloudSeed;
            ValueNoise.fbmRow(cloudSeed, SALT_CLOUD, col0, n, SimulatedLandscape.PIXEL_M, 0, northing, CLOUD_SCALE_M,
                    CLOUD_OCTAVES, opacity);
            // Shadows: the cloud field seen from this pixel towards the sun.
            ValueNoise.fbmRow(cloudSeed, SALT_CLOUD, col0, n, SimulatedLandscape.PIXEL_M, s.shadowDx,
                    northing + s.shadowDy, CLOUD_SCALE_M, CLOUD_OCTAVES, shadowOpacity);
            for (int i = 0; i < n; i++) {
                opacity[i] = smoothstep((opacity[i] - s.cloudThreshold) / CLOUD_EDGE);
                shadowOpacity[i] = smoothstep((shadowOpacity[i] - s.cloudThreshold) / CLOUD_EDGE);
                // Direct sunlight blocked in proportion to the shadowing cloud's opacity; diffuse light remains.
                shade[i] = 1 - 0.65 * shadowOpacity[i];
            }
        }
        if (s.cirrus > 0) {
            ValueNoise.fbmRow(s.cloudSeed, SALT_CIRRUS, col0, n, SimulatedLandscape.PIXEL_M, 0, northing,
                    CIRRUS_SCALE_M, CIRRUS_OCTAVES, cirrus);
            for (int i = 0; i < n; i++) {
                cirrus[i] = s.cirrus * smoothstep((cirrus[i] + 0.1) / 0.4);
            }
        }
        return new Sky(opacity, shadowOpacity, shade, cirrus);
    }

    private static double smoothstep(double t) {
        if (t <= 0) {
            return 0;
        }
        if (t >= 1) {
            return 1;
        }
        return t * t * (3 - 2 * t);
    }

    /** Everything about a date that does not depend on the pixel. */
    private static final class DateState {
        long epochDay;
        double day;
        double cloudFraction;
        double cloudThreshold;
        long cloudSeed;
        double cirrus;
        double sunAzimuth, sunElevation, cloudHeight;
        double shadowDx, shadowDy;
    }

    private DateState state(LocalDate date) {
        DateState cached = states.get(date);
        return cached != null ? cached : states.computeIfAbsent(date, this::newState);
    }

    private DateState newState(LocalDate date) {
        long day = season.dayOfSeason(date);
        if (day < 0 || day > 364) {
            throw new IllegalArgumentException("date " + date + " is outside simulated season " + season.year()
                    + " (" + season.start() + " .. " + season.start().plusYears(1).minusDays(1) + ")");
        }
        DateState s = new DateState();
        s.epochDay = date.toEpochDay();
        s.day = day;
        s.cloudSeed = Hashing.hash(seed, SALT_DATE, s.epochDay, landscape.zone().epsg());
        long h = s.cloudSeed;
        int month = date.getMonthValue() - 1;
        // Exponentially distributed around the monthly mean: many clear dates, a few overcast ones.
        double u = Hashing.unit(Hashing.mix(h));
        s.cloudFraction = Math.min(1.0, -MONTHLY_CLOUD[month] * StrictMath.log(1 - u));
        // Cloud where the noise exceeds the threshold; shift by half the soft edge so the flagged (opacity >=
        // CLOUD_MEDIUM) share matches the target.
        s.cloudThreshold = s.cloudFraction < 0.002 ? 2.0
                : quantile(1 - s.cloudFraction) - CLOUD_EDGE * 0.4;
        double uc = Hashing.unit(Hashing.mix(h + 1));
        s.cirrus = uc < MONTHLY_CIRRUS[month] ? 0.5 + 0.5 * Hashing.unit(Hashing.mix(h + 2)) : 0;
        s.cloudHeight = 800 + 1700 * Hashing.unit(Hashing.mix(h + 3));
        sun(s, date);
        double reach = s.cloudHeight / StrictMath.tan(Math.toRadians(Math.max(s.sunElevation, 5)));
        s.shadowDx = reach * StrictMath.sin(Math.toRadians(s.sunAzimuth));
        s.shadowDy = reach * StrictMath.cos(Math.toRadians(s.sunAzimuth));
        return s;
    }

    /** Sun position at the 10:30 local-solar-time descending-node overpass, latitude 19 degrees of the zone's side. */
    private void sun(DateState s, LocalDate date) {
        double lat = Math.toRadians(landscape.zone().south() ? -19 : 19);
        double declination = Math.toRadians(-23.44) * StrictMath.cos(2 * Math.PI * (date.getDayOfYear() + 10) / 365.0);
        double hourAngle = Math.toRadians(15 * (10.5 - 12));
        double east = -StrictMath.cos(declination) * StrictMath.sin(hourAngle);
        double north = StrictMath.sin(declination) * StrictMath.cos(lat)
                - StrictMath.cos(declination) * StrictMath.cos(hourAngle) * StrictMath.sin(lat);
        double up = StrictMath.sin(declination) * StrictMath.sin(lat)
                + StrictMath.cos(declination) * StrictMath.cos(hourAngle) * StrictMath.cos(lat);
        s.sunAzimuth = Math.floorMod(Math.round(Math.toDegrees(StrictMath.atan2(east, north)) * 1e6), 360_000_000L) / 1e6;
        s.sunElevation = Math.round(Math.toDegrees(StrictMath.asin(up)) * 1e6) / 1e6;
    }

    private static double quantile(double p) {
        double[] q = CLOUD_NOISE_QUANTILES;
        double pos = Math.min(Math.max(p, 0), 1) * (q.length - 1);
        int k = (int) pos;
        return k >= q.length - 1 ? q[q.length - 1] : q[k] + (q[k + 1] - q[k]) * (pos - k);
    }

    /** The empirical distribution of the cloud noise, from 65,536 points of a fixed field. */
    private static double[] cloudNoiseQuantiles() {
        int rows = 256, perRow = 256;
        double[] all = new double[rows * perRow];
        double[] row = new double[perRow];
        for (int r = 0; r < rows; r++) {
            // Rows 1.3 km apart, pixels 97 m apart: samples far enough apart to see many blobs.
            ValueNoise.fbmRow(0x5EED, SALT_CLOUD, r * 1000L, perRow, 97, 0, r * 1300.0, CLOUD_SCALE_M, CLOUD_OCTAVES, row);
            System.arraycopy(row, 0, all, r * perRow, perRow);
        }
        Arrays.sort(all);
        return all;
    }
}
