package io.geocrop.jobs;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

/**
 * One item of a job's imagery manifest.
 *
 * @param id       the STAC item id
 * @param document the item as the planner found it, for the tiles to read without searching the catalogue again
 *                 (JSON the imagery code writes; opaque to the job store), or null when only the id was recorded
 */
@Introspected
public record ImageryItem(String id, @Nullable String document) {}
