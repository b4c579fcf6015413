package io.geocrop.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Data of {@code io.geocrop.tile.requested.v1}: one job tile whose features extract-features must compute. The
 * job's planner emits one per tile (fan-out), so Knative can scale extract-features out per tile. The event
 * carries the season's imagery manifest, so every tile of a job reads the same acquisitions and a redelivered
 * event recomputes the same features. JSON fields are snake_case; readers ignore unknown fields.
 *
 * @param jobId       the job's id (also the event subject)
 * @param tileId      the job tile, as {@code io.geocrop.domain.JobTile#id()} writes it (EPSG, column, row)
 * @param year        season year: {@code year}-09-01 to ({@code year}+1)-05-31
 * @param itemIds     the STAC items of the season that cover the job, in acquisition order
 * @param requestedAt when the planner emitted the tile
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TileRequestedV1(UUID jobId, String tileId, int year, List<String> itemIds, Instant requestedAt) {

    /** Rejects missing fields here, so a malformed event is caught where it is built or read. */
    public TileRequestedV1 {
        Objects.requireNonNull(jobId, "job_id");
        Objects.requireNonNull(tileId, "tile_id");
        Objects.requireNonNull(itemIds, "item_ids");
        Objects.requireNonNull(requestedAt, "requested_at");
        if (tileId.isBlank()) {
            throw new IllegalArgumentException("tile_id must not be blank");
        }
        itemIds = List.copyOf(itemIds);
    }

    /**
     * The event id of a tile's request: the same for the planner's event and every re-emission (reconciler), so a
     * duplicate of an event still in flight is recognisable as such.
     */
    public static String eventId(UUID jobId, String tileId) {
        return "tile-requested-" + jobId + "-" + tileId;
    }
}
