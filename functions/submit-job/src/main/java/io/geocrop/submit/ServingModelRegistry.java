package io.geocrop.submit;

import io.geocrop.registry.ModelRegistry;
import java.time.Duration;

/**
 * The registry of the model that scores new jobs, as submit-job's public surface reads it in a cluster (score-tile,
 * which owns the model, is cluster-local there): MLflow with a read-only user, or the {@code geocrop-models} bucket.
 * Read by {@code GET /model} ({@link ModelCardController}) and by job de-duplication ({@link RegistryModelVersionKey},
 * each answer reused for {@code geocrop.models.card-ttl}). Exists only where the surface is exactly {@code public} and
 * score-tile is not in the same process (the embedded runtime has score-tile's registry).
 *
 * @param registry the registry
 * @param name     {@code geocrop.models.name}
 * @param alias    {@code geocrop.models.alias}
 * @param ttl      how long an answer read from it is reused ({@code geocrop.models.card-ttl})
 */
record ServingModelRegistry(ModelRegistry registry, String name, String alias, Duration ttl) {
}
