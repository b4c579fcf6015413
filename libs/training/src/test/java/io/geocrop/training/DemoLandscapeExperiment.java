package io.geocrop.training;

import io.geocrop.models.ProgressListener;
import io.geocrop.models.TrainingParams;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The harness used to tune the simulated landscape's difficulty: trains the demo model exactly as
 * {@link DemoModel#train} does (optionally fewer rows or rounds) and prints the held-out evaluation. Not a test:
 * it runs only when asked, {@code -Dgeocrop.experiment=<cache dir>} ({@code -Dgeocrop.experiment.rows},
 * {@code .rounds} to shrink it).
 */
@EnabledIfSystemProperty(named = "geocrop.experiment", matches = ".+")
class DemoLandscapeExperiment {
    @Test
    void trainAndPrintTheHeldOutEvaluation() throws Exception {
        Path cache = Path.of(System.getProperty("geocrop.experiment"));
        DemoModel.Config d = DemoModel.Config.defaults(cache, 42);
        int rows = Integer.getInteger("geocrop.experiment.rows", d.dataset().maxRowsPerClass());
        int rounds = Integer.getInteger("geocrop.experiment.rounds", d.params().rounds());
        EmbeddedTruthDataset.Options o = d.dataset();
        TrainingParams p = d.params();
        DemoModel.Config config = new DemoModel.Config(cache, 42,
                new EmbeddedTruthDataset.Options(o.year(), o.tiles(), rows, o.blockPx()),
                new TrainingParams(rounds, p.maxDepth(), p.eta(), p.threads(), p.seed(), p.holdOutFraction()),
                d.parallelism());
        DemoModel.TrainedDemo r = DemoModel.train("experiment", config, ProgressListener.NONE);
        System.out.println(TrainingReport.table(r.model().evaluation()));
        System.out.println(DemoModel.describe(r));
    }
}
