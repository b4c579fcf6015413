package io.geocrop.training;

import io.geocrop.domain.JobTile;
import io.geocrop.domain.Season;
import io.geocrop.extraction.FeaturePipeline;
import io.geocrop.imagery.s2.SeasonReader;
import io.geocrop.imagery.stac.StacItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The simulated imagery shared by this module's tests: one DEA (seed 42) cached under {@code target/sim-cache}, the
 * demo training tile of that seed, its features computed once by {@link FeaturePipeline} (the reference every dataset
 * row is compared with) and the embedded-truth dataset built once with small options.
 */
final class SimFixture {
    static final Path CACHE = Path.of("target", "sim-cache").toAbsolutePath();
    static final long SEED = 42;
    /** Small enough to train in seconds, large enough for every class. */
    static final EmbeddedTruthDataset.Options OPTIONS = new EmbeddedTruthDataset.Options(2024, 1, 300, 64);
    static final Season SEASON = new Season(OPTIONS.year());

    private static SimulatedImagery imagery;
    private static float[][] reference;
    private static Dataset truth;

    private SimFixture() {}

    static synchronized SimulatedImagery imagery() {
        if (imagery == null) {
            try {
                imagery = SimulatedImagery.start(CACHE, SEED);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            SimulatedImagery started = imagery;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        }
        return imagery;
    }

    static JobTile tile() {
        return TrainingArea.choose(SEED, 1).getFirst();
    }

    static FeaturePipeline tileFeatures() {
        return imagery().tileFeatures(2);
    }

    /** The embedded-truth dataset (built first: it generates the tile's imagery up front). */
    static synchronized Dataset truthDataset() {
        if (truth == null) {
            try {
                truth = new EmbeddedTruthDataset(imagery().dea(), imagery().imagery(), tileFeatures())
                        .build(OPTIONS, io.geocrop.models.ProgressListener.NONE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return truth;
    }

    /** The training tile's 51 features straight from {@link FeaturePipeline}, as extract-features computes them. */
    static synchronized float[][] referenceFeatures() {
        if (reference == null) {
            truthDataset();
            try {
                JobTile tile = tile();
                List<StacItem> items = imagery().imagery().search(SeasonReader.footprint(tile), SEASON);
                reference = tileFeatures().compute(tile, SEASON, items).features();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return reference;
    }
}
