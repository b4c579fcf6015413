package io.geocrop.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The migration Job's command: clear errors for a missing or wrong setting. (The migrations themselves, run as the
 * cluster's migrations role on the real PostgreSQL, are deploy-tests PostgresInitTest.)
 */
class MigrateJobStoreTest {
    @Test
    void aMissingUrlOrUserIsNamed() {
        var noUrl = assertThrows(IllegalArgumentException.class, () -> MigrateJobStore.migrate(Map.of("GEOCROP_DB_USER", "u")));
        assertEquals("GEOCROP_DB_URL is not set", noUrl.getMessage());
        var noUser = assertThrows(IllegalArgumentException.class, () -> MigrateJobStore.migrate(
                Map.of("GEOCROP_DB_URL", "jdbc:postgresql://127.0.0.1:5432/x")));
        assertEquals("GEOCROP_DB_USER is not set", noUser.getMessage());
    }

    @Test
    void onlyPostgresqlIsMigratedByTheJob() {
        var h2 = assertThrows(IllegalArgumentException.class, () -> MigrateJobStore.migrate(
                Map.of("GEOCROP_DB_URL", "jdbc:h2:mem:x", "GEOCROP_DB_USER", "sa")));
        assertTrue(h2.getMessage().contains("must be a jdbc:postgresql: URL"), h2.getMessage());
    }

    @Test
    void anUnreachableServerIsAJobStoreErrorNamingTheCause() {
        var e = assertThrows(JobStoreException.class, () -> MigrateJobStore.migrate(Map.of(
                "GEOCROP_DB_URL", "jdbc:postgresql://127.0.0.1:1/geocrop?connectTimeout=2", "GEOCROP_DB_USER", "u")));
        assertTrue(e.getMessage().contains("cannot open a connection"), e.getMessage());
    }
}
