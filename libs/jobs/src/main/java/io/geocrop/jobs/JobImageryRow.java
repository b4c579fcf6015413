package io.geocrop.jobs;

import io.micronaut.data.annotation.Embeddable;
import io.micronaut.data.annotation.EmbeddedId;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.MappedProperty;
import java.util.UUID;

/**
 * One row of {@code job_imagery}: the STAC item at {@code position} of a job's imagery manifest, with its document
 * (null when recorded by id only).
 */
@MappedEntity(value = "job_imagery", escape = false)
record JobImageryRow(@EmbeddedId Key key, String itemId, @Nullable String itemDocument) {

    /** The primary key (job, position in acquisition order). */
    @Embeddable
    record Key(@MappedProperty("job_id") UUID jobId, @MappedProperty("position") int position) {}
}
