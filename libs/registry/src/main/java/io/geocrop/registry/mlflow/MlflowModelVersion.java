package io.geocrop.registry.mlflow;

import java.util.List;

/**
 * The parts of an MLflow {@code ModelVersion} GeoCrop uses.
 *
 * @param name    registered model name
 * @param version version number as MLflow assigned it
 * @param source  where its files are (the run's {@code .../artifacts/model} folder for GeoCrop's versions)
 * @param runId   the run that produced it, or {@code null}
 * @param status  READY, PENDING_REGISTRATION or FAILED_REGISTRATION
 * @param aliases the aliases pointing at it (empty when the answer carries none)
 */
public record MlflowModelVersion(String name, String version, String source, String runId, String status,
                                 List<String> aliases) {
    public MlflowModelVersion {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }
}
