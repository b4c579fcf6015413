package io.geocrop.training;

import io.geocrop.domain.JobTile;
import io.geocrop.domain.Season;
import io.geocrop.extraction.ImagerySource;
import io.geocrop.extraction.FeaturePipeline;
import io.geocrop.features.FeatureOrder;
import io.geocrop.imagery.s2.SeasonReader;
import io.geocrop.imagery.stac.StacItem;
import io.geocrop.models.ProgressListener;
import io.geocrop.models.TrainingData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Training rows for labelled pixels, computed exactly as production computes features: for each job tile holding
 * labels, the season's items are searched by the tile's footprint (as {@code TileExtraction} does), the tile's 51
 * features come from {@link FeaturePipeline} (STAC, COG range reads, warping, cloud mask, the kernel), and the
 * labelled pixels' values are picked from the tile's arrays. No second feature path, so no training/serving skew.
 *
 * <p>A label whose pixel has no clear observation all season (every feature NaN), or whose tile has no imagery,
 * is left out and reported in {@link Dataset#skipped()} with its line number.
 */
public final class LabelledDataset {
    private final ImagerySource imagery;
    private final FeaturePipeline features;

    public LabelledDataset(ImagerySource imagery, FeaturePipeline features) {
        this.imagery = imagery;
        this.features = features;
    }

    /**
     * Builds the rows of {@code pixels} for {@code season}.
     *
     * @param reference recorded as the dataset's reference (e.g. "labels.csv, season 2024"); the rows'
     *                  {@link Dataset#fingerprint()} is appended
     * @param progress  told after each tile ({@link Stages#FEATURES})
     * @throws IllegalStateException if no label is left (every tile without imagery, every pixel cloudy)
     * @throws IOException           if imagery cannot be read after retries
     */
    public Dataset build(LabelledPixels pixels, Season season, String reference, ProgressListener progress)
            throws IOException {
        int f = FeatureOrder.COUNT;
        int total = pixels.size();
        float[] rows = new float[total * f];
        int[] labels = new int[total];
        int[] groups = new int[total];
        int n = 0;
        List<PixelRef> locations = new ArrayList<>(total);
        List<String> skipped = new ArrayList<>();
        Map<JobTile, List<Integer>> cloudy = new LinkedHashMap<>();
        List<JobTile> tiles = List.copyOf(pixels.byTile().keySet());
        StageTime.Start started = StageTime.start();
        progress.progress(Stages.FEATURES, 0, tiles.size());
        int done = 0;
        for (Map.Entry<JobTile, List<LabelledPixels.Pixel>> entry : pixels.byTile().entrySet()) {
            JobTile tile = entry.getKey();
            List<StacItem> items = imagery.search(SeasonReader.footprint(tile), season);
            if (items.isEmpty()) {
                skipped.add(lines(entry.getValue().stream().map(LabelledPixels.Pixel::line).toList())
                        + ": no Sentinel-2 imagery covers tile " + tile.id() + " in season " + season.year() + " ("
                        + imagery.describe() + ")");
            } else {
                float[][] tileFeatures = features.compute(tile, season, items).features();
                for (LabelledPixels.Pixel p : entry.getValue()) {
                    if (copyRow(tileFeatures, p.index(), rows, n * f)) {
                        labels[n] = p.classCode();
                        groups[n] = p.group();
                        locations.add(new PixelRef(tile, p.x(), p.y()));
                        n++;
                    } else {
                        cloudy.computeIfAbsent(tile, t -> new ArrayList<>()).add(p.line());
                    }
                }
            }
            progress.progress(Stages.FEATURES, ++done, tiles.size());
        }
        cloudy.forEach((tile, lines) -> skipped.add(lines(lines) + ": no clear observation all season (cloud or no "
                + "data at every acquisition) in tile " + tile.id()));
        if (n == 0) {
            throw new IllegalStateException("none of the " + total + " labelled pixels has usable imagery in season "
                    + season.year() + ": " + String.join("; ", skipped));
        }
        TrainingData data = new TrainingData(java.util.Arrays.copyOf(rows, n * f), java.util.Arrays.copyOf(labels, n),
                java.util.Arrays.copyOf(groups, n), f);
        Map<String, StageTime> times = Map.of(Stages.FEATURES, started.stop());
        Dataset unnamed = new Dataset(data, reference, tiles, skipped, locations, times);
        return new Dataset(data, reference + ", rows " + unnamed.fingerprint(), tiles, skipped, locations, times);
    }

    /**
     * Copies pixel {@code index}'s 51 features into {@code rows} at {@code at}; false (nothing kept) when every
     * feature is NaN, i.e. the pixel had no clear observation.
     */
    static boolean copyRow(float[][] features, int index, float[] rows, int at) {
        boolean any = false;
        for (int k = 0; k < features.length; k++) {
            float v = features[k][index];
            rows[at + k] = v;
            any |= !Float.isNaN(v);
        }
        return any;
    }

    /** "line 4" or "lines 4, 9, 12" (distinct, at most 20 listed). */
    static String lines(List<Integer> lines) {
        List<Integer> distinct = lines.stream().distinct().sorted().toList();
        String listed = distinct.stream().limit(20).map(String::valueOf).collect(Collectors.joining(", "));
        String more = distinct.size() > 20 ? " and " + (distinct.size() - 20) + " more" : "";
        return (distinct.size() == 1 ? "line " : "lines ") + listed + more;
    }
}
