/**
 * Crop-type models: XGBoost training with a spatially held-out evaluation ({@link io.geocrop.models.XgbTrainer},
 * {@link io.geocrop.models.SpatialSplit}, {@link io.geocrop.models.Metrics}), the ONNX export written in Java
 * ({@link io.geocrop.models.OnnxExporter}), the model card ({@link io.geocrop.models.ModelCard},
 * {@link io.geocrop.models.ModelCards}) and pixel classification with ONNX Runtime
 * ({@link io.geocrop.models.OnnxPixelClassifier}). See {@code docs/models.md}.
 */
package io.geocrop.models;
