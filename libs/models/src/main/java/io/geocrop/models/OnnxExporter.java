package io.geocrop.models;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes an XGBoost multi-class model as an ONNX model of one {@code ai.onnx.ml} {@code TreeEnsembleClassifier}
 * (opset 3) that reproduces XGBoost's probabilities (for exactly two classes, where ONNX Runtime's classifier switches
 * to binary semantics, a {@code TreeEnsembleRegressor} with two targets followed by Softmax, ArgMax and Gather):
 * <ul>
 *   <li>input {@value #INPUT} float [N, F];</li>
 *   <li>outputs {@value #LABEL} int64 [N] (the {@code CropClass} code of the most probable class) and
 *       {@value #PROBABILITIES} float [N, C] (a plain tensor, no ZipMap), column i being class {@code classCodes[i]};</li>
 *   <li>each XGBoost split "go left when x &lt; threshold" becomes {@code BRANCH_LT} on the same float32
 *       threshold, a missing (NaN) value follows XGBoost's default direction
 *       ({@code nodes_missing_value_tracks_true}), each tree's leaves add to its class's margin, the base score is
 *       the per-class {@code base_values}, and {@code post_transform = SOFTMAX} as multi:softprob does.</li>
 * </ul>
 * The output is a pure function of the XGBoost model, the class codes and the metadata: same inputs, same bytes.
 */
public final class OnnxExporter {

    /** Name of the input tensor, float [N, F]. */
    public static final String INPUT = "features";
    /** Name of the label output, int64 [N], holding class codes. */
    public static final String LABEL = "label";
    /** Name of the probability output, float [N, C]. */
    public static final String PROBABILITIES = "probabilities";
    /** ONNX IR version written (ONNX 1.13+, readable by every ONNX Runtime in use). */
    static final long IR_VERSION = 8;
    static final long ONNX_OPSET = 17;
    static final long ML_OPSET = 3;

    /**
     * The ONNX operator holding the trees. {@link #TREE_ENSEMBLE_CLASSIFIER} ({@code ai.onnx.ml} opset 3) is what
     * production models use; {@link #TREE_ENSEMBLE} ({@code ai.onnx.ml} opset 5, followed by Add for the base
     * score, Softmax, ArgMax and Gather) was measured against it in {@code bench/scoring.sh}.
     */
    public enum Operator { TREE_ENSEMBLE_CLASSIFIER, TREE_ENSEMBLE }

    /** What follows the summed tree margins; {@link #NONE} exists to test the margins themselves. */
    enum PostTransform { SOFTMAX, NONE }

    private OnnxExporter() {
    }

    /**
     * Converts an XGBoost JSON model ({@code booster.toByteArray("json")}) to ONNX bytes.
     *
     * @param xgboostJson  the XGBoost model in its JSON format
     * @param classCodes   {@code CropClass} code of each XGBoost class index (index i → code), as many as the
     *                     model's num_class
     * @param featureCount width of the input (the model may use fewer features, never more)
     * @param metadata     extra ONNX metadata properties (e.g. model name, feature-order hash)
     * @throws ModelFormatException if the model cannot be represented (not gbtree, categorical splits, vector
     *                              leaves, class count or feature count mismatch)
     */
    public static byte[] export(byte[] xgboostJson, List<Integer> classCodes, int featureCount,
                                Map<String, String> metadata) {
        return export(xgboostJson, classCodes, featureCount, metadata, PostTransform.SOFTMAX);
    }

    /** {@link #export(byte[], List, int, Map)} with the trees in {@code operator}. */
    public static byte[] export(byte[] xgboostJson, List<Integer> classCodes, int featureCount,
                                Map<String, String> metadata, Operator operator) {
        return export(xgboostJson, classCodes, featureCount, metadata, PostTransform.SOFTMAX, operator);
    }

    static byte[] export(byte[] xgboostJson, List<Integer> classCodes, int featureCount, Map<String, String> metadata,
                         PostTransform postTransform) {
        return export(xgboostJson, classCodes, featureCount, metadata, postTransform,
                Operator.TREE_ENSEMBLE_CLASSIFIER);
    }

    static byte[] export(byte[] xgboostJson, List<Integer> classCodes, int featureCount, Map<String, String> metadata,
                         PostTransform postTransform, Operator operator) {
        XgbTrees model = XgbTrees.parse(xgboostJson);
        if (!model.objective().startsWith("multi:")) {
            throw new ModelFormatException("only multi-class XGBoost models (multi:softprob) can be exported, not "
                    + model.objective());
        }
        if (classCodes.size() != model.numClass()) {
            throw new ModelFormatException("XGBoost model has " + model.numClass() + " classes but "
                    + classCodes.size() + " class codes were given");
        }
        if (model.numFeature() > featureCount) {
            throw new ModelFormatException("XGBoost model was trained on " + model.numFeature()
                    + " features but the ONNX input is " + featureCount + " wide");
        }
        GraphProto.Builder graph = GraphProto.newBuilder().setName("geocrop_xgboost_trees");
        Nodes nodes = nodes(model);
        long mlOpset = ML_OPSET;
        if (operator == Operator.TREE_ENSEMBLE) {
            treeEnsembleGraph(graph, model, classCodes, postTransform);
            mlOpset = 5;
        } else if (classCodes.size() > 2) {
            graph.addNode(classifier(nodes, model, classCodes, postTransform));
        } else {
            twoClassGraph(graph, nodes, model, classCodes, postTransform);
        }
        graph
                .addInput(tensor(INPUT, TensorProto.DataType.FLOAT, dim("N"), dim(featureCount)))
                .addOutput(tensor(LABEL, TensorProto.DataType.INT64, dim("N")))
                .addOutput(tensor(PROBABILITIES, TensorProto.DataType.FLOAT, dim("N"), dim(classCodes.size())));
        ModelProto.Builder proto = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("geocrop")
                .setProducerVersion("1")
                .setDomain("io.geocrop")
                .setModelVersion(1)
                .setDocString("XGBoost " + model.objective() + " model, " + model.trees().size() + " trees, "
                        + classCodes.size() + " classes, exported by io.geocrop.models.OnnxExporter")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(ONNX_OPSET))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(mlOpset))
                .setGraph(graph);
        Map<String, String> props = new TreeMap<>(metadata);
        props.put("geocrop.class_codes", classCodes.toString());
        props.put("geocrop.feature_count", Integer.toString(featureCount));
        props.forEach((k, v) -> proto.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return proto.build().toByteArray();
    }

    /** The trees as ONNX tree-ensemble node and leaf attribute lists. */
    private record Nodes(List<Long> treeIds, List<Long> nodeIds, List<Long> featureIds, List<Float> values,
                         List<ByteString> modes, List<Long> trueIds, List<Long> falseIds, List<Long> missingTracksTrue,
                         List<Long> leafTreeIds, List<Long> leafNodeIds, List<Long> leafClassIds,
                         List<Float> leafWeights) {
        NodeProto.Builder addTo(NodeProto.Builder node) {
            return node
                    .addAttribute(ints("nodes_falsenodeids", falseIds))
                    .addAttribute(ints("nodes_featureids", featureIds))
                    .addAttribute(ints("nodes_missing_value_tracks_true", missingTracksTrue))
                    .addAttribute(AttributeProto.newBuilder().setName("nodes_modes")
                            .setType(AttributeProto.AttributeType.STRINGS).addAllStrings(modes))
                    .addAttribute(ints("nodes_nodeids", nodeIds))
                    .addAttribute(ints("nodes_treeids", treeIds))
                    .addAttribute(ints("nodes_truenodeids", trueIds))
                    .addAttribute(floats("nodes_values", values));
        }
    }

    private static Nodes nodes(XgbTrees model) {
        Nodes out = new Nodes(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        ByteString branchLt = ByteString.copyFromUtf8("BRANCH_LT");
        ByteString leaf = ByteString.copyFromUtf8("LEAF");
        for (int t = 0; t < model.trees().size(); t++) {
            XgbTrees.Tree tree = model.trees().get(t);
            // Renumber the nodes reachable from the root in depth-first order, true (left) child next: XGBoost
            // may keep pruned nodes in its arrays, and ONNX Runtime wants each tree's ids to be exactly its nodes.
            int[] newId = new int[tree.left().length];
            java.util.Arrays.fill(newId, -1);
            List<Integer> order = new ArrayList<>();
            Deque<Integer> stack = new ArrayDeque<>();
            stack.push(0);
            while (!stack.isEmpty()) {
                int node = stack.pop();
                if (newId[node] >= 0) {
                    throw new ModelFormatException("tree " + t + " is not a tree: node " + node + " is reached twice");
                }
                newId[node] = order.size();
                order.add(node);
                if (!tree.isLeaf(node)) {
                    stack.push(tree.right()[node]);
                    stack.push(tree.left()[node]);
                }
            }
            for (int node : order) {
                out.treeIds.add((long) t);
                out.nodeIds.add((long) newId[node]);
                if (tree.isLeaf(node)) {
                    out.featureIds.add(0L);
                    out.values.add(0f);
                    out.modes.add(leaf);
                    out.trueIds.add(0L);
                    out.falseIds.add(0L);
                    out.missingTracksTrue.add(0L);
                    out.leafTreeIds.add((long) t);
                    out.leafNodeIds.add((long) newId[node]);
                    out.leafClassIds.add((long) tree.classIndex());
                    out.leafWeights.add(tree.value()[node]);
                } else {
                    out.featureIds.add((long) tree.feature()[node]);
                    out.values.add(tree.value()[node]);
                    out.modes.add(branchLt);
                    out.trueIds.add((long) newId[tree.left()[node]]);
                    out.falseIds.add((long) newId[tree.right()[node]]);
                    out.missingTracksTrue.add(tree.defaultLeft()[node] ? 1L : 0L);
                }
            }
        }
        return out;
    }

    private static List<Float> baseValues(XgbTrees model) {
        List<Float> baseValues = new ArrayList<>();
        for (float b : model.baseScore()) {
            baseValues.add(b);
        }
        return baseValues;
    }

    /** Three or more classes: one TreeEnsembleClassifier giving both outputs. */
    private static NodeProto classifier(Nodes nodes, XgbTrees model, List<Integer> classCodes,
                                        PostTransform postTransform) {
        List<Long> labels = classCodes.stream().map(Integer::longValue).toList();
        return nodes.addTo(NodeProto.newBuilder()
                .setName("xgboost_trees")
                .setOpType("TreeEnsembleClassifier")
                .setDomain("ai.onnx.ml")
                .addInput(INPUT)
                .addOutput(LABEL)
                .addOutput(PROBABILITIES)
                .addAttribute(floats("base_values", baseValues(model)))
                .addAttribute(ints("class_ids", nodes.leafClassIds()))
                .addAttribute(ints("class_nodeids", nodes.leafNodeIds()))
                .addAttribute(ints("class_treeids", nodes.leafTreeIds()))
                .addAttribute(floats("class_weights", nodes.leafWeights()))
                .addAttribute(ints("classlabels_int64s", labels)))
                .addAttribute(string("post_transform", postTransform.name()))
                .build();
    }

    /**
     * Two classes: ONNX Runtime's TreeEnsembleClassifier treats two classes as a binary problem and ignores one
     * class's trees, so the two margins come from a TreeEnsembleRegressor with two targets, then Softmax, and the
     * label from ArgMax of the probabilities mapped to class codes by Gather.
     */
    private static void twoClassGraph(GraphProto.Builder graph, Nodes nodes, XgbTrees model, List<Integer> classCodes,
                                      PostTransform postTransform) {
        String margins = postTransform == PostTransform.SOFTMAX ? "margins" : PROBABILITIES;
        graph.addNode(nodes.addTo(NodeProto.newBuilder()
                        .setName("xgboost_trees")
                        .setOpType("TreeEnsembleRegressor")
                        .setDomain("ai.onnx.ml")
                        .addInput(INPUT)
                        .addOutput(margins)
                        .addAttribute(AttributeProto.newBuilder().setName("n_targets")
                                .setType(AttributeProto.AttributeType.INT).setI(classCodes.size()))
                        .addAttribute(string("aggregate_function", "SUM"))
                        .addAttribute(floats("base_values", baseValues(model)))
                        .addAttribute(ints("target_ids", nodes.leafClassIds()))
                        .addAttribute(ints("target_nodeids", nodes.leafNodeIds()))
                        .addAttribute(ints("target_treeids", nodes.leafTreeIds()))
                        .addAttribute(floats("target_weights", nodes.leafWeights())))
                .addAttribute(string("post_transform", "NONE"))
                .build());
        if (postTransform == PostTransform.SOFTMAX) {
            graph.addNode(NodeProto.newBuilder().setName("softmax").setOpType("Softmax").addInput(margins)
                    .addOutput(PROBABILITIES)
                    .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT)
                            .setI(1)));
        }
        labelFromProbabilities(graph, classCodes);
    }

    /** The label output: the code of the most probable class, ArgMax then Gather from the class codes. */
    private static void labelFromProbabilities(GraphProto.Builder graph, List<Integer> classCodes) {
        graph.addNode(NodeProto.newBuilder().setName("argmax").setOpType("ArgMax").addInput(PROBABILITIES)
                .addOutput("class_index")
                .addAttribute(integer("axis", 1))
                .addAttribute(integer("keepdims", 0)));
        graph.addInitializer(TensorProto.newBuilder().setName("class_codes")
                .setDataType(TensorProto.DataType.INT64_VALUE).addDims(classCodes.size())
                .addAllInt64Data(classCodes.stream().map(Integer::longValue).toList()));
        graph.addNode(NodeProto.newBuilder().setName("class_code").setOpType("Gather").addInput("class_codes")
                .addInput("class_index").addOutput(LABEL)
                .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT)
                        .setI(0)));
    }

    /**
     * {@code ai.onnx.ml} opset 5: one {@code TreeEnsemble} with C targets (interior nodes and leaves in separate
     * lists, children named by index), then the base score added, Softmax, ArgMax and Gather as for two classes.
     * A tree that is a single leaf gets a split whose two branches are that leaf (the operator's roots are splits).
     */
    private static void treeEnsembleGraph(GraphProto.Builder graph, XgbTrees model, List<Integer> classCodes,
                                          PostTransform postTransform) {
        List<Long> roots = new ArrayList<>();
        List<Long> featureIds = new ArrayList<>();
        List<Float> splits = new ArrayList<>();
        List<Long> trueIds = new ArrayList<>();
        List<Long> trueLeafs = new ArrayList<>();
        List<Long> falseIds = new ArrayList<>();
        List<Long> falseLeafs = new ArrayList<>();
        List<Long> missingTrue = new ArrayList<>();
        List<Long> leafTargets = new ArrayList<>();
        List<Float> leafWeights = new ArrayList<>();
        for (XgbTrees.Tree tree : model.trees()) {
            roots.add((long) featureIds.size());
            if (tree.isLeaf(0)) {
                long leaf = leafTargets.size();
                leafTargets.add((long) tree.classIndex());
                leafWeights.add(tree.value()[0]);
                featureIds.add(0L);
                splits.add(0f);
                trueIds.add(leaf);
                trueLeafs.add(1L);
                falseIds.add(leaf);
                falseLeafs.add(1L);
                missingTrue.add(0L);
                continue;
            }
            // Interior nodes numbered in depth-first order; children are filled in once numbered.
            int[] interior = new int[tree.left().length];
            java.util.Arrays.fill(interior, -1);
            Deque<Integer> stack = new ArrayDeque<>();
            stack.push(0);
            List<Integer> order = new ArrayList<>();
            while (!stack.isEmpty()) {
                int node = stack.pop();
                if (interior[node] >= 0) {
                    throw new ModelFormatException("a tree is not a tree: node " + node + " is reached twice");
                }
                interior[node] = featureIds.size() + order.size();
                order.add(node);
                for (int child : new int[] {tree.right()[node], tree.left()[node]}) {
                    if (!tree.isLeaf(child)) {
                        stack.push(child);
                    }
                }
            }
            for (int node : order) {
                featureIds.add((long) tree.feature()[node]);
                splits.add(tree.value()[node]);
                missingTrue.add(tree.defaultLeft()[node] ? 1L : 0L);
                trueIds.add(0L);
                trueLeafs.add(0L);
                falseIds.add(0L);
                falseLeafs.add(0L);
            }
            for (int node : order) {
                int at = interior[node];
                int[] children = {tree.left()[node], tree.right()[node]};
                for (int side = 0; side < 2; side++) {
                    int child = children[side];
                    long id;
                    long leaf;
                    if (tree.isLeaf(child)) {
                        id = leafTargets.size();
                        leaf = 1;
                        leafTargets.add((long) tree.classIndex());
                        leafWeights.add(tree.value()[child]);
                    } else {
                        id = interior[child];
                        leaf = 0;
                    }
                    (side == 0 ? trueIds : falseIds).set(at, id);
                    (side == 0 ? trueLeafs : falseLeafs).set(at, leaf);
                }
            }
        }
        int n = featureIds.size();
        TensorProto.Builder modes = TensorProto.newBuilder().setName("nodes_modes")
                .setDataType(TensorProto.DataType.UINT8_VALUE).addDims(n);
        for (int i = 0; i < n; i++) {
            modes.addInt32Data(1); // BRANCH_LT
        }
        TensorProto.Builder splitValues = TensorProto.newBuilder().setName("nodes_splits")
                .setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(n).addAllFloatData(splits);
        TensorProto.Builder weights = TensorProto.newBuilder().setName("leaf_weights")
                .setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(leafWeights.size()).addAllFloatData(leafWeights);
        String margins = "tree_margins";
        graph.addNode(NodeProto.newBuilder()
                .setName("xgboost_trees")
                .setOpType("TreeEnsemble")
                .setDomain("ai.onnx.ml")
                .addInput(INPUT)
                .addOutput(margins)
                .addAttribute(integer("aggregate_function", 1)) // SUM
                .addAttribute(integer("n_targets", classCodes.size()))
                .addAttribute(integer("post_transform", 0)) // NONE: the base score comes first
                .addAttribute(ints("tree_roots", roots))
                .addAttribute(ints("nodes_featureids", featureIds))
                .addAttribute(tensorAttribute("nodes_splits", splitValues))
                .addAttribute(tensorAttribute("nodes_modes", modes))
                .addAttribute(ints("nodes_truenodeids", trueIds))
                .addAttribute(ints("nodes_trueleafs", trueLeafs))
                .addAttribute(ints("nodes_falsenodeids", falseIds))
                .addAttribute(ints("nodes_falseleafs", falseLeafs))
                .addAttribute(ints("nodes_missing_value_tracks_true", missingTrue))
                .addAttribute(ints("leaf_targetids", leafTargets))
                .addAttribute(tensorAttribute("leaf_weights", weights)));
        graph.addInitializer(TensorProto.newBuilder().setName("base_score")
                .setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(classCodes.size())
                .addAllFloatData(baseValues(model)));
        String scored = postTransform == PostTransform.SOFTMAX ? "margins" : PROBABILITIES;
        graph.addNode(NodeProto.newBuilder().setName("base_score_add").setOpType("Add").addInput(margins)
                .addInput("base_score").addOutput(scored));
        if (postTransform == PostTransform.SOFTMAX) {
            graph.addNode(NodeProto.newBuilder().setName("softmax").setOpType("Softmax").addInput(scored)
                    .addOutput(PROBABILITIES).addAttribute(integer("axis", 1)));
        }
        labelFromProbabilities(graph, classCodes);
    }

    private static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto tensorAttribute(String name, TensorProto.Builder value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(value)
                .build();
    }

    private static AttributeProto string(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8)).build();
    }

    private static AttributeProto ints(String name, List<Long> v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS).addAllInts(v)
                .build();
    }

    private static AttributeProto floats(String name, List<Float> v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS)
                .addAllFloats(v).build();
    }

    private static TensorShapeProto.Dimension dim(String param) {
        return TensorShapeProto.Dimension.newBuilder().setDimParam(param).build();
    }

    private static TensorShapeProto.Dimension dim(long value) {
        return TensorShapeProto.Dimension.newBuilder().setDimValue(value).build();
    }

    private static ValueInfoProto tensor(String name, TensorProto.DataType type, TensorShapeProto.Dimension... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (TensorShapeProto.Dimension d : dims) {
            shape.addDim(d);
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(
                        TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)))
                .build();
    }
}
