package io.geocrop.training;

import io.geocrop.domain.CropClass;
import io.geocrop.domain.JobTile;
import io.geocrop.domain.Season;
import io.geocrop.domain.UtmZone;
import io.geocrop.features.Band;
import io.geocrop.features.FeatureExtractor;
import io.geocrop.features.FeatureOrder;
import io.geocrop.features.SeasonTimeSeries;
import io.geocrop.imagery.sim.Acquisition;
import io.geocrop.imagery.sim.S2Band;
import io.geocrop.imagery.sim.SimulatedLandscape;
import io.geocrop.imagery.sim.SimulatedSeason;
import io.geocrop.models.ProgressListener;
import io.geocrop.models.TrainedModel;
import io.geocrop.models.TrainingData;
import io.geocrop.models.TrainingParams;
import io.geocrop.models.XgbTrainer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A quick proxy of {@link DemoLandscapeExperiment} for tuning the landscape: samples the demo tile's pixels
 * straight from {@link SimulatedSeason} (no COGs, no STAC; reflectance rounded to 0.0001, 20 m bands not
 * resampled), computes the 51 features with the production kernel and trains as the demo model does, holding out
 * 64 px blocks. Only when asked: {@code -Dgeocrop.fastexperiment=<rows per class>}
 * ({@code -Dgeocrop.fastexperiment.year=} to score a model trained on 2024 against another season).
 */
@EnabledIfSystemProperty(named = "geocrop.fastexperiment", matches = "\\d+")
class FastLandscapeExperiment {
    /** Runs the experiment outside JUnit: {@code java -Dgeocrop.fastexperiment=1500 -cp ... FastLandscapeExperiment}. */
    public static void main(String[] args) throws Exception {
        new FastLandscapeExperiment().trainOnSampledPixelsAndPrintTheHeldOutEvaluation();
    }

    @Test
    void trainOnSampledPixelsAndPrintTheHeldOutEvaluation() throws Exception {
        int perClass = Integer.getInteger("geocrop.fastexperiment");
        long seed = 42;
        JobTile tile = TrainingArea.choose(seed, 1).getFirst();
        UtmZone zone = UtmZone.ofEpsg(tile.epsg());
        SimulatedLandscape land = new SimulatedLandscape(seed, zone);
        byte[] truth = land.truth(tile.minX(), tile.maxY(), 512, 512).bytes(0);
        List<Integer> pixels = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int code = 1; code <= CropClass.values().length; code++) {
            List<Integer> all = new ArrayList<>();
            for (int p = 0; p < truth.length; p++) {
                if ((truth[p] & 0xFF) == code) {
                    all.add(p);
                }
            }
            java.util.Collections.shuffle(all, new Random(seed * 31 + code));
            for (int p : all.subList(0, Math.min(perClass, all.size()))) {
                pixels.add(p);
                labels.add(code);
            }
        }
        float[][] features = features(land, tile, new Season(2024), pixels);
        TrainingData data = data(features, pixels, labels);
        TrainingParams d = TrainingParams.defaults();
        TrainedModel model = new XgbTrainer().train(data, new TrainingParams(d.rounds(), d.maxDepth(), d.eta(),
                d.threads(), seed, d.holdOutFraction()), "fast", "fast", true, ProgressListener.NONE);
        System.out.println("season 2024, held out:");
        System.out.println(TrainingReport.table(model.evaluation()));
    }

    static TrainingData data(float[][] features, List<Integer> pixels, List<Integer> labels) {
        int n = pixels.size(), f = FeatureOrder.COUNT;
        float[] rows = new float[n * f];
        int[] l = new int[n], g = new int[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < f; k++) {
                rows[i * f + k] = features[k][i];
            }
            l[i] = labels.get(i);
            int p = pixels.get(i);
            g[i] = ((p / 512) / 64) * 8 + (p % 512) / 64;
        }
        return new TrainingData(rows, l, g, f);
    }

    static float[][] features(SimulatedLandscape land, JobTile tile, Season season, List<Integer> pixels) {
        SimulatedSeason sim = new SimulatedSeason(land, season);
        TreeSet<LocalDate> dates = new TreeSet<>();
        for (Acquisition a : sim.acquisitions()) {
            dates.add(a.date());
        }
        int t = dates.size(), n = pixels.size();
        int[] days = new int[t];
        float[][][] refl = new float[Band.COUNT][t][n];
        byte[][] quality = new byte[t][n];
        int i = 0;
        for (LocalDate date : dates) {
            days[i] = (int) season.dayOfSeason(date);
            int ti = i;
            java.util.stream.IntStream.range(0, n).parallel().forEach(k -> {
                int p = pixels.get(k);
                double e = tile.minX() + (p % 512) * 10 + 5, no = tile.maxY() - (p / 512) * 10 - 5;
                quality[ti][k] = SeasonTimeSeries.qualityOfScl(sim.sceneClassification(date, e, no));
                for (Band b : Band.ALL) {
                    double r = sim.reflectance(S2Band.valueOf(b.name()), date, e, no);
                    refl[b.index()][ti][k] = (float) (Math.round(Math.clamp(r, 0.0001, 1) * 1e4) / 1e4);
                }
            });
            i++;
        }
        return new FeatureExtractor().extract(SeasonTimeSeries.ofReflectance(season, n, 1, days, refl, quality));
    }
}
