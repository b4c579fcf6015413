package io.geocrop.models;

/**
 * A model ready to serve: its ONNX bytes ({@code ai.onnx.ml} tree ensemble, input {@code features} float[N, F],
 * outputs label and probabilities) and its card. This is what registries store and return.
 */
public record ModelArtifact(ModelCard card, byte[] onnx) {
    /** File name of the ONNX model inside a model version's folder. */
    public static final String ONNX_FILE = "model.onnx";
    /** File name of the model card inside a model version's folder. */
    public static final String CARD_FILE = "model-card.json";
}
