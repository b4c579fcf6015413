package io.geocrop.submit;

import io.geocrop.domain.JobRequestRules;
import io.geocrop.events.EventPublisher;
import io.geocrop.jobs.JobStore;
import io.geocrop.platform.GeoCropSettings;
import io.geocrop.platform.security.IngressSettings;
import io.micronaut.context.annotation.Factory;
import io.micronaut.core.annotation.Nullable;
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
    JobSubmissionService jobSubmissionService(JobStore store, EventPublisher publisher, GeoCropSettings settings, Clock clock,
                                              @Nullable ModelVersionKey versionKey) {
        return new JobSubmissionService(store, publisher, settings.modelRef(), clock,
                versionKey != null ? versionKey : ModelVersionKey.ALIAS);
    }

    @Singleton
    JobProgressStream jobProgressStream(JobStore store, IngressSettings settings) {
        return new JobProgressStream(store, settings.ssePollInterval(), settings.sseMaxDuration(),
                settings.ssePerClient(), settings.ssePerInstance());
    }
}
