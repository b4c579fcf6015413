package io.geocrop.platform.admission;

import io.micronaut.context.annotation.Factory;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import javax.sql.DataSource;

/** The admission budget over the job store's database (created only where a route asks for it: submit-job). */
@Factory
final class AdmissionFactory {

    @Singleton
    AdmissionControl admissionControl(AdmissionSettings settings, DataSource dataSource) {
        // The plain pool: each reading is its own short autocommit query, outside any transaction.
        return new AdmissionControl(settings, new JdbcJobLoad(DelegatingDataSource.unwrapDataSource(dataSource)));
    }
}
