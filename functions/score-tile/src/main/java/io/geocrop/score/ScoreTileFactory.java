package io.geocrop.score;

import io.geocrop.events.EventPublisher;
import io.geocrop.jobs.JobStore;
import io.geocrop.models.ScoringRuntime;
import io.geocrop.platform.GeoCropSettings;
import io.geocrop.platform.metrics.DriftMetrics;
import io.geocrop.platform.metrics.GeoCropMetrics;
import io.geocrop.registry.ModelRegistries;
import io.geocrop.registry.ModelRegistry;
import io.geocrop.registry.RegistrySettings;
import io.geocrop.scoring.ClassifierLoader;
import io.geocrop.scoring.FeatureGeoTiffCheck;
import io.geocrop.scoring.JobAssembler;
import io.geocrop.scoring.JobDrift;
import io.geocrop.scoring.ModelProvider;
import io.geocrop.scoring.ModelSource;
import io.geocrop.scoring.ScoringService;
import io.geocrop.scoring.TileScorer;
import io.geocrop.storage.ObjectStore;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Wires score-tile. Every bean is created on first use, and the model itself is only loaded by the first event that
 * needs it ({@link ModelProvider}), so a scaled-to-zero instance starts without touching the registry.
 *
 * <p>The model source is replaceable: a {@code @Primary ModelSource} bean (the embedded runtime's demo-model
 * bootstrap) may wrap the {@link ModelProvider} bean defined here.
 */
@Factory
final class ScoreTileFactory {

    /** The registry named by {@code geocrop.models.registry} (unless the application defines its own). */
    @Singleton
    @Requires(missingBeans = ModelRegistry.class)
    ModelRegistry modelRegistry(ModelSettings models, ObjectStore store, MlflowConfiguration mlflow) {
        return ModelRegistries.create(new RegistrySettings(RegistrySettings.Backend.parse(models.registry()),
                models.name(), models.alias(), mlflow.settings().orElse(null)), store);
    }

    @Singleton
    @Bean(preDestroy = "close")
    ModelProvider modelProvider(ModelRegistry registry, ModelSettings models, ScoringSettings scoring,
                                GeoCropMetrics metrics) {
        int threads = Math.max(1, scoring.threads());
        ScoringRuntime runtime = ScoringRuntime.parse(scoring.runtime());
        return new ModelProvider(registry, models.name(), models.alias(), ClassifierLoader.of(runtime, threads),
                metrics::modelLoaded);
    }

    @Singleton
    FeatureGeoTiffCheck featureTileCheck(ObjectStore store, ScoringSettings scoring) {
        return new FeatureGeoTiffCheck(store, new FeatureGeoTiffCheck.Limits(scoring.maxUploadPixels(), scoring.maxUploadBytes()));
    }

    @Singleton
    ScoringService scoringService(JobStore jobs, ObjectStore store, ModelSource models, FeatureGeoTiffCheck check,
                                  EventPublisher events, GeoCropSettings geocrop, Clock clock, GeoCropMetrics metrics) {
        Path work = geocrop.resolvedHome().resolve("work");
        return new ScoringService(jobs, store, models, check,
                new TileScorer(store, work, scored -> metrics.tileScored(scored.pixels())),
                new JobAssembler(jobs, store, events, work, clock, new JobDrift(store, models::card,
                        driftListener(metrics))));
    }

    /** Each job's drift to Prometheus (issue 19; {@code DriftMetrics}). */
    private static JobDrift.Listener driftListener(GeoCropMetrics metrics) {
        DriftMetrics drift = new DriftMetrics(metrics.registry());
        return (job, report) -> drift.jobDrift(job, report.score());
    }
}
