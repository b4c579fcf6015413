package io.geocrop.submit;

import io.geocrop.domain.JobRequestRules;
import io.geocrop.events.EventPublisher;
import io.geocrop.jobs.JobStore;
import io.geocrop.platform.GeoCropSettings;
import io.geocrop.platform.admission.AdmissionControl;
import io.geocrop.platform.security.IngressSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import java.time.Clock;
import javax.sql.DataSource;

/** Builds submit-job's plain-Java collaborators from configuration. */
@Factory
final class SubmitJobFactory {

    @Singleton
    JobRequestParser jobRequestParser(JobRequestRules rules) {
        return new JobRequestParser(rules);
    }

    @Singleton
    JobSubmissionService jobSubmissionService(JobStore store, EventPublisher publisher, GeoCropSettings settings, Clock clock,
                                              AdmissionControl admission, @Nullable ModelVersionKey versionKey) {
        return new JobSubmissionService(store, publisher, settings.modelRef(), clock, admission,
                versionKey != null ? versionKey : ModelVersionKey.ALIAS);
    }

    @Singleton
    @Bean(preDestroy = "close")
    JobProgressStream jobProgressStream(JobStore store, DataSource dataSource, IngressSettings settings) {
        // The plain pool: the batched version query is one short autocommit statement, outside any transaction.
        JobVersions versions = new JobVersions(DelegatingDataSource.unwrapDataSource(dataSource));
        return new JobProgressStream(store, versions::of, versions::queueMark, settings.ssePollInterval(), settings.sseMaxDuration(),
                settings.ssePerClient(), settings.ssePerInstance());
    }
}
