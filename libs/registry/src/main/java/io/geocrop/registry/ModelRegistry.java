package io.geocrop.registry;

import io.geocrop.models.ModelArtifact;
import io.geocrop.models.ModelCard;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where trained models live and how the serving model is chosen: by an alias (default {@code champion}) on a
 * registered model name. Implementations: the {@code geocrop-models} bucket ({@link ObjectStoreModelRegistry},
 * embedded default, no MLflow) and MLflow's tracking server and model registry
 * ({@link io.geocrop.registry.mlflow.MlflowModelRegistry}); both pass {@code ModelRegistryContract}.
 *
 * <p>Names and aliases are checked by {@link RegistryNames} before anything is read or written: a bad one is an
 * {@link IllegalArgumentException} naming the field. Backend failures are {@link RegistryException}s.
 */
public interface ModelRegistry {

    /** The alias the serving functions resolve unless configured otherwise. */
    String DEFAULT_ALIAS = "champion";

    /**
     * Publishes a trained model as the next version of {@code model.card().name()}: stores the ONNX file and the
     * card (and, with MLflow, logs a run with the card's params and metrics), registers the version, and points
     * {@code alias} at it.
     *
     * @return the model as stored, its card carrying the version the registry assigned
     * @throws IllegalArgumentException when the name or alias is not allowed, or the ONNX bytes are empty
     */
    ModelArtifact publish(ModelArtifact model, String alias);

    /**
     * The checks every registry makes before it publishes: a card with a valid model name and the fields a
     * published card needs, a valid alias, and ONNX bytes. Returns the model's name.
     *
     * @throws IllegalArgumentException naming what is missing or invalid
     */
    static String requirePublishable(ModelArtifact model, String alias) {
        java.util.Objects.requireNonNull(model, "model");
        java.util.Objects.requireNonNull(model.card(), "model.card");
        String name = RegistryNames.requireModelName(model.card().name());
        RegistryNames.requireAlias(alias);
        ModelCardJson.requirePublishable(model.card());
        if (model.onnx() == null || model.onnx().length == 0) {
            throw new IllegalArgumentException("model " + name + " has no ONNX bytes to publish");
        }
        return name;
    }

    /** The model version {@code alias} points at for {@code name}, or empty if the alias (or the name) is not set. */
    Optional<ModelArtifact> resolve(String name, String alias);

    /** Only the card of the version {@code alias} points at (no ONNX download), or empty. */
    default Optional<ModelCard> card(String name, String alias) {
        return resolve(name, alias).map(ModelArtifact::card);
    }

    /**
     * Points {@code alias} at an existing version (promotion or rollback), whatever it pointed at before.
     *
     * @return the card of that version
     * @throws UnknownModelVersionException when {@code name} has no such version
     */
    ModelCard promote(String name, String version, String alias);

    /** The complete versions of {@code name}, lowest first; empty for an unknown name. */
    List<String> versions(String name);

    /** One version of {@code name} (ONNX bytes and card), or empty when there is no such version. */
    Optional<ModelArtifact> version(String name, String version);

    /** The aliases of {@code name} and the versions they point at, sorted by alias; empty for an unknown name. */
    Map<String, String> aliases(String name);

    /**
     * Records a promotion or rollback of {@code name}, after the alias moved. Append-only: entries are never
     * rewritten.
     */
    void recordAudit(String name, ModelAuditEntry entry);

    /** The recorded promotions and rollbacks of {@code name}, oldest first. */
    List<ModelAuditEntry> audit(String name);
}
