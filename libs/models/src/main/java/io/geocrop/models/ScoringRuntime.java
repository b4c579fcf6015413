package io.geocrop.models;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which runtime scores pixels (setting {@code geocrop.scoring.runtime}). The model artifact is the ONNX model
 * either way.
 */
public enum ScoringRuntime {
    /** ONNX Runtime ({@link OnnxPixelClassifier}): the reference, and the runtime for any ONNX model. */
    ONNXRUNTIME("onnxruntime"),
    /**
     * The ONNX tree ensemble compiled to flat arrays ({@link CompiledPixelClassifier}), proven equal to ONNX Runtime
     * and faster; a model the compiler does not take is loaded into ONNX Runtime instead, with a warning.
     */
    COMPILED("compiled");

    /** The runtime used when none is configured. */
    public static final ScoringRuntime DEFAULT = COMPILED;

    private static final Logger LOG = LoggerFactory.getLogger(ScoringRuntime.class);

    private final String setting;

    ScoringRuntime(String setting) {
        this.setting = setting;
    }

    /** The value of {@code geocrop.scoring.runtime} naming this runtime. */
    public String setting() {
        return setting;
    }

    /**
     * The runtime a setting names, case-insensitively.
     *
     * @throws IllegalArgumentException naming the setting and the accepted values
     */
    public static ScoringRuntime parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (ScoringRuntime r : values()) {
            if (r.setting.equals(v)) {
                return r;
            }
        }
        throw new IllegalArgumentException("geocrop.scoring.runtime must be one of "
                + Arrays.stream(values()).map(ScoringRuntime::setting).toList() + ", not '" + value + "'");
    }

    /**
     * Loads a model for scoring with this runtime.
     *
     * @param threads threads one classification call may use
     * @throws ModelFormatException if the model cannot be used by any runtime
     */
    public PixelClassifier load(ModelArtifact model, int threads) {
        if (this == ONNXRUNTIME) {
            return OnnxPixelClassifier.load(model, threads);
        }
        try {
            return CompiledPixelClassifier.load(model, threads);
        } catch (CompiledTrees.UnsupportedModelException e) {
            LOG.warn("Model {} version {} is scored by ONNX Runtime: {}", model.card().name(), model.card().version(),
                    e.getMessage());
            return OnnxPixelClassifier.load(model, threads);
        }
    }
}
