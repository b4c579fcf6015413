package io.geocrop.registry.mlflow;

/**
 * One metric value for {@code runs/log-batch}.
 *
 * @param key       metric name
 * @param value     its value
 * @param timestamp epoch milliseconds
 * @param step      training step (0 for a final metric)
 */
public record MlflowMetric(String key, double value, long timestamp, long step) {}
