package io.geocrop.jobs;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Embeddable;
import io.micronaut.data.annotation.EmbeddedId;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code job_tiles}: a planned tile, when it was counted extracted and scored, and its dead-lettered
 * failures (count, last reason, and the time of a failure whose re-emission is pending).
 */
@MappedEntity(value = "job_tiles", escape = false)
record JobTileRow(@EmbeddedId Key key, @Nullable Instant extractedAt, @Nullable Instant scoredAt, int failures,
                  @Nullable String lastFailure, @Nullable Instant failedAt) {

    /** The primary key (job, tile); the explicit column names keep Micronaut Data from prefixing them with "key_". */
    @Embeddable
    record Key(@MappedProperty("job_id") UUID jobId, @MappedProperty("tile_id") String tileId) {}

    static JobTileRow planned(UUID jobId, String tileId) {
        return new JobTileRow(new Key(jobId, tileId), null, null, 0, null, null);
    }

    TileStatus toStatus() {
        return new TileStatus(key.tileId(), extractedAt, scoredAt, failures, lastFailure, failedAt);
    }

    /** Counted scored at {@code now}; a scored tile's feature file exists, so it counts as extracted too. */
    JobTileRow scored(Instant now) {
        return new JobTileRow(key, extractedAt == null ? now : extractedAt, now, failures, lastFailure, null);
    }

    JobTileRow extracted(Instant now) {
        return new JobTileRow(key, now, scoredAt, failures, lastFailure, failedAt);
    }

    /** One more failure, for {@code reason}, awaiting re-emission. */
    JobTileRow failed(String reason, Instant now) {
        return new JobTileRow(key, extractedAt, scoredAt, failures + 1, reason, now);
    }

    /** The pending failure's work was re-emitted. */
    JobTileRow retried() {
        return new JobTileRow(key, extractedAt, scoredAt, failures, lastFailure, null);
    }
}
