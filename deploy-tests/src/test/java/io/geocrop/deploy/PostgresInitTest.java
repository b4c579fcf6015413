package io.geocrop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobRequest;
import io.geocrop.domain.Season;
import io.geocrop.jobs.JobStore;
import io.geocrop.jobs.JobStores;
import io.geocrop.jobs.MigrateJobStore;
import io.geocrop.jobs.NewJob;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * PostgreSQL's least privilege, executed: the init scripts of {@code 100-postgres-init-configmap.yaml} run (twice,
 * as the image's entrypoint would run them) on the machine's real PostgreSQL + PostGIS in a throw-away database,
 * the job store's Flyway migrations run as the migrations role ({@code MigrateJobStore}, the Job's command), the
 * grants of {@code 125-postgres-grants-configmap.yaml} run as that role, and then each function's role starts the
 * job store as the function does and tries what it must be able to do and what it must not.
 *
 * <p>Roles are cluster-wide, so every name carries a random prefix (the scripts' {@code GEOCROP_ROLE_PREFIX}) and
 * everything is dropped afterwards.
 */
class PostgresInitTest {
    private static final String HOST = "127.0.0.1";
    private static final String PORT = "5432";
    private static final String ADMIN = "postgres";
    private static final List<String> ROLES = List.of("migrator", "submit_job", "extract_features", "score_tile", "tile_render", "mlflow");

    private static final String PREFIX = "it" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
    private static final String DATABASE = PREFIX + "geocrop";
    private static final String MLFLOW_DATABASE = PREFIX + "mlflow";
    private static final String MLFLOW_AUTH_DATABASE = PREFIX + "mlflow_auth";
    private static final Map<String, String> PASSWORDS = new HashMap<>();
    private static Path mounted;

    @BeforeAll
    static void runInitScriptsMigrationsAndGrants(@TempDir Path tmp) throws Exception {
        for (String role : ROLES) {
            PASSWORDS.put(role, UUID.randomUUID().toString());
        }
        // The entrypoint creates POSTGRES_DB before it runs the init scripts.
        admin("postgres", "CREATE DATABASE " + DATABASE);
        mounted = InfraScripts.mount(InfraScripts.configMap("infra/k8s", "postgres-init"), tmp.resolve("initdb.d"));
        // Run twice: the second run (a re-created pod on a volume that was initialised halfway, or an operator
        // re-running it) must converge, not fail.
        InfraScripts.run(List.of(mounted.resolve("10-geocrop-roles.sh").toString()), initEnv(), mounted).assertSucceeded("init");
        InfraScripts.run(List.of(mounted.resolve("10-geocrop-roles.sh").toString()), initEnv(), mounted).assertSucceeded("init again");

        int applied = MigrateJobStore.migrate(Map.of(
                "GEOCROP_DB_URL", jdbcUrl(DATABASE) + "?currentSchema=geocrop,public",
                "GEOCROP_DB_USER", PREFIX + "migrator",
                "GEOCROP_DB_PASSWORD", PASSWORDS.get("migrator")));
        assertTrue(applied >= 3, "the migrations role applied " + applied + " migrations");

        Path grants = InfraScripts.mount(InfraScripts.configMap("infra/k8s", "postgres-grants"), tmp.resolve("grants"));
        Map<String, String> grantEnv = Map.of("PGHOST", HOST, "PGPORT", PORT, "PGDATABASE", DATABASE,
                "PGUSER", PREFIX + "migrator", "PGPASSWORD", PASSWORDS.get("migrator"), "GEOCROP_ROLE_PREFIX", PREFIX);
        InfraScripts.run(List.of("sh", grants.resolve("grant.sh").toString()), grantEnv, grants).assertSucceeded("grants");
        InfraScripts.run(List.of("sh", grants.resolve("grant.sh").toString()), grantEnv, grants).assertSucceeded("grants again");
    }

    @AfterAll
    static void dropEverything() throws Exception {
        for (String db : List.of(DATABASE, MLFLOW_DATABASE, MLFLOW_AUTH_DATABASE)) {
            admin("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
        for (String role : ROLES) {
            admin("postgres", "DROP ROLE IF EXISTS " + PREFIX + role);
        }
    }

    @Test
    void theScriptsPassShellcheck() {
        assertEquals(List.of(), InfraScripts.shellcheckAll(mounted));
    }

    @Test
    void theInitRefusesToStartWithoutEveryPassword(@TempDir Path tmp) {
        Map<String, String> env = initEnv();
        env.remove("GEOCROP_DB_SCORE_TILE_PASSWORD");
        env.put("GEOCROP_ROLE_PREFIX", "never_" + PREFIX);
        InfraScripts.Run run = InfraScripts.run(List.of(mounted.resolve("10-geocrop-roles.sh").toString()), env, mounted);
        assertNotEquals(0, run.exit());
        assertTrue(run.output().contains("GEOCROP_DB_SCORE_TILE_PASSWORD must be set"), run.output());
    }

    @Test
    void noRoleIsPrivileged() throws Exception {
        try (Connection c = connect("postgres", ADMIN); Statement s = c.createStatement()) {
            for (String role : ROLES) {
                var rs = s.executeQuery("SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = '"
                        + PREFIX + role + "'");
                assertTrue(rs.next(), role + " exists");
                assertEquals(List.of(false, false, false, false, true),
                        List.of(rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4), rs.getBoolean(5)), role);
            }
        }
    }

    @Test
    void theMigrationsRoleOwnsTheSchemaButCannotEscapeIt() throws Exception {
        assertAllowed("migrator", DATABASE, "CREATE TABLE geocrop.scratch_" + PREFIX + " (x int); DROP TABLE geocrop.scratch_" + PREFIX);
        assertDenied("migrator", DATABASE, "CREATE TABLE public.scratch (x int)");
        assertDenied("migrator", DATABASE, "CREATE ROLE " + PREFIX + "intruder");
        assertDenied("migrator", DATABASE, "ALTER ROLE " + PREFIX + "submit_job SUPERUSER");
        assertCannotConnect("migrator", MLFLOW_DATABASE);
    }

    @Test
    void submitJobRecordsJobsAndNothingElse() throws Exception {
        JobStore store = startJobStore("submit_job");
        UUID id = UUID.randomUUID();
        assertTrue(store.submit(newJob(id)).created());
        store.markEnqueued(id);
        store.fail(id, "dead letter");
        assertTrue(store.recent(100).stream().anyMatch(j -> j.id().equals(id)));
        assertDenied("submit_job", DATABASE, "DELETE FROM geocrop.jobs");
        assertDenied("submit_job", DATABASE, "TRUNCATE geocrop.jobs");
        assertDenied("submit_job", DATABASE, "INSERT INTO geocrop.job_tiles (job_id, tile_id) VALUES ('" + id + "', 't')");
        assertDenied("submit_job", DATABASE, "CREATE TABLE geocrop.evil (x int)");
        assertDenied("submit_job", DATABASE, "DROP TABLE geocrop.jobs");
        assertDenied("submit_job", DATABASE, "CREATE TABLE public.evil (x int)");
        assertCannotConnect("submit_job", MLFLOW_DATABASE);
    }

    @Test
    void extractFeaturesPlansAndCountsTilesButCannotCreateJobs() throws Exception {
        UUID id = UUID.randomUUID();
        startJobStore("submit_job").submit(newJob(id));
        JobStore store = startJobStore("extract_features");
        store.recordImagery(id, List.of("item-a", "item-b"));
        store.planTiles(id, List.of("t0", "t1"));
        store.markTileExtracted(id, "t0");
        assertEquals(2, store.tiles(id).size());
        assertDenied("extract_features", DATABASE, "INSERT INTO geocrop.jobs (id) VALUES ('" + UUID.randomUUID() + "')");
        assertDenied("extract_features", DATABASE, "DELETE FROM geocrop.job_tiles");
        assertDenied("extract_features", DATABASE, "UPDATE geocrop.job_imagery SET item_id = 'x'");
        assertDenied("extract_features", DATABASE, "ALTER TABLE geocrop.jobs ADD COLUMN evil int");
    }

    @Test
    void scoreTileScoresTilesButCannotPlanThem() throws Exception {
        UUID id = UUID.randomUUID();
        startJobStore("submit_job").submit(newJob(id));
        JobStore extract = startJobStore("extract_features");
        extract.recordImagery(id, List.of("item-a"));
        extract.planTiles(id, List.of("t0"));
        extract.markTileExtracted(id, "t0");
        JobStore store = startJobStore("score_tile");
        store.markTileScored(id, "t0");
        assertEquals(List.of("item-a"), store.imagery(id));
        assertDenied("score_tile", DATABASE, "INSERT INTO geocrop.job_tiles (job_id, tile_id) VALUES ('" + id + "', 'extra')");
        assertDenied("score_tile", DATABASE, "INSERT INTO geocrop.job_imagery (job_id, position, item_id) VALUES ('" + id + "', 9, 'x')");
        assertDenied("score_tile", DATABASE, "DELETE FROM geocrop.jobs");
    }

    @Test
    void tileRenderOnlyReadsJobs() throws Exception {
        UUID id = UUID.randomUUID();
        startJobStore("submit_job").submit(newJob(id));
        JobStore store = startJobStore("tile_render");
        assertTrue(store.find(id).isPresent());
        assertThrows(RuntimeException.class, () -> store.fail(id, "vandal"));
        assertDenied("tile_render", DATABASE, "UPDATE geocrop.jobs SET failure_reason = 'x'");
        assertDenied("tile_render", DATABASE, "SELECT * FROM geocrop.job_tiles");
    }

    @Test
    void mlflowOwnsItsDatabaseAndCannotReachTheJobs() throws Exception {
        assertAllowed("mlflow", MLFLOW_DATABASE, "CREATE TABLE experiments_probe (x int); DROP TABLE experiments_probe");
        assertAllowed("mlflow", MLFLOW_AUTH_DATABASE, "CREATE TABLE users_probe (x int); DROP TABLE users_probe");
        assertCannotConnect("submit_job", MLFLOW_AUTH_DATABASE);
        assertCannotConnect("mlflow", DATABASE);
        // Nor can the functions write where MLflow keeps the models' registry.
        assertCannotConnect("score_tile", MLFLOW_DATABASE);
    }

    @Test
    void theJobRunsMigrationsAsTheMigrationsRoleAndGrantsAfterwards() {
        JsonNode job = Deployables.render("infra/k8s").ofKind("Job").stream().filter(r -> r.name().equals("postgres-migrate"))
                .findFirst().orElseThrow().doc();
        JsonNode migrate = job.at("/spec/template/spec/initContainers/0");
        assertTrue(migrate.path("command").toString().contains("io.geocrop.jobs.MigrateJobStore"), migrate.toString());
        assertEquals("geocrop_migrator", InfraScripts.env(migrate).get("GEOCROP_DB_USER"));
        JsonNode grant = job.at("/spec/template/spec/containers/0");
        assertEquals("geocrop_migrator", InfraScripts.env(grant).get("PGUSER"));
        assertTrue(grant.path("command").toString().contains("/scripts/grant.sh"));
    }

    // ---- helpers ----

    private static Map<String, String> initEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("PGHOST", HOST);
        env.put("PGPORT", PORT);
        env.put("POSTGRES_USER", ADMIN);
        env.put("POSTGRES_DB", DATABASE);
        env.put("GEOCROP_ROLE_PREFIX", PREFIX);
        env.put("MLFLOW_DATABASE", MLFLOW_DATABASE);
        env.put("MLFLOW_AUTH_DATABASE", MLFLOW_AUTH_DATABASE);
        env.put("GEOCROP_DB_MIGRATOR_PASSWORD", PASSWORDS.get("migrator"));
        env.put("GEOCROP_DB_SUBMIT_JOB_PASSWORD", PASSWORDS.get("submit_job"));
        env.put("GEOCROP_DB_EXTRACT_FEATURES_PASSWORD", PASSWORDS.get("extract_features"));
        env.put("GEOCROP_DB_SCORE_TILE_PASSWORD", PASSWORDS.get("score_tile"));
        env.put("GEOCROP_DB_TILE_RENDER_PASSWORD", PASSWORDS.get("tile_render"));
        env.put("GEOCROP_DB_MLFLOW_PASSWORD", PASSWORDS.get("mlflow"));
        return env;
    }

    private static NewJob newJob(UUID id) {
        return new NewJob(id, new JobRequest(new Aoi(31.05, -17.8, 1000), new Season(2023)), "m@champion", "dedup-" + id);
    }

    /** The job store as a function starts it (JobStores.forDataSource: Flyway validates, then the store). */
    private static JobStore startJobStore(String role) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl(DATABASE) + "?currentSchema=geocrop,public");
        ds.setUser(PREFIX + role);
        ds.setPassword(PASSWORDS.get(role));
        return JobStores.forDataSource(ds);
    }

    private static String jdbcUrl(String db) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + db;
    }

    private static Connection connect(String db, String user) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(db), user, user.equals(ADMIN) ? null : PASSWORDS.get(user.substring(PREFIX.length())));
    }

    private static void admin(String db, String sql) throws SQLException {
        try (Connection c = connect(db, ADMIN); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void assertAllowed(String role, String db, String sql) throws SQLException {
        try (Connection c = connect(db, PREFIX + role); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The statement fails with SQLSTATE 42501 (insufficient_privilege). */
    private static void assertDenied(String role, String db, String sql) {
        SQLException e = assertThrows(SQLException.class, () -> assertAllowed(role, db, sql), role + " may run: " + sql);
        assertEquals("42501", e.getSQLState(), role + ": " + sql + " failed for another reason: " + e.getMessage());
    }

    private static void assertCannotConnect(String role, String db) {
        SQLException e = assertThrows(SQLException.class, () -> connect(db, PREFIX + role).close(), role + " may connect to " + db);
        assertEquals("42501", e.getSQLState(), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }
}
