package io.geocrop.models;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link PixelClassifier} evaluating the model's ONNX tree ensemble compiled to flat arrays ({@link CompiledTrees})
 * in plain Java: no native library, and faster than ONNX Runtime on GeoCrop's models ({@code docs/performance.md}).
 * Its probabilities are ONNX Runtime's ({@code CompiledParityTest} compares them on a million rows with missing
 * values); ONNX Runtime stays the reference, and the runtime for models this compiler does not take
 * ({@link ScoringRuntime}).
 * <p>
 * {@link #classify} is thread-safe; with {@code threads > 1} a call splits its rows between the calling thread and
 * {@code threads - 1} threads of the classifier's own.
 */
public final class CompiledPixelClassifier implements PixelClassifier {

    /** Rows per evaluation pass of one thread: the probabilities of a pass are a small scratch array. */
    static final int CHUNK_ROWS = 4_096;
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ModelCard card;
    private final CompiledTrees trees;
    private final byte[] codeOfIndex;
    private final int threads;
    private final ExecutorService helpers;

    private CompiledPixelClassifier(ModelCard card, CompiledTrees trees, int threads) {
        this.card = card;
        this.trees = trees;
        this.codeOfIndex = ClassDecision.codes(card);
        this.threads = threads;
        if (threads > 1) {
            int pool = POOLS.incrementAndGet();
            AtomicInteger n = new AtomicInteger();
            this.helpers = Executors.newFixedThreadPool(threads - 1, r -> {
                Thread t = new Thread(r, "geocrop-scoring-" + pool + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        } else {
            this.helpers = null;
        }
    }

    /**
     * Compiles a model's ONNX tree ensemble.
     *
     * @param model   the model (ONNX bytes and card)
     * @param threads threads one {@link #classify} call may use (1 = the calling thread only)
     * @throws CompiledTrees.UnsupportedModelException if the graph is not one the compiler reproduces exactly
     * @throws ModelFormatException                    if the model is unusable, or its trees or class count
     *                                                 disagree with the card
     */
    public static CompiledPixelClassifier load(ModelArtifact model, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        String what = ClassDecision.requireScorable(model);
        ModelCard card = model.card();
        CompiledTrees trees;
        try {
            trees = CompiledTrees.compile(model.onnx(), card.featureNames().size());
        } catch (CompiledTrees.UnsupportedModelException e) {
            throw e;
        } catch (ModelFormatException e) {
            throw new ModelFormatException(what + ": " + e.getMessage(), e);
        }
        if (trees.classCount() != card.classCodes().size()) {
            throw new ModelFormatException(what + ": the ONNX model has " + trees.classCount()
                    + " classes but the card lists " + card.classCodes().size());
        }
        return new CompiledPixelClassifier(card, trees, threads);
    }

    @Override
    public ModelCard card() {
        return card;
    }

    @Override
    public void classify(float[] rows, int n, byte[] classes, byte[] confidence) {
        int f = trees.featureCount();
        if (n < 0 || (long) n * f > rows.length || n > classes.length || n > confidence.length) {
            throw new IllegalArgumentException("cannot classify " + n + " rows of " + f + " features from "
                    + rows.length + " floats into " + classes.length + " classes and " + confidence.length
                    + " confidences");
        }
        int parts = helpers == null ? 1 : (int) Math.min(threads, Math.max(1, n / CompiledTrees.BLOCK_ROWS));
        if (parts == 1) {
            classifyRange(rows, 0, n, classes, confidence);
            return;
        }
        List<Future<?>> others = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            int from = (int) ((long) n * p / parts);
            int to = (int) ((long) n * (p + 1) / parts);
            others.add(helpers.submit(() -> classifyRange(rows, from, to, classes, confidence)));
        }
        classifyRange(rows, 0, (int) ((long) n / parts), classes, confidence);
        for (Future<?> other : others) {
            try {
                other.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while classifying", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("model " + card.name() + " version " + card.version()
                        + ": classifying failed: " + e.getCause(), e.getCause());
            }
        }
    }

    /** Rows {@code from..to}: nodata rows set aside, the others evaluated in chunks of contiguous rows. */
    private void classifyRange(float[] rows, int from, int to, byte[] classes, byte[] confidence) {
        int f = trees.featureCount();
        int c = trees.classCount();
        float[] probabilities = new float[Math.min(CHUNK_ROWS, Math.max(0, to - from)) * c];
        int r = from;
        while (r < to) {
            if (ClassDecision.allNaN(rows, r * f, f)) {
                classes[r] = 0;
                confidence[r] = 0;
                r++;
                continue;
            }
            // A run of rows with data: nodata rows are rare inside a tile, and evaluating them would waste time.
            int end = r + 1;
            while (end < to && end - r < CHUNK_ROWS && !ClassDecision.allNaN(rows, end * f, f)) {
                end++;
            }
            trees.evaluate(rows, r, end - r, probabilities);
            for (int i = r; i < end; i++) {
                ClassDecision.decide(k -> probabilities[k], (i - r) * c, c, codeOfIndex, i, classes, confidence);
            }
            r = end;
        }
    }

    @Override
    public void close() {
        if (helpers != null) {
            helpers.shutdownNow();
        }
    }
}
