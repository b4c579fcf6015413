package io.geocrop.training;

import io.geocrop.domain.CropClass;
import io.geocrop.domain.JobTile;
import io.geocrop.domain.ProcessingGrid;
import io.geocrop.domain.Season;
import io.geocrop.domain.UtmZone;
import io.geocrop.extraction.ImagerySource;
import io.geocrop.extraction.FeaturePipeline;
import io.geocrop.features.FeatureOrder;
import io.geocrop.imagery.s2.SeasonReader;
import io.geocrop.imagery.sim.S2Band;
import io.geocrop.imagery.sim.SimulatedDea;
import io.geocrop.imagery.sim.SimulatedLandscape;
import io.geocrop.imagery.stac.StacItem;
import io.geocrop.models.ProgressListener;
import io.geocrop.models.TrainingData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A labelled dataset from the embedded imagery's own ground truth: the demo model's training data.
 *
 * <p>Steps: the training tiles come from the seed ({@link TrainingArea}); their season's imagery is generated
 * up front ({@link Stages#IMAGERY}, so the cost shows as its own stage); each tile's features are computed by the
 * production path ({@link FeaturePipeline} over the simulated DEA's STAC API and COG range reads,
 * {@link Stages#FEATURES}); labels are the landscape's truth at each pixel. Pixels are sampled per class,
 * stratified: each class gets a seeded random sample of at most {@link Options#maxRowsPerClass()} of its pixels
 * that have at least one clear observation (a pixel whose 51 features are all NaN is skipped). Spatial groups are
 * blocks of {@link Options#blockPx()} x {@link Options#blockPx()} pixels, so the evaluation holds out whole blocks.
 *
 * <p>Deterministic: the same seed and options give the same rows, labels and groups, in the same order.
 */
public final class EmbeddedTruthDataset {
    /** The season the demo model is trained on (fixed, so the demo model is a pure function of the seed). */
    public static final int DEMO_YEAR = 2024;
    private static final int TILE = ProcessingGrid.TILE_SIZE_PX;
    /**
     * Which simulation the rows came from ({@code simulation v<SimulatedDea.GENERATOR_VERSION>}), recorded in the
     * reference so a demo model trained on an older landscape is recognised and trained again.
     */
    public static final String SIMULATION_TAG = "simulation v" + io.geocrop.imagery.sim.SimulatedDea.GENERATOR_VERSION;
    /** Candidates kept per class beyond the cap, to stand in for pixels that turn out to have no clear view. */
    private static final int SPARE_FACTOR = 2;

    /**
     * What to build.
     *
     * @param year            season year
     * @param tiles           training tiles ({@link TrainingArea#choose})
     * @param maxRowsPerClass cap on rows per class
     * @param blockPx         side of a spatial group block, pixels (divides 512)
     */
    public record Options(int year, int tiles, int maxRowsPerClass, int blockPx) {
        public Options {
            if (tiles < 1 || tiles > 16) {
                throw new IllegalArgumentException("tiles must be 1..16, got " + tiles);
            }
            if (maxRowsPerClass < 10) {
                throw new IllegalArgumentException("maxRowsPerClass must be at least 10, got " + maxRowsPerClass);
            }
            if (blockPx < 8 || TILE % blockPx != 0) {
                throw new IllegalArgumentException("blockPx must divide " + TILE + " and be at least 8, got " + blockPx);
            }
            if (year < Season.FIRST_YEAR) {
                throw new IllegalArgumentException("year must be " + Season.FIRST_YEAR + " or later, got " + year);
            }
        }

        /** The demo model's dataset: season {@value #DEMO_YEAR}, one tile, 3000 rows per class, 64 px blocks. */
        public static Options defaults() {
            return new Options(DEMO_YEAR, 1, 3000, 64);
        }
    }

    private final SimulatedDea dea;
    private final ImagerySource imagery;
    private final FeaturePipeline features;

    /**
     * @param dea      the simulated catalogue (for the ground truth and to generate imagery up front)
     * @param imagery  the STAC source serving {@code dea} (its features are read through it, as in production)
     * @param features the production tile feature path
     */
    public EmbeddedTruthDataset(SimulatedDea dea, ImagerySource imagery, FeaturePipeline features) {
        this.dea = dea;
        this.imagery = imagery;
        this.features = features;
    }

    /** The reference recorded in a model card for a dataset built with these options. */
    public static String reference(long seed, Options options, List<JobTile> tiles) {
        return "embedded ground truth, seed " + seed + ", season " + options.year() + ", tiles "
                + tiles.stream().map(JobTile::id).collect(Collectors.joining(" ")) + ", at most "
                + options.maxRowsPerClass() + " px per class, " + options.blockPx() + " px blocks, "
                + SIMULATION_TAG;
    }

    /**
     * Builds the dataset.
     *
     * @param progress told of {@link Stages#IMAGERY} (assets generated / total) and {@link Stages#FEATURES} (tiles)
     * @throws IOException if imagery cannot be generated or read
     */
    public Dataset build(Options options, ProgressListener progress) throws IOException {
        Season season = new Season(options.year());
        List<JobTile> tiles = TrainingArea.choose(dea.seed(), options.tiles());
        Map<String, StageTime> times = new LinkedHashMap<>();

        StageTime.Start imageryStage = StageTime.start();
        List<List<StacItem>> itemsByTile = new ArrayList<>();
        Set<String> itemIds = new LinkedHashSet<>();
        for (JobTile tile : tiles) {
            List<StacItem> items = imagery.search(SeasonReader.footprint(tile), season);
            if (items.isEmpty()) {
                throw new IllegalStateException("the simulated catalogue has no imagery for training tile " + tile.id()
                        + " in season " + season.year());
            }
            itemsByTile.add(items);
            items.forEach(i -> itemIds.add(i.id()));
        }
        generate(itemIds, progress);
        times.put(Stages.IMAGERY, imageryStage.stop());

        StageTime.Start featureStage = StageTime.start();
        Sample sample = sample(tiles, options);
        // Only the candidates' rows are kept from each tile (a tile's features are 51 x 262144 floats).
        Map<Long, float[]> rowsByCandidate = new HashMap<>();
        progress.progress(Stages.FEATURES, 0, tiles.size());
        for (int t = 0; t < tiles.size(); t++) {
            float[][] tileFeatures = features.compute(tiles.get(t), season, itemsByTile.get(t)).features();
            for (int pixel : sample.wantedPixels(t)) {
                float[] row = new float[FeatureOrder.COUNT];
                if (LabelledDataset.copyRow(tileFeatures, pixel, row, 0)) {
                    rowsByCandidate.put(key(t, pixel), row);
                }
            }
            progress.progress(Stages.FEATURES, t + 1, tiles.size());
        }
        times.put(Stages.FEATURES, featureStage.stop());

        // Per class, the first maxRowsPerClass candidates (in seeded order) that have features.
        List<long[]> chosen = new ArrayList<>(); // {key, class}
        List<String> skipped = new ArrayList<>();
        for (int code = 1; code <= CropClass.values().length; code++) {
            int taken = 0;
            int cloudy = 0;
            for (long k : sample.candidates(code)) {
                if (taken == options.maxRowsPerClass()) {
                    break;
                }
                if (rowsByCandidate.containsKey(k)) {
                    chosen.add(new long[] {k, code});
                    taken++;
                } else {
                    cloudy++;
                }
            }
            if (cloudy > 0) {
                skipped.add(CropClass.ofCode(code).orElseThrow().id() + ": " + cloudy
                        + " sampled pixels without a clear observation all season left out");
            }
        }
        chosen.sort((a, b) -> Long.compare(a[0], b[0])); // tile then pixel order: stable and readable
        int n = chosen.size();
        int f = FeatureOrder.COUNT;
        float[] rows = new float[n * f];
        int[] labels = new int[n];
        int[] groups = new int[n];
        int blocksPerSide = TILE / options.blockPx();
        List<PixelRef> locations = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long k = chosen.get(i)[0];
            int tile = (int) (k >>> 32);
            int pixel = (int) k;
            System.arraycopy(rowsByCandidate.get(k), 0, rows, i * f, f);
            labels[i] = (int) chosen.get(i)[1];
            int bx = (pixel % TILE) / options.blockPx(), by = (pixel / TILE) / options.blockPx();
            groups[i] = (tile * blocksPerSide + by) * blocksPerSide + bx;
            locations.add(new PixelRef(tiles.get(tile), pixel % TILE, pixel / TILE));
        }
        TrainingData data = new TrainingData(rows, labels, groups, f);
        Dataset unnamed = new Dataset(data, "", tiles, skipped, locations, times);
        return new Dataset(data, reference(dea.seed(), options, tiles) + ", rows " + unnamed.fingerprint(), tiles,
                skipped, locations, times);
    }

    /**
     * Generates every asset of the items up front (a cache hit costs nothing), reporting progress per asset. Items
     * are generated concurrently, each item's bands in turn (its date's cloud field is computed once): one file at
     * a time leaves cores idle while a COG is compressed and written.
     */
    private void generate(Set<String> itemIds, ProgressListener progress) throws IOException {
        S2Band[] bands = S2Band.values();
        long total = (long) itemIds.size() * bands.length;
        java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
        progress.progress(Stages.IMAGERY, 0, total);
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads,
                Thread.ofPlatform().daemon().name("demo-imagery-", 0).factory());
        try {
            List<java.util.concurrent.Future<?>> work = new ArrayList<>();
            for (String id : itemIds) {
                work.add(pool.submit(() -> {
                    for (S2Band band : bands) {
                        dea.asset(id, band);
                        progress.progress(Stages.IMAGERY, done.incrementAndGet(), total);
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : work) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while generating the training imagery");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("generating the training imagery failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static long key(int tile, int pixel) {
        return ((long) tile << 32) | pixel;
    }

    /** The seeded candidates of each class, from the truth alone (before any feature is computed). */
    private record Sample(Map<Integer, long[]> byClass, Map<Integer, int[]> byTile) {
        long[] candidates(int code) {
            return byClass.getOrDefault(code, new long[0]);
        }

        int[] wantedPixels(int tile) {
            return byTile.getOrDefault(tile, new int[0]);
        }
    }

    private Sample sample(List<JobTile> tiles, Options options) {
        UtmZone zone = UtmZone.ofEpsg(tiles.getFirst().epsg());
        SimulatedLandscape land = dea.landscape(zone);
        int classes = CropClass.values().length;
        long[][] all = new long[classes + 1][];
        int[] counts = new int[classes + 1];
        for (int c = 0; c <= classes; c++) {
            all[c] = new long[1024];
        }
        for (int t = 0; t < tiles.size(); t++) {
            JobTile tile = tiles.get(t);
            byte[] truth = land.truth(tile.minX(), tile.maxY(), TILE, TILE).bytes(0); // row 0 = north, like features
            for (int p = 0; p < truth.length; p++) {
                int code = truth[p] & 0xFF;
                if (code == 0 || code > classes) {
                    continue;
                }
                if (counts[code] == all[code].length) {
                    all[code] = Arrays.copyOf(all[code], all[code].length * 2);
                }
                all[code][counts[code]++] = key(t, p);
            }
        }
        Map<Integer, long[]> byClass = new LinkedHashMap<>();
        Map<Integer, List<Integer>> wanted = new HashMap<>();
        int keep = options.maxRowsPerClass() * SPARE_FACTOR;
        for (int code = 1; code <= classes; code++) {
            long[] candidates = Arrays.copyOf(all[code], counts[code]);
            // A partial Fisher-Yates shuffle: the first `keep` positions are a uniform seeded sample, in order.
            Random random = new Random(dea.seed() * 1_000_003L + code);
            int m = Math.min(keep, candidates.length);
            for (int i = 0; i < m; i++) {
                int j = i + random.nextInt(candidates.length - i);
                long tmp = candidates[i];
                candidates[i] = candidates[j];
                candidates[j] = tmp;
            }
            long[] prefix = Arrays.copyOf(candidates, m);
            byClass.put(code, prefix);
            for (long k : prefix) {
                wanted.computeIfAbsent((int) (k >>> 32), t -> new ArrayList<>()).add((int) k);
            }
        }
        Map<Integer, int[]> byTile = new HashMap<>();
        wanted.forEach((t, pixels) -> byTile.put(t, pixels.stream().mapToInt(Integer::intValue).sorted().toArray()));
        return new Sample(byClass, byTile);
    }
}
