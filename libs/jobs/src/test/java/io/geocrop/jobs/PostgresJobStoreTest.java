package io.geocrop.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.domain.Aoi;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract on the machine's real PostgreSQL + PostGIS, in a fresh schema per run, plus the checks only
 * PostgreSQL has: the AOI stored as a geography circle, and migrations in a chosen schema.
 */
class PostgresJobStoreTest extends JobStoreContract {
    private static PostgresTestSchema db;
    private static JdbcJobStore tables;

    @BeforeAll
    static void createSchema() {
        db = PostgresTestSchema.create("geocrop_test", THREADS + 2);
        assertEquals(MigrationScripts.count("postgresql"), JobStoreMigrations.migrate(db.dataSource()), "migrations applied to a new schema");
        tables = JobStores.forDataSource(db.dataSource());
        assertEquals(SqlDialect.POSTGRESQL, tables.dialect());
    }

    @AfterAll
    static void dropSchema() {
        if (db != null) {
            db.close();
        }
    }

    @Override
    protected JobStore newStore() {
        return newStore(Clock.systemUTC());
    }

    @Override
    protected JobStore newStore(Clock clock) {
        db.truncate("job_costs", "job_imagery", "job_tiles", "jobs");
        return tables.withClock(clock);
    }

    @Test
    void theAoiIsStoredAsAGeographyCircle() throws SQLException {
        record Case(double lon, double lat, double radiusM) {}
        List<Case> cases = List.of(new Case(31.05, -17.83, 5000), new Case(28.58, -20.15, 100), new Case(32.6, -19.0, 10_000));
        List<UUID> ids = new ArrayList<>();
        for (Case c : cases) {
            ids.add(store.submit(newJob(UUID.randomUUID(), c.lon(), c.lat(), c.radiusM(), 2023, null)).job().id());
        }

        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT ST_Area(aoi), ST_Covers(aoi, centre), ST_X(centre::geometry), ST_Y(centre::geometry),"
                        + " ST_SRID(aoi::geometry), GeometryType(aoi::geometry) FROM jobs WHERE id = ?")) {
            for (int i = 0; i < cases.size(); i++) {
                Case expected = cases.get(i);
                ps.setObject(1, ids.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    double circle = Math.PI * expected.radiusM() * expected.radiusM();
                    double area = rs.getDouble(1);
                    assertEquals(1.0, area / circle, 0.01, "area of the r=" + expected.radiusM() + " AOI: " + area);
                    assertTrue(rs.getBoolean(2), "the AOI covers its centre");
                    assertEquals(expected.lon(), rs.getDouble(3), 1e-12);
                    assertEquals(expected.lat(), rs.getDouble(4), 1e-12);
                    assertEquals(4326, rs.getInt(5));
                    assertEquals("POLYGON", rs.getString(6));
                }
            }
        }
    }

    @Test
    void theAoiReachesItsRadiusInEveryDirection() throws SQLException {
        Aoi aoi = new Aoi(30.2, -18.4, 3000);
        UUID id = store.submit(newJob(UUID.randomUUID(), aoi.lon(), aoi.lat(), aoi.radiusM(), 2022, null)).job().id();

        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT ST_Covers(aoi, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography) FROM jobs WHERE id = ?")) {
            for (int bearing = 0; bearing < 360; bearing += 45) {
                double[] inside = aoi.offset(bearing, 0.99 * aoi.radiusM());
                double[] outside = aoi.offset(bearing, 1.01 * aoi.radiusM());
                assertTrue(covers(ps, inside, id), "99 % of the radius at bearing " + bearing + " is inside");
                assertFalse(covers(ps, outside, id), "101 % of the radius at bearing " + bearing + " is outside");
            }
        }
    }

    private static boolean covers(PreparedStatement ps, double[] lonLat, UUID id) throws SQLException {
        ps.setDouble(1, lonLat[0]);
        ps.setDouble(2, lonLat[1]);
        ps.setObject(3, id);
        try (ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next());
            return rs.getBoolean(1);
        }
    }

    @Test
    void theMigrationCreatesTheSpatialAndListingIndexes() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = ? AND tablename = 'jobs' ORDER BY 1")) {
            ps.setString(1, db.schema());
            List<String> definitions = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    definitions.add(rs.getString(1) + ": " + rs.getString(2));
                }
            }
            String all = String.join("\n", definitions);
            assertTrue(all.contains("jobs_aoi_gist: ") && all.contains("USING gist (aoi)"), all);
            assertTrue(all.contains("jobs_created_at: ") && all.contains("(created_at)"), all);
            assertTrue(all.contains("jobs_state_updated_at: ") && all.contains("(state, updated_at)"), all);
            assertTrue(all.contains("jobs_dedup_key_unique: ") && all.contains("UNIQUE INDEX"), all);
        }
    }

    @Test
    void migratingAgainIsANoOp() throws SQLException {
        Job kept = store.submit(newJob("kept")).job();

        assertEquals(0, JobStoreMigrations.migrate(db.dataSource()));

        assertEquals(kept, store.find(kept.id()).orElseThrow());
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version, success FROM " + JobStoreMigrations.HISTORY_TABLE
                        + " WHERE version IS NOT NULL ORDER BY installed_rank")) {
            List<String> versions = new ArrayList<>();
            while (rs.next()) {
                assertTrue(rs.getBoolean(2));
                versions.add(rs.getString(1));
            }
            assertEquals(MigrationScripts.versions("postgresql"), versions, "each migration recorded once");
        }
    }

    @Test
    void migrateCanTargetANamedSchemaAndCreateIt() throws SQLException {
        String other = db.schema() + "_named";
        try {
            // The connections' own search path does not contain the target schema: Flyway puts it in front.
            assertEquals(MigrationScripts.count("postgresql"), JobStoreMigrations.migrate(db.dataSource(), other));
            assertEquals(0, JobStoreMigrations.migrate(db.dataSource(), other));
            try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY 1")) {
                ps.setString(1, other);
                List<String> tables = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                assertEquals(List.of(JobStoreMigrations.HISTORY_TABLE, "job_costs", "job_imagery", "job_tiles", "jobs"), tables);
            }
            JobStore inOther = new JdbcJobStore(db.dataSourceWithSearchPath(other + "," + db.postgisSchema()));
            Job job = inOther.submit(newJob(null)).job();
            assertEquals(job, inOther.find(job.id()).orElseThrow());
            assertTrue(store.find(job.id()).isEmpty(), "the job went to the named schema only");
        } finally {
            db.dropSchema(other);
        }
    }

    @Test
    void atRunTimeTheStoreNeedsOnlyItsOwnSchemaOnTheSearchPath() throws SQLException {
        // The geography columns are computed by the database from functions bound at migration time.
        DataSource onlyJobs = db.dataSourceWithSearchPath(db.schema());
        JobStore narrow = new JdbcJobStore(onlyJobs);
        Job job = narrow.submit(newJob(UUID.randomUUID(), 31.0, -17.9, 1000, 2023, "narrow")).job();
        narrow.planTiles(job.id(), List.of("32736-1-1"));
        assertTrue(narrow.markTileScored(job.id(), "32736-1-1").completedJustNow());

        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT ST_AsText(centre) FROM jobs WHERE id = ?")) {
            ps.setObject(1, job.id());
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertNotNull(rs.getString(1));
                assertEquals("POINT(31 -17.9)", rs.getString(1));
            }
        }
    }
}
