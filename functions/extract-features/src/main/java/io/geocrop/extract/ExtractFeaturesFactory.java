package io.geocrop.extract;

import io.geocrop.events.EventPublisher;
import io.geocrop.extraction.ExtractionBudget;
import io.geocrop.extraction.ImagerySource;
import io.geocrop.extraction.JobPlanner;
import io.geocrop.extraction.StacImagerySource;
import io.geocrop.extraction.TileExtraction;
import io.geocrop.extraction.FeaturePipeline;
import io.geocrop.extraction.TileMemory;
import io.geocrop.imagery.s2.SeasonReader;
import io.geocrop.imagery.stac.StacSettings;
import io.geocrop.jobs.JobStore;
import io.geocrop.platform.GeoCropSettings;
import io.geocrop.storage.ObjectStore;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires extract-features. Every bean here is created on first use (the first event), not at start-up, so a
 * scaled-to-zero instance starts fast. The imagery is the STAC catalogue ({@code geocrop.imagery.source=stac});
 * the embedded runtime wires its simulated DEA as another {@link ImagerySource} bean instead.
 */
@Factory
final class ExtractFeaturesFactory {
    private static final Logger LOG = LoggerFactory.getLogger(ExtractFeaturesFactory.class);

    @Singleton
    @Bean(preDestroy = "close")
    @Requires(property = "geocrop.imagery.source", value = "stac", defaultValue = "stac")
    StacImagerySource stacImagery(ImagerySettings settings) {
        StacSettings.Builder builder = StacSettings.defaults().toBuilder()
                .endpoint(settings.stacEndpoint())
                .collection(settings.collection())
                .allowedApiHosts(Set.of(settings.stacEndpoint().getHost()));
        if (settings.allowedAssetHosts() != null && !settings.allowedAssetHosts().isEmpty()) {
            builder.allowedAssetHosts(new LinkedHashSet<>(settings.allowedAssetHosts()));
        } else if (!settings.allowLoopbackAssets()) {
            // The defaults name loopback for the simulated DEA; real imagery never lives there (docs/security.md).
            Set<String> hosts = new LinkedHashSet<>(StacSettings.defaults().allowedAssetHosts());
            hosts.removeAll(StacSettings.LOOPBACK);
            builder.allowedAssetHosts(hosts);
        }
        LOG.info("Imagery from STAC {} ({})", settings.stacEndpoint(), settings.collection());
        return new StacImagerySource(builder.build());
    }

    @Singleton
    SeasonReader seasonReader(ImagerySource imagery, ImagerySettings settings) {
        return new SeasonReader(imagery, settings.concurrentDays());
    }

    @Singleton
    FeaturePipeline tileFeatures(SeasonReader reader, ImagerySettings settings) {
        return new FeaturePipeline(reader, settings.parallelism());
    }

    @Singleton
    JobPlanner jobPlanner(JobStore jobs, ImagerySource imagery, EventPublisher events, Clock clock) {
        return new JobPlanner(jobs, imagery, events, clock);
    }

    /**
     * Tiles this process extracts at once: from the heap and one tile's memory (a typical season's length), or
     * {@code geocrop.extraction.max-tiles-in-flight} when above 0. The embedded router may use its
     * {@code tilesInFlight()} as the delivery concurrency of tile events.
     */
    @Singleton
    ExtractionBudget extractionBudget(FeaturePipeline tiles, ImagerySettings settings,
                                      @Value("${" + ExtractionBudget.PROPERTY + ":0}") int maxTilesInFlight) {
        ExtractionBudget budget = ExtractionBudget.ofThisProcess(TileMemory.jobTile(TileMemory.TYPICAL_ACQUISITIONS,
                tiles.blockRows(), settings.concurrentDays()), maxTilesInFlight);
        LOG.info("Feature extraction: {}", budget.describe());
        return budget;
    }

    @Singleton
    TileExtraction tileExtraction(JobStore jobs, ObjectStore store, FeaturePipeline tiles, GeoCropSettings geocrop,
                                  ExtractionBudget budget) {
        return new TileExtraction(jobs, store, tiles, geocrop.resolvedHome().resolve("work"), budget);
    }
}
