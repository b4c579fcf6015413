package io.geocrop.jobs;

import io.micronaut.data.annotation.Embeddable;
import io.micronaut.data.annotation.EmbeddedId;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import java.util.UUID;

/** One row of {@code job_costs}: what one unit of a job's work (a tile, or the job's planning or assembly) cost. */
@MappedEntity(value = "job_costs", escape = false)
record JobCostRow(@EmbeddedId Key key, long cpuNanos, long catalogueRequests, long catalogueBytes, long bytesWritten) {

    /** The primary key (job, stage label, unit). */
    @Embeddable
    record Key(@MappedProperty("job_id") UUID jobId, @MappedProperty("stage") String stage,
               @MappedProperty("unit") String unit) {}
}
