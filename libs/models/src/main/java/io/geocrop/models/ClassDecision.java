package io.geocrop.models;

/**
 * What every {@link PixelClassifier} writes for a row: the nodata rule (all features NaN) and, from a row of class
 * probabilities, the code of the most probable class (the first on a tie) and its probability in percent.
 */
final class ClassDecision {

    private ClassDecision() {
    }

    /** True when the {@code featureCount} features of the row at {@code off} are all NaN (nodata). */
    static boolean allNaN(float[] rows, int off, int featureCount) {
        for (int j = 0; j < featureCount; j++) {
            if (!Float.isNaN(rows[off + j])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes row {@code row}'s class code and confidence from {@code classCount} probabilities read by {@code p}
     * from index {@code base}.
     */
    static void decide(Probabilities p, int base, int classCount, byte[] codeOfIndex, int row, byte[] classes,
                       byte[] confidence) {
        int best = 0;
        float max = p.get(base);
        for (int k = 1; k < classCount; k++) {
            float v = p.get(base + k);
            if (v > max) {
                max = v;
                best = k;
            }
        }
        classes[row] = codeOfIndex[best];
        confidence[row] = (byte) Math.max(0, Math.min(100, Math.round(100f * max)));
    }

    /**
     * Checks what every classifier needs of a model before loading it: a card with features and classes, class codes
     * that fit an output byte, ONNX bytes. Returns "model NAME version V" for messages.
     *
     * @throws ModelFormatException naming what is wrong
     */
    static String requireScorable(ModelArtifact model) {
        ModelCard card = model.card();
        String what = "model " + card.name() + " version " + card.version();
        if (card.featureNames().isEmpty() || card.classCodes().isEmpty()) {
            throw new ModelFormatException(what + ": the card lists no features or no classes");
        }
        for (int code : card.classCodes()) {
            if (code < 1 || code > 255) {
                throw new ModelFormatException(what + ": class code " + code + " does not fit an output byte (1..255)");
            }
        }
        if (model.onnx() == null || model.onnx().length == 0) {
            throw new ModelFormatException(what + ": the ONNX model is empty");
        }
        return what;
    }

    /** Class codes as output bytes, index i → the card's i-th code. */
    static byte[] codes(ModelCard card) {
        byte[] codes = new byte[card.classCodes().size()];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (byte) (int) card.classCodes().get(i);
        }
        return codes;
    }

    /** Random access to a run of probabilities (a float array or ONNX Runtime's output buffer). */
    @FunctionalInterface
    interface Probabilities {
        float get(int index);
    }
}
