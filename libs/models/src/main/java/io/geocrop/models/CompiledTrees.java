package io.geocrop.models;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import com.google.protobuf.InvalidProtocolBufferException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tree ensemble of an ONNX model as {@link OnnxExporter} writes it (one {@code ai.onnx.ml}
 * {@code TreeEnsembleClassifier}, {@code BRANCH_LT} splits, one class per tree, SOFTMAX or NONE), compiled into flat
 * arrays that a plain Java loop evaluates without a branch per split.
 * <p>
 * Layout: each tree is padded to a perfect binary tree of its own depth d (a leaf above depth d is copied into every
 * leaf below it), so a row walks exactly d levels, {@code i = 2i + 1 + goFalse}, and the leaf is
 * {@code i - (2^d - 1)}. A split is one {@code long}: the threshold as an order-preserving integer key above, and
 * below the index of the row's key to compare (the feature, in the copy of the row where NaN sorts below everything
 * when missing values track true, above everything otherwise). "Go false" is then {@code key(x) >= key(threshold)},
 * which is ONNX Runtime's {@code BRANCH_LT} rule ({@code x < t || (tracks_true && isnan(x))} → true).
 * <p>
 * Probabilities are computed as ONNX Runtime does, in float: per row and class, the leaf weights summed from zero in
 * tree order, the class's base value added last, then softmax (maximum subtracted, {@code exp}, sum, divide). So the
 * margins equal ONNX Runtime's bit for bit and the probabilities to within the last bit of {@code exp}
 * ({@code CompiledParityTest}).
 */
public final class CompiledTrees {

    /** Rows evaluated together, tree by tree: their features (51 floats each) stay in the L1 cache. */
    static final int BLOCK_ROWS = 64;
    /** Deeper trees are not padded (2^depth leaves each); such a model stays on ONNX Runtime. */
    static final int MAX_DEPTH = 16;
    private static final long MAX_PADDED_NODES = 1L << 25;

    private final int featureCount;
    private final int classCount;
    private final boolean softmax;
    private final float[] baseValues;
    private final int[] treeClass;
    private final int[] treeDepth;
    private final int[] splitOffset;
    private final int[] leafOffset;
    private final long[] splits;
    private final float[] leaves;

    private CompiledTrees(int featureCount, int classCount, boolean softmax, float[] baseValues, int[] treeClass,
                          int[] treeDepth, int[] splitOffset, int[] leafOffset, long[] splits, float[] leaves) {
        this.featureCount = featureCount;
        this.classCount = classCount;
        this.softmax = softmax;
        this.baseValues = baseValues;
        this.treeClass = treeClass;
        this.treeDepth = treeDepth;
        this.splitOffset = splitOffset;
        this.leafOffset = leafOffset;
        this.splits = splits;
        this.leaves = leaves;
    }

    /** Number of input features per row. */
    public int featureCount() {
        return featureCount;
    }

    /** Number of classes, the width of a probability row. */
    public int classCount() {
        return classCount;
    }

    /** Number of trees. */
    public int treeCount() {
        return treeClass.length;
    }

    /**
     * Compiles the tree ensemble of ONNX model bytes.
     *
     * @throws UnsupportedModelException if the graph is not one this compiler reproduces exactly (another operator,
     *                                   split mode, post-transform, several classes per tree, trees deeper than
     *                                   {@value #MAX_DEPTH}); ONNX Runtime can still run such a model
     * @throws ModelFormatException      if the bytes are not an ONNX model or the ensemble is malformed
     */
    public static CompiledTrees compile(byte[] onnx, int featureCount) {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(onnx);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException("not an ONNX model: " + e.getMessage(), e);
        }
        List<NodeProto> nodes = model.getGraph().getNodeList();
        if (nodes.size() != 1 || !nodes.get(0).getOpType().equals("TreeEnsembleClassifier")
                || !nodes.get(0).getDomain().equals("ai.onnx.ml")) {
            throw new UnsupportedModelException("the graph is not a single ai.onnx.ml TreeEnsembleClassifier but "
                    + nodes.stream().map(NodeProto::getOpType).toList());
        }
        Map<String, AttributeProto> attrs = new HashMap<>();
        for (AttributeProto a : nodes.get(0).getAttributeList()) {
            attrs.put(a.getName(), a);
        }
        for (String name : attrs.keySet()) {
            if (name.endsWith("_as_tensor") || name.equals("classlabels_strings")) {
                throw new UnsupportedModelException("attribute " + name + " is not supported");
            }
        }
        String post = attrs.containsKey("post_transform") ? attrs.get("post_transform").getS().toStringUtf8() : "NONE";
        if (!post.equals("SOFTMAX") && !post.equals("NONE")) {
            throw new UnsupportedModelException("post_transform " + post + " is not supported");
        }
        int classCount = ints(attrs, "classlabels_int64s").size();
        if (classCount < 3) {
            // ONNX Runtime's classifier has binary semantics for two classes; OnnxExporter writes another graph.
            throw new UnsupportedModelException(classCount + " class labels: only three or more are compiled");
        }
        List<Float> base = floats(attrs, "base_values");
        if (!base.isEmpty() && base.size() != classCount) {
            throw new ModelFormatException(base.size() + " base values for " + classCount + " classes");
        }
        float[] baseValues = new float[classCount];
        for (int k = 0; k < base.size(); k++) {
            baseValues[k] = base.get(k);
        }
        return new Builder(attrs, featureCount, classCount).build(post.equals("SOFTMAX"), baseValues);
    }

    /** Thrown when a valid ONNX model uses something this compiler does not reproduce. */
    public static final class UnsupportedModelException extends ModelFormatException {
        UnsupportedModelException(String message) {
            super("cannot compile the ONNX model: " + message);
        }
    }

    /** Reads the node and leaf lists, checks them, and lays each tree out as a perfect tree. */
    private static final class Builder {
        private final int featureCount;
        private final int classCount;
        private final List<Long> treeIds;
        private final List<Long> nodeIds;
        private final List<Long> featureIds;
        private final List<Float> values;
        private final List<String> modes;
        private final List<Long> trueIds;
        private final List<Long> falseIds;
        private final List<Long> missingTrue;
        // tree id → node id → index in the node lists; trees in order of first appearance (ONNX Runtime's order)
        private final Map<Long, Map<Long, Integer>> trees = new LinkedHashMap<>();
        private final Map<Long, Integer> rootOf = new HashMap<>();
        private final Map<Long, Float> leafWeight = new HashMap<>();
        private final Map<Long, Integer> treeClassOf = new HashMap<>();

        Builder(Map<String, AttributeProto> attrs, int featureCount, int classCount) {
            this.featureCount = featureCount;
            this.classCount = classCount;
            treeIds = ints(attrs, "nodes_treeids");
            nodeIds = ints(attrs, "nodes_nodeids");
            featureIds = ints(attrs, "nodes_featureids");
            values = floats(attrs, "nodes_values");
            modes = attrs.containsKey("nodes_modes")
                    ? attrs.get("nodes_modes").getStringsList().stream().map(b -> b.toStringUtf8()).toList() : List.of();
            trueIds = ints(attrs, "nodes_truenodeids");
            falseIds = ints(attrs, "nodes_falsenodeids");
            missingTrue = ints(attrs, "nodes_missing_value_tracks_true");
            int n = treeIds.size();
            if (n == 0 || nodeIds.size() != n || featureIds.size() != n || values.size() != n || modes.size() != n
                    || trueIds.size() != n || falseIds.size() != n || (!missingTrue.isEmpty() && missingTrue.size() != n)) {
                throw new ModelFormatException("the tree ensemble's node attribute lists differ in length");
            }
            long previous = Long.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                long tree = treeIds.get(i);
                if (tree != previous && trees.containsKey(tree)) {
                    throw new UnsupportedModelException("the nodes of tree " + tree + " are not listed together");
                }
                previous = tree;
                Map<Long, Integer> nodesOfTree = trees.computeIfAbsent(tree, t -> new HashMap<>());
                rootOf.putIfAbsent(tree, i); // ONNX Runtime takes a tree's first listed node as its root
                if (nodesOfTree.put(nodeIds.get(i), i) != null) {
                    throw new ModelFormatException("node " + nodeIds.get(i) + " of tree " + tree + " is listed twice");
                }
                String mode = modes.get(i);
                if (!mode.equals("LEAF") && !mode.equals("BRANCH_LT")) {
                    throw new UnsupportedModelException("split mode " + mode + " is not supported");
                }
                if (!mode.equals("LEAF") && (featureIds.get(i) < 0 || featureIds.get(i) >= featureCount)) {
                    throw new ModelFormatException("node " + nodeIds.get(i) + " of tree " + tree + " splits on feature "
                            + featureIds.get(i) + " of " + featureCount);
                }
            }
            List<Long> classTrees = ints(attrs, "class_treeids");
            List<Long> classNodes = ints(attrs, "class_nodeids");
            List<Long> classIds = ints(attrs, "class_ids");
            List<Float> weights = floats(attrs, "class_weights");
            if (classNodes.size() != classTrees.size() || classIds.size() != classTrees.size()
                    || weights.size() != classTrees.size()) {
                throw new ModelFormatException("the tree ensemble's class attribute lists differ in length");
            }
            for (int i = 0; i < classTrees.size(); i++) {
                long tree = classTrees.get(i);
                Integer node = trees.getOrDefault(tree, Map.of()).get(classNodes.get(i));
                if (node == null) {
                    throw new ModelFormatException("a class weight names node " + classNodes.get(i) + " of tree "
                            + tree + ", which does not exist");
                }
                int cls = Math.toIntExact(classIds.get(i));
                if (cls < 0 || cls >= classCount) {
                    throw new ModelFormatException("class id " + cls + " outside 0.." + (classCount - 1));
                }
                if (leafWeight.put(nodeKey(tree, node), weights.get(i)) != null) {
                    throw new UnsupportedModelException("a leaf of tree " + tree + " adds to several classes");
                }
                Integer previousClass = treeClassOf.put(tree, cls);
                if (previousClass != null && previousClass != cls) {
                    throw new UnsupportedModelException("tree " + tree + " adds to several classes");
                }
            }
        }

        CompiledTrees build(boolean softmax, float[] baseValues) {
            int count = trees.size();
            int[] treeClass = new int[count];
            int[] depth = new int[count];
            int[] splitOffset = new int[count + 1];
            int[] leafOffset = new int[count + 1];
            List<Long> ids = new ArrayList<>(trees.keySet());
            long padded = 0;
            for (int t = 0; t < count; t++) {
                long tree = ids.get(t);
                depth[t] = depth(tree, rootOf.get(tree), 0);
                padded += 2L << depth[t];
                if (padded > MAX_PADDED_NODES) {
                    throw new UnsupportedModelException("the padded trees would exceed " + MAX_PADDED_NODES + " nodes");
                }
                splitOffset[t + 1] = splitOffset[t] + (1 << depth[t]) - 1;
                leafOffset[t + 1] = leafOffset[t] + (1 << depth[t]);
                // A tree with no weighted leaf adds nothing; class 0 with zero leaves keeps the sums unchanged.
                treeClass[t] = treeClassOf.getOrDefault(tree, 0);
            }
            long[] splits = new long[splitOffset[count]];
            float[] leaves = new float[leafOffset[count]];
            for (int t = 0; t < count; t++) {
                long tree = ids.get(t);
                place(tree, rootOf.get(tree), 0, 0, depth[t], splits, splitOffset[t], leaves, leafOffset[t]);
            }
            return new CompiledTrees(featureCount, classCount, softmax, baseValues, treeClass, depth,
                    splitOffset, leafOffset, splits, leaves);
        }

        private int depth(long tree, int node, int level) {
            if (level > MAX_DEPTH) {
                throw new UnsupportedModelException("tree " + tree + " is deeper than " + MAX_DEPTH
                        + " levels (or has a cycle)");
            }
            if (modes.get(node).equals("LEAF")) {
                return level;
            }
            return Math.max(depth(tree, child(tree, node, trueIds), level + 1),
                    depth(tree, child(tree, node, falseIds), level + 1));
        }

        private int child(long tree, int node, List<Long> childIds) {
            Integer child = trees.get(tree).get(childIds.get(node));
            if (child == null) {
                throw new ModelFormatException("node " + nodeIds.get(node) + " of tree " + tree
                        + " points to node " + childIds.get(node) + ", which does not exist");
            }
            return child;
        }

        /** Writes {@code node} at perfect-tree position {@code pos} (level {@code level}) and its subtree below. */
        private void place(long tree, int node, int pos, int level, int depth, long[] splits, int splitBase,
                           float[] leaves, int leafBase) {
            if (level == depth) {
                leaves[leafBase + pos - ((1 << depth) - 1)] = leafWeight.getOrDefault(nodeKey(tree, node), 0f);
                return;
            }
            boolean leaf = modes.get(node).equals("LEAF");
            if (leaf) {
                // Padding: any way down reaches a copy of this leaf.
                splits[splitBase + pos] = 0L;
                place(tree, node, 2 * pos + 1, level + 1, depth, splits, splitBase, leaves, leafBase);
                place(tree, node, 2 * pos + 2, level + 1, depth, splits, splitBase, leaves, leafBase);
                return;
            }
            boolean nanGoesFalse = missingTrue.isEmpty() || missingTrue.get(node) == 0;
            float threshold = values.get(node);
            if (Float.isNaN(threshold)) {
                throw new ModelFormatException("node " + nodeIds.get(node) + " of tree " + tree + " has a NaN threshold");
            }
            // Key of the threshold above; below, where the row's key is: its NaN-below or NaN-above copy.
            int feature = Math.toIntExact(featureIds.get(node)) + (nanGoesFalse ? featureCount : 0);
            splits[splitBase + pos] = ((long) key(threshold) << 32) | feature;
            place(tree, child(tree, node, trueIds), 2 * pos + 1, level + 1, depth, splits, splitBase, leaves, leafBase);
            place(tree, child(tree, node, falseIds), 2 * pos + 2, level + 1, depth, splits, splitBase, leaves,
                    leafBase);
        }

        private static long nodeKey(long tree, int nodeIndex) {
            return (tree << 32) ^ nodeIndex;
        }
    }

    /**
     * Computes the probabilities (or margins, for a NONE post-transform) of {@code n} rows starting at row
     * {@code first} of {@code rows} (row-major, {@link #featureCount()} floats each) into {@code out} (row-major,
     * {@link #classCount()} floats each, row {@code first} at index 0). Thread-safe: the compiled trees are
     * read-only.
     */
    public void evaluate(float[] rows, int first, int n, float[] out) {
        if (first < 0 || n < 0 || (long) (first + n) * featureCount > rows.length || (long) n * classCount > out.length) {
            throw new IllegalArgumentException("rows " + first + ".." + (first + n) + " do not fit " + rows.length
                    + " floats of " + featureCount + " features, or " + out.length + " outputs");
        }
        java.util.Arrays.fill(out, 0, n * classCount, 0f);
        int[] keys = new int[Math.min(n, BLOCK_ROWS) * 2 * featureCount];
        for (int start = 0; start < n; start += BLOCK_ROWS) {
            int end = Math.min(n, start + BLOCK_ROWS);
            sumTrees(rows, first, start, end, out, keys);
        }
        for (int r = 0; r < n; r++) {
            finish(out, r * classCount);
        }
    }

    /**
     * Adds every tree's leaf to rows {@code start..end} (relative to {@code first}), tree by tree. The block's
     * features are first turned into order-preserving integer keys, twice: once with NaN below every value (for
     * splits whose missing values go true) and once above (missing values go false), so a split is one integer
     * comparison done with arithmetic, never a branch the processor could mispredict.
     */
    private void sumTrees(float[] rows, int first, int start, int end, float[] out, int[] keys) {
        final int f = featureCount;
        final int c = classCount;
        for (int r = start; r < end; r++) {
            int in = (first + r) * f;
            int at = (r - start) * 2 * f;
            for (int j = 0; j < f; j++) {
                float x = rows[in + j];
                if (x != x) {
                    keys[at + j] = Integer.MIN_VALUE;
                    keys[at + f + j] = Integer.MAX_VALUE;
                } else {
                    int k = key(x);
                    keys[at + j] = k;
                    keys[at + f + j] = k;
                }
            }
        }
        final long[] splits = this.splits;
        final float[] leaves = this.leaves;
        for (int t = 0; t < treeClass.length; t++) {
            final int d = treeDepth[t];
            final int splitBase = splitOffset[t];
            final int leafBase = leafOffset[t] - ((1 << d) - 1);
            final int cls = treeClass[t];
            int r = start;
            // Four rows at once: four independent walks down the same tree keep the core busy while each waits
            // for its loads.
            for (; r + 4 <= end; r += 4) {
                final int k0 = (r - start) * 2 * f;
                final int k1 = k0 + 2 * f;
                final int k2 = k1 + 2 * f;
                final int k3 = k2 + 2 * f;
                int i0 = 0;
                int i1 = 0;
                int i2 = 0;
                int i3 = 0;
                for (int level = 0; level < d; level++) {
                    long s0 = splits[splitBase + i0];
                    long s1 = splits[splitBase + i1];
                    long s2 = splits[splitBase + i2];
                    long s3 = splits[splitBase + i3];
                    // 1 when x >= threshold (the false branch of BRANCH_LT), computed without a branch
                    i0 = 2 * i0 + 1 + (int) (((s0 >> 32) - keys[k0 + (int) s0] - 1) >>> 63);
                    i1 = 2 * i1 + 1 + (int) (((s1 >> 32) - keys[k1 + (int) s1] - 1) >>> 63);
                    i2 = 2 * i2 + 1 + (int) (((s2 >> 32) - keys[k2 + (int) s2] - 1) >>> 63);
                    i3 = 2 * i3 + 1 + (int) (((s3 >> 32) - keys[k3 + (int) s3] - 1) >>> 63);
                }
                out[r * c + cls] += leaves[leafBase + i0];
                out[(r + 1) * c + cls] += leaves[leafBase + i1];
                out[(r + 2) * c + cls] += leaves[leafBase + i2];
                out[(r + 3) * c + cls] += leaves[leafBase + i3];
            }
            for (; r < end; r++) {
                final int keyBase = (r - start) * 2 * f;
                int i = 0;
                for (int level = 0; level < d; level++) {
                    long split = splits[splitBase + i];
                    i = 2 * i + 1 + (int) (((split >> 32) - keys[keyBase + (int) split] - 1) >>> 63);
                }
                out[r * c + cls] += leaves[leafBase + i];
            }
        }
    }

    /** An int whose signed order is the float order of {@code x} (not NaN); -0 and +0 share a key. */
    static int key(float x) {
        int bits = Float.floatToRawIntBits(x + 0.0f); // -0 + 0 = +0
        return bits ^ ((bits >> 31) & 0x7FFF_FFFF);
    }

    /** Adds the base values, then softmax as ONNX Runtime computes it (float, maximum subtracted). */
    private void finish(float[] out, int at) {
        final int c = classCount;
        for (int k = 0; k < c; k++) {
            out[at + k] += baseValues[k];
        }
        if (!softmax) {
            return;
        }
        float max = -Float.MAX_VALUE;
        for (int k = 0; k < c; k++) {
            if (out[at + k] > max) {
                max = out[at + k];
            }
        }
        float sum = 0f;
        for (int k = 0; k < c; k++) {
            float e = (float) Math.exp(out[at + k] - max);
            out[at + k] = e;
            sum += e;
        }
        for (int k = 0; k < c; k++) {
            out[at + k] /= sum;
        }
    }

    private static List<Long> ints(Map<String, AttributeProto> attrs, String name) {
        AttributeProto a = attrs.get(name);
        return a == null ? List.of() : a.getIntsList();
    }

    private static List<Float> floats(Map<String, AttributeProto> attrs, String name) {
        AttributeProto a = attrs.get(name);
        return a == null ? List.of() : a.getFloatsList();
    }
}
