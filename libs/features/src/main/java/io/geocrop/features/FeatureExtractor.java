package io.geocrop.features;

import io.geocrop.domain.cost.WorkMeter;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The per-pixel feature kernel: turns a {@link SeasonTimeSeries} block into {@code float[51][pixel]}
 * (band-sequential, in {@link FeatureOrder#FEATURE_ORDER_V1} order). Pure computation, no I/O. Every definition
 * (indices, percentiles, smoothing, phenology, windows, nodata) is in {@code docs/features.md}.
 *
 * <p>An instance holds scratch arrays that are reused from pixel to pixel, so it allocates nothing per pixel and
 * is <b>not thread-safe</b>: use one instance per thread, or {@link #extractTile}, which does exactly that.
 */
public final class FeatureExtractor {

    /** Half-width in days of the moving average applied to the daily NDVI curve (window = 2 * 7 + 1 days). */
    public static final int SMOOTHING_HALF_WINDOW_DAYS = 7;
    /** Half-width in days of the window around the NDVI peak day for the {@code *_peak_median} features. */
    public static final int PEAK_WINDOW_HALF_DAYS = 20;
    /** Fraction of the amplitude above the trough that marks the start and the end of the season. */
    public static final double SEASON_THRESHOLD = 0.5;
    /**
     * A smoothed-curve amplitude below this is treated as 0 (a flat curve): rounding in the moving average must
     * not turn a constant series into a season with a start and an end.
     */
    public static final double FLAT_AMPLITUDE = 1e-6;
    /**
     * An index whose denominator is smaller than this in magnitude is left out for that observation, as a zero
     * denominator is: within ten quantisation steps (0.0001) of zero the ratio is quantisation and noise, and with
     * reflectance allowed below zero (water in the SWIR) it would otherwise reach any size and either sign.
     */
    public static final double MIN_INDEX_DENOMINATOR = 1e-3;
    /** A pixel with fewer clear observations than this is nodata (all 51 features NaN). */
    public static final int MIN_CLEAR_OBSERVATIONS = 3;

    private static final int ROWS_PER_TASK = 4;
    private static final int CHUNK_PIXELS = 64;
    private static final double FIXED_POINT_SCALE = 0x1p40;
    /** {@code 1 / (FIXED_POINT_SCALE * count)} for window sizes 1 .. 15: turns a fixed-point window sum into a mean. */
    private static final double[] INVERSE_WINDOW = new double[2 * SMOOTHING_HALF_WINDOW_DAYS + 2];

    static {
        for (int count = 1; count < INVERSE_WINDOW.length; count++) {
            INVERSE_WINDOW[count] = 1 / (FIXED_POINT_SCALE * count);
        }
    }

    // Index series computed per clear observation, in this order.
    private static final int NDVI = 0;
    private static final int EVI = 1;
    private static final int SAVI = 2;
    private static final int NDRE = 3;
    private static final int NDMI = 4;
    private static final int MNDWI = 5;
    private static final int BSI = 6;
    private static final int INDEX_COUNT = 7;

    private static final int B02 = Band.B02.index();
    private static final int B03 = Band.B03.index();
    private static final int B04 = Band.B04.index();
    private static final int B05 = Band.B05.index();
    private static final int B08 = Band.B08.index();
    private static final int B8A = Band.B8A.index();
    private static final int B11 = Band.B11.index();
    private static final int B12 = Band.B12.index();

    // Scratch, grown on demand and reused for every pixel.
    private byte[] chunkQuality;            // [t][c] of the current chunk of pixels
    private float[] chunkReflectance;       // [band][t][c]
    private short[] chunkScaled;            // [band][t][c]
    private int capacity;
    private int[] clearDays;
    private double[][] bandValues;          // [band][clear observation]
    private double[][] indexValues;         // [index][finite observation]
    private int[][] indexDays;              // [index][finite observation]
    private final int[] indexCounts = new int[INDEX_COUNT];
    private double[] work;                  // copy of the values a percentile is taken of (quickselect reorders)
    private double[] smoothed = new double[0]; // moving average of the interpolated NDVI
    private long[] fixedPoint = new long[0];   // NDVI interpolated to each day of its span, in fixed point
    private final double[] features = new double[FeatureOrder.COUNT];

    /** A kernel with scratch for up to 64 acquisitions; it grows when a series has more. */
    public FeatureExtractor() {
        ensureCapacity(64);
    }

    /**
     * Features of every pixel of a block.
     *
     * @return {@code float[51][series.pixelCount()]}, NaN where a feature is undefined
     * @throws IllegalArgumentException if a clear float sample is not finite
     */
    public float[][] extract(SeasonTimeSeries series) {
        float[][] out = new float[FeatureOrder.COUNT][series.pixelCount()];
        extract(series, 0, series.pixelCount(), out);
        return out;
    }

    /**
     * Features of pixels {@code [fromPixel, toPixel)} of a block into {@code out[feature][pixel]} (same pixel
     * indices as the block). Other pixels of {@code out} are left untouched.
     *
     * @throws IllegalArgumentException if the range or {@code out} does not fit the block, or a clear sample is
     *                                  not finite
     */
    public void extract(SeasonTimeSeries series, int fromPixel, int toPixel, float[][] out) {
        int pixels = series.pixelCount();
        if (fromPixel < 0 || toPixel > pixels || fromPixel > toPixel) {
            throw new IllegalArgumentException("pixel range [" + fromPixel + ", " + toPixel + ") is outside the block of "
                    + pixels + " pixels");
        }
        if (out == null || out.length != FeatureOrder.COUNT) {
            throw new IllegalArgumentException("out must hold " + FeatureOrder.COUNT + " feature arrays, has "
                    + (out == null ? "null" : out.length));
        }
        for (int f = 0; f < out.length; f++) {
            if (out[f] == null || out[f].length != pixels) {
                throw new IllegalArgumentException("out[" + f + "] (" + FeatureOrder.FEATURE_ORDER_V1.get(f)
                        + ") must hold " + pixels + " pixels");
            }
        }
        ensureCapacity(series.acquisitionCount());
        Windows windows = Windows.of(series);
        for (int chunk = fromPixel; chunk < toPixel; chunk += CHUNK_PIXELS) {
            int length = Math.min(CHUNK_PIXELS, toPixel - chunk);
            copyChunk(series, chunk, length);
            for (int c = 0; c < length; c++) {
                computePixel(series, windows, chunk, c);
                int p = chunk + c;
                for (int f = 0; f < FeatureOrder.COUNT; f++) {
                    out[f][p] = (float) features[f];
                }
            }
        }
    }

    /**
     * Copies a run of pixels of every band and acquisition into a small buffer. Reading one pixel straight from the
     * block touches 600 arrays (10 bands x T) at scattered addresses; copying 64 consecutive pixels of each array
     * at a time reads memory sequentially and leaves the per-pixel reads in cache (the kernel got about 2x faster).
     */
    private void copyChunk(SeasonTimeSeries series, int from, int length) {
        int t = series.acquisitionCount();
        byte[][] quality = series.quality();
        for (int i = 0; i < t; i++) {
            System.arraycopy(quality[i], from, chunkQuality, i * CHUNK_PIXELS, length);
        }
        if (series.isScaledReflectance()) {
            short[][][] scaled = series.scaledReflectance();
            for (int b = 0; b < Band.COUNT; b++) {
                for (int i = 0; i < t; i++) {
                    System.arraycopy(scaled[b][i], from, chunkScaled, (b * t + i) * CHUNK_PIXELS, length);
                }
            }
        } else {
            float[][][] refl = series.reflectance();
            for (int b = 0; b < Band.COUNT; b++) {
                for (int i = 0; i < t; i++) {
                    System.arraycopy(refl[b][i], from, chunkReflectance, (b * t + i) * CHUNK_PIXELS, length);
                }
            }
        }
    }

    /**
     * Features of a whole tile on {@code parallelism} threads: rows are handed out in small chunks to the threads,
     * each with its own kernel. The result does not depend on the parallelism.
     *
     * @throws IllegalArgumentException if {@code parallelism < 1} or the data is invalid (see {@link #extract})
     * @throws InterruptedException     if the calling thread is interrupted while waiting; the workers are stopped
     */
    public static float[][] extractTile(SeasonTimeSeries series, int parallelism) throws InterruptedException {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        float[][] out = new float[FeatureOrder.COUNT][series.pixelCount()];
        int tasks = (series.height() + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        int threads = Math.min(parallelism, tasks);
        AtomicInteger nextTask = new AtomicInteger();
        Runnable worker = () -> {
            FeatureExtractor kernel = new FeatureExtractor();
            for (int task; (task = nextTask.getAndIncrement()) < tasks && !Thread.currentThread().isInterrupted(); ) {
                int fromRow = task * ROWS_PER_TASK;
                int toRow = Math.min(series.height(), fromRow + ROWS_PER_TASK);
                kernel.extract(series, fromRow * series.width(), toRow * series.width(), out);
            }
        };
        if (threads == 1) {
            worker.run();
            return out;
        }
        List<Thread> started = new ArrayList<>(threads);
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < threads; i++) {
            started.add(Thread.ofPlatform().name("geocrop-features-", i).daemon(true)
                    .uncaughtExceptionHandler((t, e) -> {
                        failures.add(e);
                        nextTask.set(tasks); // the others stop after their current chunk
                    })
                    .start(WorkMeter.wrap(worker))); // the tile's CPU time, whichever thread
        }
        try {
            for (Thread t : started) {
                t.join();
            }
        } catch (InterruptedException e) {
            started.forEach(Thread::interrupt);
            throw e;
        }
        if (!failures.isEmpty()) {
            Throwable first = failures.getFirst();
            if (first instanceof RuntimeException re) {
                throw re;
            }
            if (first instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("feature worker failed", first);
        }
        return out;
    }

    /** Day ranges of the calendar windows of one season (inclusive bounds, days since 1 September). */
    private record Windows(int lastDay, int sepNovEnd, int decStart, int decEnd, int febStart, int febEnd) {
        static Windows of(SeasonTimeSeries s) {
            int y = s.season().year();
            YearMonth feb = YearMonth.of(y + 1, 2);
            return new Windows(s.lastDay(),
                    s.dayOf(LocalDate.of(y, 11, 30)),
                    s.dayOf(LocalDate.of(y, 12, 1)), s.dayOf(LocalDate.of(y, 12, 31)),
                    s.dayOf(feb.atDay(1)), s.dayOf(feb.atEndOfMonth()));
        }
    }

    private void ensureCapacity(int acquisitions) {
        if (acquisitions <= capacity && clearDays != null) {
            return;
        }
        capacity = Math.max(acquisitions, 1);
        clearDays = new int[capacity];
        bandValues = new double[Band.COUNT][capacity];
        indexValues = new double[INDEX_COUNT][capacity];
        indexDays = new int[INDEX_COUNT][capacity];
        work = new double[capacity];
        chunkQuality = new byte[capacity * CHUNK_PIXELS];
        chunkReflectance = new float[Band.COUNT * capacity * CHUNK_PIXELS];
        chunkScaled = new short[Band.COUNT * capacity * CHUNK_PIXELS];
    }

    /** Computes the 51 features of pixel {@code chunk + c} (the current chunk is buffered) into {@link #features}. */
    private void computePixel(SeasonTimeSeries series, Windows windows, int chunk, int c) {
        double[] f = features;
        long packed = series.isScaledReflectance()
                ? gatherScaled(series, chunk, c)
                : gatherReflectance(series, chunk, c);
        int observed = (int) (packed >>> 32);
        int clear = (int) packed;
        if (clear < MIN_CLEAR_OBSERVATIONS) {
            Arrays.fill(f, Double.NaN);
            return;
        }
        computeIndices(clear);

        statistics(NDVI, Feature.NDVI_MEAN, Feature.NDVI_STD, Feature.NDVI_MIN, Feature.NDVI_MAX, null, null);
        // One copy, three selections: after the median, the 10th percentile lies left of it and the 90th right.
        int ndviCount = indexCounts[NDVI];
        double[] w = work;
        System.arraycopy(indexValues[NDVI], 0, w, 0, ndviCount);
        int mid = orderStatistic(ndviCount, 50);
        f[Feature.NDVI_P50.index()] = percentile(w, ndviCount, 0, ndviCount - 1, 50);
        f[Feature.NDVI_P10.index()] = percentile(w, ndviCount, 0, mid, 10);
        f[Feature.NDVI_P90.index()] = percentile(w, ndviCount, Math.max(mid, 0), ndviCount - 1, 90);
        int peakDay = phenology(windows.lastDay());

        statistics(EVI, Feature.EVI_MEAN, null, null, Feature.EVI_MAX, Feature.EVI_AMPLITUDE, Feature.EVI_PEAK_DAY);
        f[Feature.EVI_P90.index()] = percentileOf(EVI, 90);
        statistics(SAVI, Feature.SAVI_MEAN, null, null, Feature.SAVI_MAX, null, null);
        statistics(NDRE, Feature.NDRE_MEAN, null, null, Feature.NDRE_MAX, null, Feature.NDRE_PEAK_DAY);
        f[Feature.NDRE_P90.index()] = percentileOf(NDRE, 90);
        statistics(NDMI, Feature.NDMI_MEAN, null, Feature.NDMI_MIN, Feature.NDMI_MAX, Feature.NDMI_AMPLITUDE, null);
        statistics(MNDWI, Feature.MNDWI_MEAN, null, null, Feature.MNDWI_MAX, null, null);
        statistics(BSI, Feature.BSI_MEAN, null, null, Feature.BSI_MAX, null, null);

        // Band medians within PEAK_WINDOW_HALF_DAYS of the NDVI peak (clear days are ascending: one contiguous run).
        int peakFrom = clear;
        int peakTo = clear;
        if (peakDay >= 0) {
            peakFrom = firstAtOrAfter(clearDays, clear, peakDay - PEAK_WINDOW_HALF_DAYS);
            peakTo = firstAtOrAfter(clearDays, clear, peakDay + PEAK_WINDOW_HALF_DAYS + 1);
        }
        int peakMedian = Feature.B02_PEAK_MEDIAN.index();
        for (int b = 0; b < Band.COUNT; b++) {
            f[peakMedian + b] = median(bandValues[b], peakFrom, peakTo);
        }

        int sepNovTo = firstAtOrAfter(clearDays, clear, windows.sepNovEnd() + 1);
        f[Feature.B04_SEP_NOV_MEDIAN.index()] = median(bandValues[B04], 0, sepNovTo);
        f[Feature.B08_SEP_NOV_MEDIAN.index()] = median(bandValues[B08], 0, sepNovTo);
        f[Feature.B11_SEP_NOV_MEDIAN.index()] = median(bandValues[B11], 0, sepNovTo);
        f[Feature.B12_SEP_NOV_MEDIAN.index()] = median(bandValues[B12], 0, sepNovTo);

        int[] ndviDays = indexDays[NDVI];
        f[Feature.NDVI_DEC_MEDIAN.index()] = median(indexValues[NDVI],
                firstAtOrAfter(ndviDays, ndviCount, windows.decStart()),
                firstAtOrAfter(ndviDays, ndviCount, windows.decEnd() + 1));
        f[Feature.NDVI_FEB_MEDIAN.index()] = median(indexValues[NDVI],
                firstAtOrAfter(ndviDays, ndviCount, windows.febStart()),
                firstAtOrAfter(ndviDays, ndviCount, windows.febEnd() + 1));

        f[Feature.CLEAR_FRACTION.index()] = (double) clear / observed;
    }

    /**
     * Copies the clear observations of pixel {@code chunk + c} from the chunk buffer into scratch; returns the
     * observed count (high 32 bits) and the clear count (low 32 bits).
     */
    private long gatherReflectance(SeasonTimeSeries series, int chunk, int c) {
        float[] buffer = chunkReflectance;
        int[] days = series.days();
        int t = days.length;
        int observed = 0;
        int clear = 0;
        for (int i = 0; i < t; i++) {
            byte q = chunkQuality[i * CHUNK_PIXELS + c];
            if (q == SeasonTimeSeries.NO_DATA) {
                continue;
            }
            observed++;
            if (q != SeasonTimeSeries.CLEAR) {
                continue;
            }
            for (int b = 0; b < Band.COUNT; b++) {
                float v = buffer[(b * t + i) * CHUNK_PIXELS + c];
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("reflectance of " + Band.ALL.get(b) + " at acquisition " + i
                            + " (day " + days[i] + "), pixel " + (chunk + c) + " is " + v
                            + " but the pixel is marked CLEAR");
                }
                bandValues[b][clear] = v;
            }
            clearDays[clear++] = days[i];
        }
        return ((long) observed << 32) | clear;
    }

    private long gatherScaled(SeasonTimeSeries series, int chunk, int c) {
        short[] buffer = chunkScaled;
        int[] days = series.days();
        int t = days.length;
        int observed = 0;
        int clear = 0;
        for (int i = 0; i < t; i++) {
            byte q = chunkQuality[i * CHUNK_PIXELS + c];
            if (q == SeasonTimeSeries.NO_DATA) {
                continue;
            }
            observed++;
            if (q != SeasonTimeSeries.CLEAR) {
                continue;
            }
            for (int b = 0; b < Band.COUNT; b++) {
                // Signed: zero and negative reflectance are data. Rounded to float32 like reflectance input, so
                // both representations give identical features.
                bandValues[b][clear] = (float) (buffer[(b * t + i) * CHUNK_PIXELS + c] / (double) SeasonTimeSeries.SCALE);
            }
            clearDays[clear++] = days[i];
        }
        return ((long) observed << 32) | clear;
    }

    /**
     * The seven indices per clear observation; an index whose denominator is within {@link #MIN_INDEX_DENOMINATOR}
     * of zero is left out of that index (the observation still counts for the others and the band medians).
     */
    private void computeIndices(int clear) {
        double[] b02 = bandValues[B02];
        double[] b03 = bandValues[B03];
        double[] b04 = bandValues[B04];
        double[] b05 = bandValues[B05];
        double[] b08 = bandValues[B08];
        double[] b8a = bandValues[B8A];
        double[] b11 = bandValues[B11];
        Arrays.fill(indexCounts, 0);
        for (int j = 0; j < clear; j++) {
            double blue = b02[j];
            double green = b03[j];
            double red = b04[j];
            double nir = b08[j];
            double swir1 = b11[j];
            int day = clearDays[j];
            put(NDVI, nir - red, nir + red, day);
            put(EVI, 2.5 * (nir - red), nir + 6 * red - 7.5 * blue + 1, day);
            put(SAVI, 1.5 * (nir - red), nir + red + 0.5, day);
            put(NDRE, b8a[j] - b05[j], b8a[j] + b05[j], day);
            put(NDMI, nir - swir1, nir + swir1, day);
            put(MNDWI, green - swir1, green + swir1, day);
            put(BSI, (swir1 + red) - (nir + blue), (swir1 + red) + (nir + blue), day);
        }
    }

    private void put(int index, double numerator, double denominator, int day) {
        if (Math.abs(denominator) >= MIN_INDEX_DENOMINATOR) {
            int n = indexCounts[index]++;
            indexValues[index][n] = numerator / denominator;
            indexDays[index][n] = day;
        }
    }

    /**
     * Mean, population std, min, max, amplitude (max - min) and day of the first maximum of one index over its
     * finite clear values; a null feature is not wanted. An empty index gives NaN for all.
     */
    private void statistics(int index, Feature mean, Feature std, Feature min, Feature max, Feature amplitude,
                            Feature peakDay) {
        int n = indexCounts[index];
        double[] v = indexValues[index];
        double sum = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        int hiAt = -1;
        for (int j = 0; j < n; j++) {
            double x = v[j];
            sum += x;
            if (x < lo) {
                lo = x;
            }
            if (x > hi) {
                hi = x;
                hiAt = j;
            }
        }
        double m = n == 0 ? Double.NaN : sum / n;
        double[] f = features;
        f[mean.index()] = m;
        if (std != null) {
            double ss = 0;
            for (int j = 0; j < n; j++) {
                double d = v[j] - m;
                ss += d * d;
            }
            f[std.index()] = n == 0 ? Double.NaN : Math.sqrt(ss / n);
        }
        if (min != null) {
            f[min.index()] = n == 0 ? Double.NaN : lo;
        }
        if (max != null) {
            f[max.index()] = n == 0 ? Double.NaN : hi;
        }
        if (amplitude != null) {
            f[amplitude.index()] = n == 0 ? Double.NaN : hi - lo;
        }
        if (peakDay != null) {
            f[peakDay.index()] = n == 0 ? Double.NaN : indexDays[index][hiAt];
        }
    }

    private double percentileOf(int index, double percent) {
        int n = indexCounts[index];
        System.arraycopy(indexValues[index], 0, work, 0, n);
        return percentile(work, n, 0, n - 1, percent);
    }

    /** Median of {@code values[from, to)}, NaN if empty; {@code values} is left unchanged. */
    private double median(double[] values, int from, int to) {
        int n = to - from;
        System.arraycopy(values, from, work, 0, n);
        return percentile(work, n, 0, n - 1, 50);
    }

    /** Index of the lower order statistic a percentile interpolates from: {@code floor((n - 1) * percent / 100)}. */
    private static int orderStatistic(int n, double percent) {
        return (int) ((n - 1) * percent / 100.0);
    }

    /**
     * Percentile of {@code a[0, n)} by linear interpolation between order statistics (numpy's default "linear"
     * method): with the values sorted as x, {@code h = (n - 1) * percent / 100}, result = {@code x[floor(h)] +
     * (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)])}; NaN if {@code n == 0}. Reorders {@code a} by quickselect
     * within {@code [lo, hi]}, which must contain position {@code floor(h)} and hold exactly the values of those
     * ranks (true for the whole array, and for either side of an earlier selection).
     */
    static double percentile(double[] a, int n, int lo, int hi, double percent) {
        if (n == 0) {
            return Double.NaN;
        }
        double h = (n - 1) * percent / 100.0;
        int k = (int) h;
        double frac = h - k;
        select(a, lo, hi, k);
        double low = a[k];
        if (frac == 0) {
            return low;
        }
        // After selection everything right of position k is >= a[k]; the next order statistic is their minimum.
        double next = Double.POSITIVE_INFINITY;
        for (int i = k + 1; i < n; i++) {
            next = Math.min(next, a[i]);
        }
        return low + frac * (next - low);
    }

    /**
     * Quickselect: reorders {@code a[lo..hi]} so that {@code a[k]} holds the value it would hold if sorted, with
     * nothing larger to its left and nothing smaller to its right. The partition is Lomuto's without a branch
     * (the comparison only moves the boundary): on a pixel's noisy values a branching partition mispredicts about
     * every other comparison, and that dominated the kernel's time. Values must not be NaN.
     */
    static void select(double[] a, int lo, int hi, int k) {
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            // Median of three, moved to a[hi] as the pivot, keeps sorted and reversed input linear.
            if (a[mid] < a[lo]) {
                swap(a, mid, lo);
            }
            if (a[hi] < a[lo]) {
                swap(a, hi, lo);
            }
            if (a[mid] < a[hi]) {
                swap(a, mid, hi);
            }
            double pivot = a[hi];
            int store = lo;
            for (int i = lo; i < hi; i++) {
                double x = a[i];
                a[i] = a[store];
                a[store] = x;
                store += x < pivot ? 1 : 0;
            }
            a[hi] = a[store];
            a[store] = pivot;
            // Now a[lo, store) < pivot = a[store] <= a(store, hi].
            if (k == store) {
                return;
            }
            if (k < store) {
                hi = store - 1;
            } else {
                lo = store + 1;
            }
        }
    }

    private static void swap(double[] a, int i, int j) {
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /** Index of the first of {@code days[0, n)} (ascending) that is {@code >= day}; n if none. */
    private static int firstAtOrAfter(int[] days, int n, int day) {
        int i = 0;
        while (i < n && days[i] < day) {
            i++;
        }
        return i;
    }

    /**
     * NDVI phenology on the smoothed daily curve: amplitude, integral, peak day, SOS, EOS, season length and rates
     * into {@link #features}. Returns the peak day, or -1 if the pixel has no finite NDVI.
     */
    private int phenology(int lastDay) {
        double[] f = features;
        int n = indexCounts[NDVI];
        if (n == 0) {
            for (Feature x : new Feature[] {Feature.NDVI_AMPLITUDE, Feature.NDVI_INTEGRAL, Feature.NDVI_PEAK_DAY,
                    Feature.NDVI_SOS_DAY, Feature.NDVI_EOS_DAY, Feature.NDVI_SEASON_LENGTH,
                    Feature.NDVI_GREENUP_RATE, Feature.NDVI_SENESCENCE_RATE}) {
                f[x.index()] = Double.NaN;
            }
            return -1;
        }
        double[] v = indexValues[NDVI];
        int[] d = indexDays[NDVI];
        int first = d[0];
        int span = d[n - 1] - first + 1;
        if (smoothed.length < span) {
            smoothed = new double[lastDay + 1];
            fixedPoint = new long[lastDay + 1];
        }
        double[] s = smoothed;

        // Linear interpolation of the clear NDVI onto every day from the first to the last clear observation,
        // kept in fixed point (2^-40 NDVI units) for the moving average below.
        long[] q = fixedPoint;
        q[0] = (long) (v[0] * FIXED_POINT_SCALE);
        for (int j = 0; j + 1 < n; j++) {
            int d0 = d[j] - first;
            int d1 = d[j + 1] - first;
            double y0 = v[j];
            double step = (v[j + 1] - y0) / (d1 - d0);
            for (int i = d0 + 1; i < d1; i++) {
                q[i] = (long) ((y0 + step * (i - d0)) * FIXED_POINT_SCALE);
            }
            q[d1] = (long) (v[j + 1] * FIXED_POINT_SCALE);
        }

        // Centred moving average; near the ends the window is cut to the observed span. The window sum slides in
        // fixed point, which is exact: a running double sum would drift by rounding and break ties on flat
        // stretches, which decide the earliest peak day. Peak, trough and integral are taken in the same pass.
        int h = SMOOTHING_HALF_WINDOW_DAYS;
        long window = 0;
        for (int k = 0; k <= Math.min(h, span - 1); k++) {
            window += q[k];
        }
        int peak = 0;
        double peakValue = Double.NEGATIVE_INFINITY;
        double trough = Double.POSITIVE_INFINITY;
        double sum = 0;
        for (int i = 0; i < span; i++) {
            int count = Math.min(span - 1, i + h) - Math.max(0, i - h) + 1;
            double x = window * INVERSE_WINDOW[count];
            s[i] = x;
            sum += x;
            if (x > peakValue) {
                peakValue = x;
                peak = i;
            }
            trough = Math.min(trough, x);
            if (i + h + 1 < span) {
                window += q[i + h + 1];
            }
            if (i - h >= 0) {
                window -= q[i - h];
            }
        }
        // Trapezoids on the daily grid: every inner day counts fully, the two ends by half.
        double integral = sum - 0.5 * (s[0] + s[span - 1]);
        // Over the whole season: the curve is held at its end values before the first and after the last clear day.
        integral += s[0] * first + s[span - 1] * (lastDay - d[n - 1]);
        f[Feature.NDVI_INTEGRAL.index()] = integral;

        double sos = Double.NaN;
        double eos = Double.NaN;
        double greenup = Double.NaN;
        double senescence = Double.NaN;
        if (peakValue - trough < FLAT_AMPLITUDE) {
            // Flat curve: every day is a maximum, the earliest wins; there is no season to start or end.
            peak = 0;
            f[Feature.NDVI_AMPLITUDE.index()] = 0;
        } else {
            f[Feature.NDVI_AMPLITUDE.index()] = peakValue - trough;
            double leftMin = peakValue;
            for (int i = 0; i < peak; i++) {
                leftMin = Math.min(leftMin, s[i]);
            }
            if (peakValue - leftMin >= FLAT_AMPLITUDE) {
                double threshold = leftMin + SEASON_THRESHOLD * (peakValue - leftMin);
                int i = peak - 1;
                while (s[i] >= threshold) {
                    i--;
                }
                // The curve crosses the threshold between day i (below) and day i + 1 (at or above).
                sos = first + i + (threshold - s[i]) / (s[i + 1] - s[i]);
                greenup = (peakValue - threshold) / (first + peak - sos);
            }
            double rightMin = peakValue;
            for (int i = peak + 1; i < span; i++) {
                rightMin = Math.min(rightMin, s[i]);
            }
            if (peakValue - rightMin >= FLAT_AMPLITUDE) {
                double threshold = rightMin + SEASON_THRESHOLD * (peakValue - rightMin);
                int i = peak + 1;
                while (s[i] >= threshold) {
                    i++;
                }
                // The curve crosses the threshold between day i - 1 (at or above) and day i (below).
                eos = first + i - 1 + (s[i - 1] - threshold) / (s[i - 1] - s[i]);
                senescence = (peakValue - threshold) / (eos - (first + peak));
            }
        }
        int peakDay = first + peak;
        f[Feature.NDVI_PEAK_DAY.index()] = peakDay;
        f[Feature.NDVI_SOS_DAY.index()] = sos;
        f[Feature.NDVI_EOS_DAY.index()] = eos;
        f[Feature.NDVI_SEASON_LENGTH.index()] = eos - sos;
        f[Feature.NDVI_GREENUP_RATE.index()] = greenup;
        f[Feature.NDVI_SENESCENCE_RATE.index()] = senescence;
        return peakDay;
    }
}
