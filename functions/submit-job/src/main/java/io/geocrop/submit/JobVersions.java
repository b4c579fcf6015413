package io.geocrop.submit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The versions of many jobs in one query ({@code version} grows by one on every change of a job), so the progress
 * streams of any number of jobs cost the database one statement per poll. Plain SQL that H2 and PostgreSQL both run;
 * kept in submit-job because only the progress streams need it.
 */
final class JobVersions {
    /** Ids per statement: well under every driver's bind-parameter limit. */
    static final int CHUNK = 500;

    private final DataSource dataSource;

    JobVersions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * A mark of the extraction queue as a whole: the number of jobs waiting for or in extraction and the sum of their
     * versions. Any change that moves a waiting job's {@link io.geocrop.jobs.QueueStanding} (a job ahead extracts a
     * tile, leaves extraction, or a job joins) changes a version in that set or the set itself, so an equal mark means
     * the standings are as last read. One aggregate statement.
     */
    QueueMark queueMark() {
        String sql = "SELECT COUNT(*), COALESCE(SUM(version), 0) FROM jobs WHERE state IN ('QUEUED', 'EXTRACTING')";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new QueueMark(rs.getLong(1), rs.getLong(2));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the extraction queue's mark: " + e.getMessage(), e);
        }
    }

    /** See {@link #queueMark()}. */
    record QueueMark(long jobs, long versionSum) {}

    /** The version of each id that names a job; ids of no job are absent. One statement per {@value #CHUNK} ids. */
    Map<UUID, Long> of(Collection<UUID> ids) {
        Map<UUID, Long> versions = new HashMap<>();
        List<UUID> all = List.copyOf(ids);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<UUID> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            String sql = "SELECT id, version FROM jobs WHERE id IN (" + "?,".repeat(chunk.size() - 1) + "?)";
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setObject(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        versions.put(rs.getObject(1, UUID.class), rs.getLong(2));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the versions of " + chunk.size() + " jobs: " + e.getMessage(), e);
            }
        }
        return versions;
    }
}
