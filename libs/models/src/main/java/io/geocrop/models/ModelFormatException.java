package io.geocrop.models;

/**
 * A model or model card that cannot be used: unreadable ONNX bytes, a malformed card, an XGBoost model that cannot
 * be exported, or an ONNX model whose inputs or outputs disagree with its card. The message says which and why.
 */
public class ModelFormatException extends RuntimeException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
