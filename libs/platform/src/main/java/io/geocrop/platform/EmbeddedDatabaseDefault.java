package io.geocrop.platform;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * Gives the default datasource the embedded H2 file under GEOCROP_HOME when no URL is configured. Done in
 * code because the URL depends on another setting, and Micronaut placeholders cannot nest inside a default.
 */
@Singleton
final class EmbeddedDatabaseDefault implements BeanCreatedEventListener<DatasourceConfiguration> {
    private final GeoCropSettings settings;

    EmbeddedDatabaseDefault(GeoCropSettings settings) {
        this.settings = settings;
    }

    @Override
    public DatasourceConfiguration onCreated(BeanCreatedEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration config = event.getBean();
        String configured = config.getConfiguredUrl();
        if (configured == null || configured.isBlank()) {
            config.setUrl("jdbc:h2:file:" + settings.resolvedHome().resolve("db").resolve("geocrop") + ";DB_CLOSE_ON_EXIT=FALSE");
            if (config.getConfiguredUsername() == null || config.getConfiguredUsername().isBlank()) {
                config.setUsername("sa");
            }
        }
        return config;
    }
}
