package io.geocrop.models;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Set;

/**
 * A {@link PixelClassifier} running a model's ONNX tree ensemble with ONNX Runtime (CPU). One instance holds one
 * ONNX Runtime session; {@link #classify} is thread-safe and scores rows in batches (default {@value #BATCH_ROWS}).
 * Needs {@code --enable-native-access=ALL-UNNAMED} on JDK 25 (ONNX Runtime loads its native library).
 */
public final class OnnxPixelClassifier implements PixelClassifier {

    /** Rows per ONNX Runtime call: big enough to amortise the call, small enough to keep buffers in cache. */
    public static final int BATCH_ROWS = 16_384;

    private final ModelCard card;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final int featureCount;
    private final byte[] codeOfIndex;
    private final int classCount;
    private final int batchRows;
    // One scratch buffer per calling thread: the session is thread-safe, the input buffer is not shared.
    private final ThreadLocal<FloatBuffer> scratch;

    private OnnxPixelClassifier(ModelCard card, OrtEnvironment env, OrtSession session, int batchRows) {
        this.card = card;
        this.env = env;
        this.session = session;
        this.featureCount = card.featureNames().size();
        this.classCount = card.classCodes().size();
        this.codeOfIndex = ClassDecision.codes(card);
        this.batchRows = batchRows;
        this.scratch = ThreadLocal.withInitial(() -> ByteBuffer
                .allocateDirect(batchRows * featureCount * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer());
    }

    /**
     * ONNX Runtime settings of one classifier, each measured in {@code bench/scoring.sh}.
     *
     * @param intraOpThreads threads ONNX Runtime may use inside one call (1 = the calling thread only)
     * @param batchRows      rows per ONNX Runtime call
     * @param spinning       whether idle intra-op threads spin (ONNX Runtime's default) or sleep
     */
    public record Options(int intraOpThreads, int batchRows, boolean spinning) {
        public Options {
            if (intraOpThreads < 1) {
                throw new IllegalArgumentException("intraOpThreads must be at least 1, got " + intraOpThreads);
            }
            if (batchRows < 1) {
                throw new IllegalArgumentException("batchRows must be at least 1, got " + batchRows);
            }
        }

        /** The production settings with {@code intraOpThreads} threads. */
        public static Options of(int intraOpThreads) {
            // Spinning is kept: turning it off made 2 intra-op threads slower than one in bench/scoring.sh (each
            // batch's parallel-for then waits for threads to wake).
            return new Options(intraOpThreads, BATCH_ROWS, true);
        }
    }

    /**
     * Loads a model into an ONNX Runtime session with the production settings ({@link Options#of}).
     *
     * @param model          the model (ONNX bytes and card)
     * @param intraOpThreads threads ONNX Runtime may use inside one call (1 = the calling thread only)
     * @throws ModelFormatException if the bytes are not a loadable ONNX model, or its input or output widths
     *                              differ from the card's feature and class counts
     */
    public static OnnxPixelClassifier load(ModelArtifact model, int intraOpThreads) {
        return load(model, Options.of(intraOpThreads));
    }

    /** {@link #load(ModelArtifact, int)} with explicit ONNX Runtime settings. */
    public static OnnxPixelClassifier load(ModelArtifact model, Options settings) {
        ModelCard card = model.card();
        String what = ClassDecision.requireScorable(model);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(settings.intraOpThreads());
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (!settings.spinning()) {
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
            }
            session = env.createSession(model.onnx(), options);
        } catch (OrtException e) {
            throw new ModelFormatException(what + ": ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
        try {
            check(session, card, what);
        } catch (RuntimeException | OrtException e) {
            closeQuietly(session);
            if (e instanceof ModelFormatException mfe) {
                throw mfe;
            }
            throw new ModelFormatException(what + ": cannot inspect the ONNX model: " + e.getMessage(), e);
        }
        return new OnnxPixelClassifier(card, env, session, settings.batchRows());
    }

    private static void check(OrtSession session, ModelCard card, String what) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        NodeInfo input = inputs.get(OnnxExporter.INPUT);
        if (inputs.size() != 1 || input == null) {
            throw new ModelFormatException(what + ": the ONNX model must have exactly one input named '"
                    + OnnxExporter.INPUT + "', it has " + inputs.keySet());
        }
        if (!(input.getInfo() instanceof TensorInfo in) || in.type != OnnxJavaType.FLOAT || in.getShape().length != 2) {
            throw new ModelFormatException(what + ": input '" + OnnxExporter.INPUT
                    + "' must be a float tensor [N, features], it is " + input.getInfo());
        }
        long width = in.getShape()[1];
        if (width != card.featureNames().size()) {
            throw new ModelFormatException(what + ": the ONNX input is " + width + " features wide but the card lists "
                    + card.featureNames().size() + " features");
        }
        NodeInfo output = session.getOutputInfo().get(OnnxExporter.PROBABILITIES);
        if (output == null || !(output.getInfo() instanceof TensorInfo out) || out.type != OnnxJavaType.FLOAT
                || out.getShape().length != 2) {
            throw new ModelFormatException(what + ": the ONNX model lacks a float tensor output '"
                    + OnnxExporter.PROBABILITIES + "' [N, classes]");
        }
        long classes = out.getShape()[1];
        if (classes >= 0 && classes != card.classCodes().size()) {
            throw new ModelFormatException(what + ": the ONNX model outputs " + classes
                    + " class probabilities but the card lists " + card.classCodes().size() + " classes");
        }
    }

    @Override
    public ModelCard card() {
        return card;
    }

    @Override
    public void classify(float[] rows, int n, byte[] classes, byte[] confidence) {
        if (n < 0 || (long) n * featureCount > rows.length || n > classes.length || n > confidence.length) {
            throw new IllegalArgumentException("cannot classify " + n + " rows of " + featureCount + " features from "
                    + rows.length + " floats into " + classes.length + " classes and " + confidence.length
                    + " confidences");
        }
        FloatBuffer buffer = scratch.get();
        int[] scored = new int[Math.min(n, batchRows)];
        for (int start = 0; start < n; start += batchRows) {
            int end = Math.min(n, start + batchRows);
            buffer.clear();
            int m = 0;
            for (int r = start; r < end; r++) {
                int off = r * featureCount;
                if (ClassDecision.allNaN(rows, off, featureCount)) {
                    classes[r] = 0;
                    confidence[r] = 0;
                } else {
                    buffer.put(rows, off, featureCount);
                    scored[m++] = r;
                }
            }
            if (m > 0) {
                buffer.flip();
                score(buffer, m, scored, classes, confidence);
            }
        }
    }

    private void score(FloatBuffer input, int m, int[] rowIndex, byte[] classes, byte[] confidence) {
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, new long[] {m, featureCount});
             OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, tensor),
                     Set.of(OnnxExporter.PROBABILITIES))) {
            OnnxValue value = result.get(OnnxExporter.PROBABILITIES)
                    .orElseThrow(() -> new IllegalStateException("ONNX Runtime returned no probabilities"));
            FloatBuffer p = ((OnnxTensor) value).getFloatBuffer();
            for (int i = 0; i < m; i++) {
                ClassDecision.decide(p::get, i * classCount, classCount, codeOfIndex, rowIndex[i], classes, confidence);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("model " + card.name() + " version " + card.version()
                    + ": ONNX Runtime failed to score " + m + " rows: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // Closing frees native memory; a failure leaves nothing to do.
        }
    }
}
