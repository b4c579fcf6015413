package io.geocrop.registry.mlflow;

/**
 * The parts of an MLflow {@code RunInfo} GeoCrop uses.
 *
 * @param runId         the run id
 * @param experimentId  its experiment
 * @param status        RUNNING, FINISHED, FAILED, ...
 * @param artifactUri   where its artifacts live, e.g. {@code mlflow-artifacts:/1/<run>/artifacts}
 */
public record MlflowRunInfo(String runId, String experimentId, String status, String artifactUri) {}
