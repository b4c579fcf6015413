package io.geocrop.platform;

import io.geocrop.domain.Coverage;
import io.geocrop.domain.JobRequestRules;
import io.geocrop.jobs.JdbcJobStore;
import io.geocrop.jobs.JobStore;
import io.geocrop.platform.metrics.GeoCropMetrics;
import io.geocrop.platform.metrics.MeteredJobStore;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;

/** Domain rules and the job store, built from configuration. */
@Factory
final class PlatformFactory {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    JobRequestRules jobRequestRules(AoiSettings aoi, Clock clock) {
        List<Double> c = aoi.coverage();
        if (c.size() != 4) {
            throw new IllegalStateException("geocrop.aoi.coverage must be [minLon, minLat, maxLon, maxLat], got " + c);
        }
        return new JobRequestRules(new Coverage(c.get(0), c.get(1), c.get(2), c.get(3)), aoi.minRadiusM(), aoi.maxRadiusM(), clock);
    }

    /**
     * The Micronaut Data job store on H2 (embedded default) or PostgreSQL + PostGIS, whichever
     * {@code datasources.default.url} names (it migrates its schema when first created), wrapped in
     * {@link MeteredJobStore}, which counts jobs submitted, completed and failed.
     */
    @Singleton
    JobStore jobStore(JdbcJobStore store, GeoCropMetrics metrics) {
        return new MeteredJobStore(store, metrics);
    }
}
