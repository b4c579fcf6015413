package io.geocrop.submit;

import io.geocrop.domain.JobRequestRules;
import io.geocrop.events.EventPublisher;
import io.geocrop.jobs.JobStore;
import io.geocrop.platform.GeoCropSettings;
import io.geocrop.platform.ratelimit.InMemoryRateLimiter;
import io.geocrop.platform.ratelimit.RateLimiter;
import io.geocrop.platform.ratelimit.RedisRateLimiter;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Builds submit-job's plain-Java collaborators from configuration. */
@Factory
final class SubmitJobFactory {

    @Singleton
    JobRequestParser jobRequestParser(JobRequestRules rules) {
        return new JobRequestParser(rules);
    }

    @Singleton
    JobSubmissionService jobSubmissionService(JobStore store, EventPublisher publisher, GeoCropSettings settings, Clock clock) {
        return new JobSubmissionService(store, publisher, settings.modelRef(), clock);
    }

    /** Shared counters in Redis when the cluster transport is configured, in memory when embedded. */
    @Singleton
    RateLimiter rateLimiter(IngressSettings settings, BeanProvider<StatefulRedisConnection<String, String>> redis, Clock clock) {
        if (redis.isPresent()) {
            return new RedisRateLimiter(redis.get(), "geocrop:ratelimit:jobs:", settings.rateLimit(), settings.rateWindow());
        }
        return new InMemoryRateLimiter(settings.rateLimit(), settings.rateWindow(), clock);
    }

    @Singleton
    JobProgressStream jobProgressStream(JobStore store, IngressSettings settings) {
        return new JobProgressStream(store, settings.ssePollInterval(), settings.sseMaxDuration());
    }
}
