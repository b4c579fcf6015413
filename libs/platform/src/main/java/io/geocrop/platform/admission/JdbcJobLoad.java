package io.geocrop.platform.admission;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * {@link JobLoad} read from the {@code jobs} table with plain SQL both H2 and PostgreSQL run (one aggregate over the
 * unfinished jobs, served by the {@code (state, updated_at)} index). Kept apart from the job store's interface: it
 * only reads, and nothing else needs it.
 */
public final class JdbcJobLoad implements JobLoad {
    private static final String LOAD = "SELECT COALESCE(SUM(CASE WHEN state = 'QUEUED' THEN 1 ELSE 0 END), 0),"
            + " COALESCE(SUM(tiles_total - tiles_scored), 0)"
            + " FROM jobs WHERE state IN ('QUEUED', 'EXTRACTING', 'SCORING', 'ASSEMBLING')";
    private static final String BY_KEY = "SELECT id FROM jobs WHERE dedup_key = ?";

    private final DataSource dataSource;

    public JdbcJobLoad(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Load read() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(LOAD);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Load(rs.getLong(1), rs.getLong(2));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the job store's queued jobs and outstanding tiles: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<UUID> jobWithKey(String dedupKey) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(BY_KEY)) {
            ps.setString(1, dedupKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot look up a job by its dedup key: " + e.getMessage(), e);
        }
    }
}
