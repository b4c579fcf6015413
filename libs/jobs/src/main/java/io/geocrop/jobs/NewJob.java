package io.geocrop.jobs;

import io.geocrop.domain.JobRequest;
import java.util.UUID;

/**
 * A job to record.
 *
 * @param id       chosen by the caller, so an event can be built before the row exists
 * @param request  the validated AOI and season
 * @param modelRef the model that will score it (e.g. {@code geocrop-crop@champion}); part of the dedup key
 * @param dedupKey identical requests (same AOI, season and model) share this key
 */
public record NewJob(UUID id, JobRequest request, String modelRef, String dedupKey) {}
