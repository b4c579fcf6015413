package io.geocrop.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.core.value.MapPropertyResolver;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which generated repositories the configuration selects. */
class DatabaseConditionTest {
    private static SqlDialect configured(Map<String, Object> properties) {
        return DatabaseCondition.configured(new MapPropertyResolver(properties));
    }

    @Test
    void theDataSourceUrlNamesTheDatabase() {
        assertEquals(SqlDialect.POSTGRESQL, configured(Map.of("datasources.default.url",
                "jdbc:postgresql://db:5432/geocrop?currentSchema=geocrop,public")));
        assertEquals(SqlDialect.H2, configured(Map.of("datasources.default.url", "jdbc:h2:file:/home/x/db/geocrop")));
    }

    @Test
    void noUrlIsTheEmbeddedH2Default() {
        assertEquals(SqlDialect.H2, configured(Map.of()));
        assertEquals(SqlDialect.H2, configured(Map.of("datasources.default.url", "")));
    }

    @Test
    void theExplicitSettingWins() {
        assertEquals(SqlDialect.POSTGRESQL, configured(Map.of("geocrop.jobs.dialect", "postgresql",
                "datasources.default.url", "jdbc:h2:mem:x")));
        assertEquals(SqlDialect.H2, configured(Map.of("geocrop.jobs.dialect", "H2")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> configured(Map.of("geocrop.jobs.dialect", "mysql")));
        assertTrue(e.getMessage().contains("geocrop.jobs.dialect") && e.getMessage().contains("mysql"), e.getMessage());
    }
}
