package io.geocrop.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * {@link JobStore} over plain JDBC, for H2 and PostgreSQL alike (the tables come from
 * {@link JobStoreMigrations}; table names are unqualified, so the connections' search path must reach them).
 *
 * <p>How it stays correct with many processes at once: each call is one short transaction. Every change to a
 * job first takes the job row's lock ({@code SELECT ... FOR UPDATE}), decides from what it read, then writes; so
 * the changes to one job are serialised and, for tile counting, exactly one caller sees the last tile go in.
 * Duplicate submissions are stopped by the unique {@code dedup_key} constraint, not by a prior look-up. A
 * transaction that loses a race the database reports as retryable (deadlock, serialization failure, lock
 * timeout) is run again a few times. Every change bumps {@code version} and {@code updated_at}; calls that
 * change nothing (redeliveries) leave both alone.
 *
 * <p>Behaviour on finished jobs, chosen so that late or redelivered events never cause errors that would only
 * be retried forever: counting a tile of a FAILED job, planning tiles of a finished job, and marking a finished
 * job enqueued return the job unchanged. Counting a tile that was never planned is a caller bug and throws
 * {@link IllegalArgumentException}; counting a not yet counted tile of a COMPLETED job throws
 * {@link IllegalStateException} (it can only happen if the job was completed before all its tiles were scored).
 */
public final class JdbcJobStore implements JobStore {
    /** Failure reasons are cut to this many characters; longer ones are almost always stack traces. */
    public static final int MAX_FAILURE_REASON_CHARS = 1000;
    /** Longest accepted model reference, dedup key and tile id (the column widths). */
    static final int MAX_MODEL_REF_CHARS = 200;
    static final int MAX_DEDUP_KEY_CHARS = 200;
    static final int MAX_TILE_ID_CHARS = 100;
    static final int MAX_ITEM_ID_CHARS = 200;
    /** Reason recorded when a job is moved to FAILED through {@link #transition} instead of {@link #fail}. */
    static final String DEFAULT_FAILURE_REASON = "moved to FAILED without a recorded reason";

    private static final int MAX_ATTEMPTS = 5;
    private static final String COLUMNS = "id, lon, lat, radius_m, season_year, model_ref, state, tiles_total, "
            + "tiles_extracted, tiles_scored, failure_reason, results, created_at, updated_at, enqueued_at, version";
    private static final String SELECT_JOB = "SELECT " + COLUMNS + " FROM jobs WHERE id = ?";
    private static final String NON_TERMINAL_STATES = "('QUEUED', 'EXTRACTING', 'SCORING', 'ASSEMBLING')";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> RESULTS_TYPE = new TypeReference<>() {};

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final Clock clock;

    /** A store over {@code dataSource}, detecting the database and stamping times with the UTC system clock. */
    public JdbcJobStore(DataSource dataSource) {
        this(dataSource, SqlDialect.detect(dataSource), Clock.systemUTC());
    }

    /**
     * A store over {@code dataSource}.
     *
     * @param dialect the database behind it ({@link SqlDialect#detect(DataSource)})
     * @param clock   stamps {@code created_at}/{@code updated_at} and is "now" for {@link #stuck}; times are kept to
     *                the microsecond, which both databases store exactly
     */
    public JdbcJobStore(DataSource dataSource, SqlDialect dialect, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The database this store talks to. */
    public SqlDialect dialect() {
        return dialect;
    }

    @Override
    public Submission submit(NewJob job) {
        checkNewJob(job);
        // Loop only for the rare race where the job holding our dedup key fails (releasing the key) between our
        // rejected insert and the look-up of that job.
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                return new Submission(inTransaction(c -> insert(c, job)), true);
            } catch (SQLException e) {
                if (!isUniqueViolation(e)) {
                    throw failure("recording job " + job.id(), e);
                }
            }
            Optional<Submission> existing = run("looking up the job that already holds job " + job.id() + "'s keys",
                    c -> existingFor(c, job));
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        throw new JobStoreException("recording job " + job.id() + " kept colliding with dedup key '" + job.dedupKey()
                + "' held by jobs that failed before they could be read; giving up after " + MAX_ATTEMPTS + " attempts", null);
    }

    private Job insert(Connection c, NewJob job) throws SQLException {
        Instant now = now();
        Aoi aoi = job.request().aoi();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO jobs (id, lon, lat, radius_m, season_year, model_ref,"
                + " state, tiles_total, tiles_extracted, tiles_scored, dedup_key, created_at, updated_at, version)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?, ?, 1)")) {
            ps.setObject(1, job.id());
            ps.setDouble(2, aoi.lon());
            ps.setDouble(3, aoi.lat());
            ps.setDouble(4, aoi.radiusM());
            ps.setInt(5, job.request().season().year());
            ps.setString(6, job.modelRef());
            ps.setString(7, JobState.QUEUED.name());
            ps.setString(8, job.dedupKey());
            ps.setObject(9, timestamp(now));
            ps.setObject(10, timestamp(now));
            ps.executeUpdate();
        }
        return readJob(c, job.id(), false);
    }

    /** After a unique violation: the job holding the dedup key, or the job already recorded under this id. */
    private static Optional<Submission> existingFor(Connection c, NewJob job) throws SQLException {
        if (job.dedupKey() != null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs WHERE dedup_key = ?")) {
                ps.setString(1, job.dedupKey());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return Optional.of(new Submission(mapJob(rs), false));
                    }
                }
            }
        }
        Optional<Job> sameId = findJob(c, job.id());
        if (sameId.isPresent()) {
            Job recorded = sameId.get();
            // The same NewJob submitted twice (a retried request) is a redelivery; anything else reusing the id is a bug.
            if (!sameRequest(recorded, job)) {
                throw new IllegalArgumentException("job id " + job.id() + " is already used by a different job (AOI "
                        + recorded.aoi() + ", year " + recorded.year() + ", model '" + recorded.modelRef() + "')");
            }
            return Optional.of(new Submission(recorded, false));
        }
        return Optional.empty();
    }

    private static boolean sameRequest(Job recorded, NewJob job) {
        Aoi a = recorded.aoi();
        Aoi b = job.request().aoi();
        return a.lon() == b.lon() && a.lat() == b.lat() && a.radiusM() == b.radiusM()
                && recorded.year() == job.request().season().year() && recorded.modelRef().equals(job.modelRef());
    }

    /** The job with this id, if recorded. */
    @Override
    public Optional<Job> find(UUID id) {
        Objects.requireNonNull(id, "id");
        return run("reading job " + id, c -> findJob(c, id));
    }

    /** The {@code limit} most recently created jobs, newest first (ties broken by id); an empty list for 0. */
    @Override
    public List<Job> recent(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        if (limit == 0) {
            return List.of();
        }
        return run("listing recent jobs", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM jobs ORDER BY created_at DESC, id DESC LIMIT ?")) {
                ps.setInt(1, limit);
                return mapJobs(ps);
            }
        });
    }

    /**
     * Sets {@code enqueuedAt} the first time; later calls, and calls on a finished job, return the job unchanged
     * (a re-emitted job keeps its first hand-over time).
     */
    @Override
    public Job markEnqueued(UUID id) {
        Objects.requireNonNull(id, "id");
        return run("marking job " + id + " enqueued", c -> {
            Job job = lockJob(c, id);
            if (job.enqueuedAt() != null || job.state().isTerminal()) {
                return job;
            }
            Instant now = now();
            update(c, id, now, "enqueued_at = ?", ps -> ps.setObject(1, timestamp(now)));
            return readJob(c, id, false);
        });
    }

    /**
     * Moves the job along the state machine ({@link JobState#canMoveTo}). The same state is a no-op that changes
     * nothing. Moving to FAILED this way releases the dedup key like {@link #fail} and records a generic reason.
     */
    @Override
    public Job transition(UUID id, JobState target) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        return run("moving job " + id + " to " + target, c -> {
            Job job = lockJob(c, id);
            if (job.state() == target) {
                return job;
            }
            if (!job.state().canMoveTo(target)) {
                throw new IllegalJobTransitionException(id, job.state(), target);
            }
            Instant now = now();
            if (target == JobState.FAILED) {
                update(c, id, now, "state = ?, dedup_key = NULL, failure_reason = ?", ps -> {
                    ps.setString(1, target.name());
                    ps.setString(2, DEFAULT_FAILURE_REASON);
                });
            } else {
                update(c, id, now, "state = ?", ps -> ps.setString(1, target.name()));
            }
            return readJob(c, id, false);
        });
    }

    /**
     * Fails the job with {@code reason} (whitespace-trimmed, cut to {@value #MAX_FAILURE_REASON_CHARS} characters)
     * and releases its dedup key. A COMPLETED job is returned unchanged; so is an already FAILED one, which keeps
     * its first reason.
     */
    @Override
    public Job fail(UUID id, String reason) {
        Objects.requireNonNull(id, "id");
        String trimmed = trimReason(reason);
        return run("failing job " + id, c -> {
            Job job = lockJob(c, id);
            if (job.state().isTerminal()) {
                return job;
            }
            update(c, id, now(), "state = ?, dedup_key = NULL, failure_reason = ?", ps -> {
                ps.setString(1, JobState.FAILED.name());
                ps.setString(2, trimmed);
            });
            return readJob(c, id, false);
        });
    }

    /**
     * Records the tiles not recorded yet and sets {@code tilesTotal} to the number of distinct tiles recorded.
     * Tiles are only ever added. Repeating the same ids changes nothing; on a finished job nothing is recorded.
     */
    @Override
    public Job planTiles(UUID id, List<String> tileIds) {
        Objects.requireNonNull(id, "id");
        Set<String> wanted = checkTileIds(id, tileIds);
        return run("planning " + wanted.size() + " tiles of job " + id, c -> {
            Job job = lockJob(c, id);
            if (job.state().isTerminal()) {
                return job;
            }
            // Safe to diff in Java: the job row lock keeps other planners of this job out until we commit.
            Set<String> missing = new LinkedHashSet<>(wanted);
            missing.removeAll(plannedTiles(c, id));
            if (missing.isEmpty()) {
                return job;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO job_tiles (job_id, tile_id) VALUES (?, ?)")) {
                for (String tileId : missing) {
                    ps.setObject(1, id);
                    ps.setString(2, tileId);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            update(c, id, now(), "tiles_total = tiles_total + ?", ps -> ps.setInt(1, missing.size()));
            return readJob(c, id, false);
        });
    }

    @Override
    public List<String> recordImagery(UUID id, List<String> itemIds) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(itemIds, "itemIds");
        Set<String> distinct = new LinkedHashSet<>();
        for (String itemId : itemIds) {
            checkText("imagery item id of job " + id, itemId, MAX_ITEM_ID_CHARS);
            if (!distinct.add(itemId)) {
                throw new IllegalArgumentException("imagery item '" + itemId + "' is listed twice for job " + id);
            }
        }
        return run("recording " + distinct.size() + " imagery items of job " + id, c -> {
            lockJob(c, id); // serialises concurrent planners of the job: the first manifest wins
            List<String> existing = readImagery(c, id);
            if (!existing.isEmpty() || distinct.isEmpty()) {
                return existing;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO job_imagery (job_id, position, item_id) VALUES (?, ?, ?)")) {
                int position = 0;
                for (String itemId : distinct) {
                    ps.setObject(1, id);
                    ps.setInt(2, position++);
                    ps.setString(3, itemId);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return List.copyOf(distinct);
        });
    }

    @Override
    public List<String> imagery(UUID id) {
        Objects.requireNonNull(id, "id");
        return run("reading the imagery of job " + id, c -> {
            if (findJob(c, id).isEmpty()) {
                throw new JobNotFoundException(id);
            }
            return readImagery(c, id);
        });
    }

    private static List<String> readImagery(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT item_id FROM job_imagery WHERE job_id = ? ORDER BY position")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> items = new ArrayList<>();
                while (rs.next()) {
                    items.add(rs.getString(1));
                }
                return List.copyOf(items);
            }
        }
    }

    /** Counts the tile's feature file once; a repeat returns {@code counted=false} and changes nothing. */
    @Override
    public TileProgress markTileExtracted(UUID id, String tileId) {
        return countTile(id, tileId, false);
    }

    /**
     * Counts the tile scored once. A scored tile also counts as extracted if it was not yet (its feature file
     * necessarily exists, and score-tile may finish before extract-features records the extraction).
     * {@link TileProgress#completedJustNow()} is true only for the call that scored the job's last planned tile.
     */
    @Override
    public TileProgress markTileScored(UUID id, String tileId) {
        return countTile(id, tileId, true);
    }

    private TileProgress countTile(UUID id, String tileId, boolean scored) {
        Objects.requireNonNull(id, "id");
        checkTileId(id, tileId);
        String action = (scored ? "counting tile '" + tileId + "' scored" : "counting tile '" + tileId + "' extracted")
                + " for job " + id;
        return run(action, c -> {
            Job job = lockJob(c, id);
            Instant extractedAt;
            Instant scoredAt;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT extracted_at, scored_at FROM job_tiles WHERE job_id = ? AND tile_id = ?")) {
                ps.setObject(1, id);
                ps.setString(2, tileId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("tile '" + tileId + "' is not planned for job " + id
                                + " (" + job.tilesTotal() + " tiles planned); call planTiles first");
                    }
                    extractedAt = instant(rs, "extracted_at");
                    scoredAt = instant(rs, "scored_at");
                }
            }
            boolean alreadyCounted = scored ? scoredAt != null : extractedAt != null;
            if (alreadyCounted || job.state() == JobState.FAILED) {
                // A redelivery, or a straggler of a job that already failed: nothing to count.
                return new TileProgress(job, false, false);
            }
            if (job.state() == JobState.COMPLETED) {
                throw new IllegalStateException("job " + id + " is already COMPLETED, yet its tile '" + tileId
                        + "' was never counted " + (scored ? "scored" : "extracted") + "; it can no longer be counted");
            }
            Instant now = now();
            boolean newlyExtracted = extractedAt == null;
            try (PreparedStatement ps = c.prepareStatement(scored
                    ? "UPDATE job_tiles SET scored_at = ?, extracted_at = COALESCE(extracted_at, ?) WHERE job_id = ? AND tile_id = ?"
                    : "UPDATE job_tiles SET extracted_at = ? WHERE job_id = ? AND tile_id = ?")) {
                int i = 1;
                ps.setObject(i++, timestamp(now));
                if (scored) {
                    ps.setObject(i++, timestamp(now));
                }
                ps.setObject(i++, id);
                ps.setString(i, tileId);
                ps.executeUpdate();
            }
            int extractedIncrement = newlyExtracted ? 1 : 0;
            int scoredIncrement = scored ? 1 : 0;
            update(c, id, now, "tiles_extracted = tiles_extracted + ?, tiles_scored = tiles_scored + ?", ps -> {
                ps.setInt(1, extractedIncrement);
                ps.setInt(2, scoredIncrement);
            });
            Job after = readJob(c, id, false);
            // Under the row lock only one caller can take tiles_scored from total - 1 to total.
            boolean completedJustNow = scored && after.tilesScored() == after.tilesTotal();
            return new TileProgress(after, true, completedJustNow);
        });
    }

    /**
     * Completes the job with its result links (at least one; names and values non-blank). Allowed from the states
     * that may move to COMPLETED; a job already COMPLETED is returned unchanged with its first results, a FAILED
     * or not yet scoring job throws {@link IllegalJobTransitionException}.
     */
    @Override
    public Job complete(UUID id, Map<String, String> results) {
        Objects.requireNonNull(id, "id");
        String json = resultsJson(id, results);
        return run("completing job " + id, c -> {
            Job job = lockJob(c, id);
            if (job.state() == JobState.COMPLETED) {
                return job;
            }
            if (!job.state().canMoveTo(JobState.COMPLETED)) {
                throw new IllegalJobTransitionException(id, job.state(), JobState.COMPLETED);
            }
            update(c, id, now(), "state = ?, results = ?", ps -> {
                ps.setString(1, JobState.COMPLETED.name());
                ps.setString(2, json);
            });
            return readJob(c, id, false);
        });
    }

    /**
     * Non-terminal jobs whose {@code updatedAt} is strictly older than now minus {@code olderThanSeconds}, the
     * longest-untouched first (ties by id), at most {@code limit}.
     */
    @Override
    public List<Job> stuck(long olderThanSeconds, int limit) {
        if (olderThanSeconds < 0) {
            throw new IllegalArgumentException("olderThanSeconds must be >= 0, got " + olderThanSeconds);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        if (limit == 0) {
            return List.of();
        }
        Instant cutoff = now().minusSeconds(olderThanSeconds);
        return run("listing jobs not updated since " + cutoff, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs WHERE state IN "
                    + NON_TERMINAL_STATES + " AND updated_at < ? ORDER BY updated_at ASC, id ASC LIMIT ?")) {
                ps.setObject(1, timestamp(cutoff));
                ps.setInt(2, limit);
                return mapJobs(ps);
            }
        });
    }

    @Override
    public List<TileStatus> tiles(UUID id) {
        Objects.requireNonNull(id, "id");
        return run("reading the tiles of job " + id, c -> {
            if (findJob(c, id).isEmpty()) {
                throw new JobNotFoundException(id);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT tile_id, extracted_at, scored_at FROM job_tiles WHERE job_id = ? ORDER BY tile_id")) {
                ps.setObject(1, id);
                List<TileStatus> tiles = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tiles.add(new TileStatus(rs.getString(1), instant(rs, "extracted_at"), instant(rs, "scored_at")));
                    }
                }
                return List.copyOf(tiles);
            }
        });
    }

    /**
     * Under the job row lock: refuses (empty) if the job is finished or its version is no longer
     * {@code seenVersion}; otherwise counts the attempt, continuing the count only if the job is exactly as the
     * previous attempt left it ({@code reconcile_version}).
     */
    @Override
    public java.util.OptionalInt recordReconcileAttempt(UUID id, long seenVersion) {
        Objects.requireNonNull(id, "id");
        return run("recording a reconcile attempt on job " + id, c -> {
            Job job = lockJob(c, id);
            if (job.state().isTerminal() || job.version() != seenVersion) {
                return java.util.OptionalInt.empty();
            }
            int previous;
            Long lastVersion;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT reconcile_attempts, reconcile_version FROM jobs WHERE id = ?")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    previous = rs.getInt(1);
                    long v = rs.getLong(2);
                    lastVersion = rs.wasNull() ? null : v;
                }
            }
            int attempt = lastVersion != null && lastVersion == seenVersion ? previous + 1 : 1;
            long newVersion = seenVersion + 1; // update() bumps the version by exactly one
            update(c, id, now(), "reconcile_attempts = ?, reconcile_version = ?", ps -> {
                ps.setInt(1, attempt);
                ps.setLong(2, newVersion);
            });
            return java.util.OptionalInt.of(attempt);
        });
    }

    // ---- SQL helpers -------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Runs {@code work} in a transaction, wrapping database failures with {@code action} in the message. */
    private <T> T run(String action, SqlWork<T> work) {
        try {
            return inTransaction(work);
        } catch (SQLException e) {
            throw failure(action, e);
        }
    }

    private static JobStoreException failure(String action, SQLException e) {
        return new JobStoreException(action + " failed: " + e.getMessage() + " (SQLState " + e.getSQLState() + ")", e);
    }

    /**
     * One transaction, committed if {@code work} returns, rolled back if it throws; run again (with a short
     * random pause) when the database reports a retryable race. Runtime exceptions from {@code work} (not found,
     * illegal transition) roll back and propagate as they are.
     */
    private <T> T inTransaction(SqlWork<T> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                boolean autoCommit = c.getAutoCommit();
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (Throwable e) {
                    rollbackQuietly(c, e);
                    throw e;
                } finally {
                    restoreAutoCommit(c, autoCommit);
                }
            } catch (SQLException e) {
                if (attempt >= MAX_ATTEMPTS || !dialect.isRetryable(e)) {
                    throw e;
                }
                pauseBeforeRetry(attempt);
            }
        }
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    private static void restoreAutoCommit(Connection c, boolean autoCommit) {
        try {
            // Pooled connections go back as they came; a broken connection is discarded by the pool anyway.
            c.setAutoCommit(autoCommit);
        } catch (SQLException ignored) {
            // The connection is unusable; closing it (try-with-resources) is all that is left to do.
        }
    }

    private static void pauseBeforeRetry(int attempt) {
        try {
            // Random jitter so that the racers that collided do not collide again in lockstep.
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L * attempt + 6));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobStoreException("interrupted while retrying a job store transaction", e);
        }
    }

    private static boolean isUniqueViolation(SQLException failure) {
        for (SQLException e = failure; e != null; e = e.getNextException()) {
            // 23505 is unique_violation in PostgreSQL and DUPLICATE_KEY_1 in H2.
            if ("23505".equals(e.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Sets {@code assignments} plus the version and update time; {@code binder} fills the assignments' parameters. */
    private static void update(Connection c, UUID id, Instant now, String assignments, Binder binder) throws SQLException {
        int parameters = (int) assignments.chars().filter(ch -> ch == '?').count();
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE jobs SET " + assignments + ", version = version + 1, updated_at = ? WHERE id = ?")) {
            binder.bind(ps);
            ps.setObject(parameters + 1, timestamp(now));
            ps.setObject(parameters + 2, id);
            if (ps.executeUpdate() != 1) {
                // The row is locked by this transaction, so this means the table changed under us.
                throw new SQLException("job " + id + " vanished while it was locked for update");
            }
        }
    }

    private static Job lockJob(Connection c, UUID id) throws SQLException {
        return readJob(c, id, true);
    }

    private static Job readJob(Connection c, UUID id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(forUpdate ? SELECT_JOB + " FOR UPDATE" : SELECT_JOB)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new JobNotFoundException(id);
                }
                return mapJob(rs);
            }
        }
    }

    private static Optional<Job> findJob(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT_JOB)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(mapJob(rs)) : Optional.empty();
            }
        }
    }

    private static Set<String> plannedTiles(Connection c, UUID id) throws SQLException {
        Set<String> planned = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tile_id FROM job_tiles WHERE job_id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    planned.add(rs.getString(1));
                }
            }
        }
        return planned;
    }

    private static List<Job> mapJobs(PreparedStatement ps) throws SQLException {
        List<Job> jobs = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                jobs.add(mapJob(rs));
            }
        }
        return List.copyOf(jobs);
    }

    private static Job mapJob(ResultSet rs) throws SQLException {
        UUID id = rs.getObject("id", UUID.class);
        return new Job(
                id,
                new Aoi(rs.getDouble("lon"), rs.getDouble("lat"), rs.getDouble("radius_m")),
                rs.getInt("season_year"),
                rs.getString("model_ref"),
                JobState.valueOf(rs.getString("state")),
                rs.getInt("tiles_total"),
                rs.getInt("tiles_extracted"),
                rs.getInt("tiles_scored"),
                rs.getString("failure_reason"),
                parseResults(id, rs.getString("results")),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                instant(rs, "enqueued_at"),
                rs.getLong("version"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private Instant now() {
        // Both databases keep microseconds; truncating here makes what we return equal what we read back later.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    // ---- validation and conversion -----------------------------------------------------------------------------

    private static void checkNewJob(NewJob job) {
        Objects.requireNonNull(job, "job");
        if (job.id() == null) {
            throw new IllegalArgumentException("job id is required");
        }
        if (job.request() == null || job.request().aoi() == null || job.request().season() == null) {
            throw new IllegalArgumentException("job " + job.id() + " needs a request with an AOI and a season");
        }
        Aoi aoi = job.request().aoi();
        if (!Double.isFinite(aoi.lon()) || !Double.isFinite(aoi.lat()) || !(aoi.radiusM() > 0)
                || !Double.isFinite(aoi.radiusM())) {
            throw new IllegalArgumentException("job " + job.id() + " has an invalid AOI " + aoi
                    + "; validate requests with JobRequestRules first");
        }
        checkText("job " + job.id() + " modelRef", job.modelRef(), MAX_MODEL_REF_CHARS);
        if (job.dedupKey() != null) {
            checkText("job " + job.id() + " dedupKey", job.dedupKey(), MAX_DEDUP_KEY_CHARS);
        }
    }

    private static void checkText(String what, String value, int maxChars) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        if (value.length() > maxChars) {
            throw new IllegalArgumentException(what + " must be at most " + maxChars + " characters, got " + value.length());
        }
    }

    private static Set<String> checkTileIds(UUID id, List<String> tileIds) {
        if (tileIds == null || tileIds.isEmpty()) {
            throw new IllegalArgumentException("planning job " + id + " needs at least one tile id");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (String tileId : tileIds) {
            checkTileId(id, tileId);
            distinct.add(tileId);
        }
        return distinct;
    }

    private static void checkTileId(UUID id, String tileId) {
        checkText("tile id of job " + id, tileId, MAX_TILE_ID_CHARS);
    }

    /** Trims and shortens a failure reason; keeps whole characters (no split surrogate pairs). */
    static String trimReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a failure reason a person can read is required");
        }
        String trimmed = reason.strip();
        if (trimmed.codePointCount(0, trimmed.length()) <= MAX_FAILURE_REASON_CHARS) {
            return trimmed;
        }
        int end = trimmed.offsetByCodePoints(0, MAX_FAILURE_REASON_CHARS - 1);
        return trimmed.substring(0, end) + "\u2026";
    }

    private static String resultsJson(UUID id, Map<String, String> results) {
        if (results == null || results.isEmpty()) {
            throw new IllegalArgumentException("completing job " + id + " needs at least one result link");
        }
        for (Map.Entry<String, String> link : results.entrySet()) {
            if (link.getKey() == null || link.getKey().isBlank() || link.getValue() == null || link.getValue().isBlank()) {
                throw new IllegalArgumentException("result links of job " + id + " need a name and a value, got '"
                        + link.getKey() + "' -> '" + link.getValue() + "'");
            }
        }
        try {
            // Sorted, so the same links always give the same text.
            return JSON.writeValueAsString(new TreeMap<>(results));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("result links of job " + id + " cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> parseResults(UUID id, String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return Collections.unmodifiableMap(JSON.readValue(json, RESULTS_TYPE));
        } catch (JsonProcessingException e) {
            throw new JobStoreException("the stored results of job " + id + " are not a JSON object of strings: " + json, e);
        }
    }
}
