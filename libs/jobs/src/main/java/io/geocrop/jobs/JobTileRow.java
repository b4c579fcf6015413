package io.geocrop.jobs;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Embeddable;
import io.micronaut.data.annotation.EmbeddedId;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import java.time.Instant;
import java.util.UUID;

/** One row of {@code job_tiles}: a planned tile and when it was counted extracted and scored. */
@MappedEntity(value = "job_tiles", escape = false)
record JobTileRow(@EmbeddedId Key key, @Nullable Instant extractedAt, @Nullable Instant scoredAt) {

    /** The primary key (job, tile); the explicit column names keep Micronaut Data from prefixing them with "key_". */
    @Embeddable
    record Key(@MappedProperty("job_id") UUID jobId, @MappedProperty("tile_id") String tileId) {}

    static JobTileRow planned(UUID jobId, String tileId) {
        return new JobTileRow(new Key(jobId, tileId), null, null);
    }

    TileStatus toStatus() {
        return new TileStatus(key.tileId(), extractedAt, scoredAt);
    }

    /** Counted scored at {@code now}; a scored tile's feature file exists, so it counts as extracted too. */
    JobTileRow scored(Instant now) {
        return new JobTileRow(key, extractedAt == null ? now : extractedAt, now);
    }

    JobTileRow extracted(Instant now) {
        return new JobTileRow(key, now, scoredAt);
    }
}
