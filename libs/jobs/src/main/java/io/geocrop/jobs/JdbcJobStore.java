package io.geocrop.jobs;

import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobState;
import io.micronaut.context.annotation.Bean;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * {@link JobStore} on Micronaut Data JDBC, for H2 and PostgreSQL alike. The tables are reached through generated
 * repositories and one transactional part per concern ({@link JobRecords}, {@link TileLedger},
 * {@link ImageryManifest}, {@link ReconcileAttempts}); this class checks arguments, reads the clock, runs again a
 * transaction that lost a race, and names the operation when the database fails.
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
 *
 * <p>In an application, inject this bean (it needs a {@link DataSource} and a {@link Clock} bean; it is typed as
 * {@code JdbcJobStore} only, so that the application's own {@code JobStore} bean, e.g. a metered wrapper, stays the
 * one {@code JobStore}). Outside one, {@link JobStores#forDataSource} builds it.
 */
@Singleton
@Bean(typed = JdbcJobStore.class)
public final class JdbcJobStore implements JobStore {
    /** Failure reasons are cut to this many characters; longer ones are almost always stack traces. */
    public static final int MAX_FAILURE_REASON_CHARS = 1000;
    /** Longest accepted model reference, dedup key and tile id (the column widths). */
    static final int MAX_MODEL_REF_CHARS = 200;
    static final int MAX_DEDUP_KEY_CHARS = 200;
    static final int MAX_TILE_ID_CHARS = 100;
    static final int MAX_ITEM_ID_CHARS = 200;
    /** A DEA item's document is about 10 KiB; the cap keeps a hostile catalogue from filling the table. */
    static final int MAX_ITEM_DOCUMENT_CHARS = 256 * 1024;
    /** Reason recorded when a job is moved to FAILED through {@link #transition} instead of {@link #fail}. */
    static final String DEFAULT_FAILURE_REASON = "moved to FAILED without a recorded reason";

    private static final int MAX_ATTEMPTS = 5;

    private final JobTables tables;
    private final Clock clock;

    /**
     * The store over the application's tables.
     *
     * @param clock stamps {@code created_at}/{@code updated_at} and is "now" for {@link #stuck}; times are kept to the
     *              microsecond, which both databases store exactly
     */
    @Inject
    JdbcJobStore(JobTables tables, Clock clock) {
        this.tables = Objects.requireNonNull(tables, "tables");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A store over {@code dataSource} outside an application, stamping times with the UTC system clock: as
     * {@link JobStores#forDataSource(DataSource)} (migrates the schema).
     */
    public JdbcJobStore(DataSource dataSource) {
        this(JobStores.forDataSource(dataSource).tables, Clock.systemUTC());
    }

    /** The same tables, with another clock (tests that control time, tools that replay). */
    public JdbcJobStore withClock(Clock otherClock) {
        return new JdbcJobStore(tables, otherClock);
    }

    /** The database this store talks to. */
    public SqlDialect dialect() {
        return tables.dialect;
    }

    @Override
    public Submission submit(NewJob job) {
        checkNewJob(job);
        // Loop only for the rare race where the job holding our dedup key fails (releasing the key) between our
        // rejected insert and the look-up of that job.
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                Instant now = now();
                return new Submission(retryingRaces(() -> tables.jobs.insert(job, now)), true);
            } catch (RuntimeException e) {
                SQLException sql = sqlCause(e);
                if (sql == null) {
                    throw e;
                }
                if (!isUniqueViolation(sql)) {
                    throw failure("recording job " + job.id(), sql, e);
                }
            }
            Optional<Submission> existing = run("looking up the job that already holds job " + job.id() + "'s keys",
                    () -> existingFor(job));
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        throw new JobStoreException("recording job " + job.id() + " kept colliding with dedup key '" + job.dedupKey()
                + "' held by jobs that failed before they could be read; giving up after " + MAX_ATTEMPTS + " attempts", null);
    }

    /** After a unique violation: the job holding the dedup key, or the job already recorded under this id. */
    private Optional<Submission> existingFor(NewJob job) {
        if (job.dedupKey() != null) {
            Optional<Job> holder = tables.jobs.findByDedupKey(job.dedupKey());
            if (holder.isPresent()) {
                return Optional.of(new Submission(holder.get(), false));
            }
        }
        Optional<Job> sameId = tables.jobs.find(job.id());
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

    @Override
    public Optional<Job> find(UUID id) {
        Objects.requireNonNull(id, "id");
        return run("reading job " + id, () -> tables.jobs.find(id));
    }

    @Override
    public Optional<Job> status(UUID id) {
        Optional<Job> job = find(id);
        if (job.isEmpty() || job.get().state().isTerminal()) {
            return job;
        }
        Instant now = now();
        QueueStanding standing = run("reading the queue standing of job " + id,
                () -> tables.queue.standing(job.get(), now));
        return standing == null ? job : Optional.of(job.get().withQueue(standing));
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
        return run("listing recent jobs", () -> tables.jobs.recent(limit));
    }

    /**
     * Sets {@code enqueuedAt} the first time; later calls, and calls on a finished job, return the job unchanged
     * (a re-emitted job keeps its first hand-over time).
     */
    @Override
    public Job markEnqueued(UUID id) {
        Objects.requireNonNull(id, "id");
        Instant now = now();
        return run("marking job " + id + " enqueued", () -> tables.jobs.markEnqueued(id, now));
    }

    /**
     * Moves the job along the state machine ({@link JobState#canMoveTo}). The same state is a no-op that changes
     * nothing. Moving to FAILED this way releases the dedup key like {@link #fail} and records a generic reason.
     */
    @Override
    public Job transition(UUID id, JobState target) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        Instant now = now();
        return run("moving job " + id + " to " + target, () -> tables.jobs.transition(id, target, DEFAULT_FAILURE_REASON, now));
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
        Instant now = now();
        return run("failing job " + id, () -> tables.jobs.fail(id, trimmed, now));
    }

    /**
     * Records the tiles not recorded yet and sets {@code tilesTotal} to the number of distinct tiles recorded.
     * Tiles are only ever added. Repeating the same ids changes nothing; on a finished job nothing is recorded.
     */
    @Override
    public Job planTiles(UUID id, List<String> tileIds) {
        Objects.requireNonNull(id, "id");
        Set<String> wanted = checkTileIds(id, tileIds);
        Instant now = now();
        return run("planning " + wanted.size() + " tiles of job " + id, () -> tables.tiles.plan(id, wanted, now));
    }

    @Override
    public List<ImageryItem> recordImageryItems(UUID id, List<ImageryItem> items) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(items, "items");
        Set<String> distinct = new HashSet<>();
        for (ImageryItem item : items) {
            Objects.requireNonNull(item, "imagery item of job " + id);
            checkText("imagery item id of job " + id, item.id(), MAX_ITEM_ID_CHARS);
            if (!distinct.add(item.id())) {
                throw new IllegalArgumentException("imagery item '" + item.id() + "' is listed twice for job " + id);
            }
            if (item.document() != null) {
                checkText("document of imagery item " + item.id() + " of job " + id, item.document(),
                        MAX_ITEM_DOCUMENT_CHARS);
            }
        }
        List<ImageryItem> copy = List.copyOf(items);
        return run("recording " + copy.size() + " imagery items of job " + id, () -> tables.imagery.record(id, copy));
    }

    @Override
    public List<ImageryItem> imageryItems(UUID id) {
        Objects.requireNonNull(id, "id");
        return run("reading the imagery of job " + id, () -> tables.imagery.read(id));
    }

    @Override
    public Job recordProgress(UUID id) {
        Objects.requireNonNull(id, "id");
        Instant now = now();
        return run("recording progress of job " + id, () -> tables.jobs.progressed(id, now));
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
        Instant now = now();
        return run("counting tile '" + tileId + "' " + (scored ? "scored" : "extracted") + " for job " + id,
                () -> tables.tiles.count(id, tileId, scored, now));
    }

    /**
     * Completes the job with its result links (at least one; names and values non-blank). Allowed from the states
     * that may move to COMPLETED; a job already COMPLETED is returned unchanged with its first results, a FAILED
     * or not yet scoring job throws {@link IllegalJobTransitionException}.
     */
    @Override
    public Job complete(UUID id, Map<String, String> results) {
        Objects.requireNonNull(id, "id");
        checkResultLinks(id, results);
        Map<String, String> links = Map.copyOf(results);
        Instant now = now();
        return run("completing job " + id, () -> tables.jobs.complete(id, links, now));
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
        return run("listing jobs not updated since " + cutoff, () -> tables.jobs.notUpdatedSince(cutoff, limit));
    }

    @Override
    public List<TileStatus> tiles(UUID id) {
        Objects.requireNonNull(id, "id");
        return run("reading the tiles of job " + id, () -> tables.tiles.statuses(id));
    }

    @Override
    public OptionalInt recordReconcileAttempt(UUID id, long seenVersion) {
        Objects.requireNonNull(id, "id");
        Instant now = now();
        return run("recording a reconcile attempt on job " + id, () -> tables.reconcileAttempts.record(id, seenVersion, now));
    }

    @Override
    public TileFailure markTileFailed(UUID id, String tileId, String reason) {
        Objects.requireNonNull(id, "id");
        checkTileId(id, tileId);
        String trimmed = trimReason(reason);
        Instant now = now();
        return run("recording a failure of tile '" + tileId + "' of job " + id,
                () -> tables.tiles.fail(id, tileId, trimmed, now));
    }

    @Override
    public List<TileRetry> tilesAwaitingRetry(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        if (limit == 0) {
            return List.of();
        }
        return run("listing failed tiles awaiting re-emission", () -> tables.tiles.awaitingRetry(limit));
    }

    @Override
    public boolean markTileRetried(UUID id, String tileId, int failuresSeen) {
        Objects.requireNonNull(id, "id");
        checkTileId(id, tileId);
        return run("noting the re-emission of tile '" + tileId + "' of job " + id,
                () -> tables.tiles.retried(id, tileId, failuresSeen));
    }

    @Override
    public boolean recordCost(UUID id, String unit, io.geocrop.domain.cost.CostStage stage,
                              io.geocrop.domain.cost.WorkCost cost) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(cost, "cost");
        checkText("cost unit of job " + id, unit, MAX_TILE_ID_CHARS);
        try {
            return retryingRaces(() -> tables.costs.record(id, unit, stage, cost));
        } catch (RuntimeException e) {
            SQLException sql = sqlCause(e);
            if (sql == null) {
                throw e;
            }
            if (isUniqueViolation(sql)) {
                return false; // another process recorded the same unit between our check and our insert
            }
            throw failure("recording the " + stage.label() + " cost of '" + unit + "' of job " + id, sql, e);
        }
    }

    @Override
    public JobCost cost(UUID id) {
        Objects.requireNonNull(id, "id");
        return run("reading the cost of job " + id, () -> tables.costs.read(id));
    }

    // ---- transactions ------------------------------------------------------------------------------------------

    /**
     * Runs {@code transaction} ({@link #retryingRaces}), wrapping a database failure in a {@link JobStoreException}
     * that names {@code action}. The store's own exceptions (not found, illegal transition, bad argument) pass as
     * they are.
     */
    private <T> T run(String action, Supplier<T> transaction) {
        try {
            return retryingRaces(transaction);
        } catch (RuntimeException e) {
            SQLException sql = sqlCause(e);
            if (sql == null) {
                throw e;
            }
            throw failure(action, sql, e);
        }
    }

    /**
     * Runs {@code transaction}, a call into a {@code @Transactional} part (which commits, or rolls back on any
     * exception); runs it again, after a short random pause, when the database reports that it lost a race.
     */
    private <T> T retryingRaces(Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (RuntimeException e) {
                SQLException sql = sqlCause(e);
                if (sql == null || attempt >= MAX_ATTEMPTS || !tables.dialect.isRetryable(sql)) {
                    throw e;
                }
                pauseBeforeRetry(attempt);
            }
        }
    }

    /** The driver's exception behind a Micronaut Data or transaction failure, or null if it is none of those. */
    private static SQLException sqlCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static JobStoreException failure(String action, SQLException sql, RuntimeException e) {
        return new JobStoreException(action + " failed: " + sql.getMessage() + " (SQLState " + sql.getSQLState() + ")", e);
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

    private Instant now() {
        // Both databases keep microseconds; truncating here makes what we return equal what we read back later.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    // ---- validation --------------------------------------------------------------------------------------------

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

    private static void checkResultLinks(UUID id, Map<String, String> results) {
        if (results == null || results.isEmpty()) {
            throw new IllegalArgumentException("completing job " + id + " needs at least one result link");
        }
        for (Map.Entry<String, String> link : results.entrySet()) {
            if (link.getKey() == null || link.getKey().isBlank() || link.getValue() == null || link.getValue().isBlank()) {
                throw new IllegalArgumentException("result links of job " + id + " need a name and a value, got '"
                        + link.getKey() + "' -> '" + link.getValue() + "'");
            }
        }
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
}
