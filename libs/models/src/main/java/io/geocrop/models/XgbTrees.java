package io.geocrop.models;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The trees of an XGBoost multi-class model, read from its JSON model format ({@code booster.toByteArray("json")}).
 * Only what prediction needs: per tree its class, and per node the split feature, the float32 threshold, the
 * children and the default (missing-value) direction, or the leaf value.
 *
 * @param numClass  number of classes (output columns)
 * @param numFeature number of input features the model was trained with
 * @param baseScore margin added to every class before the softmax, one per class
 * @param objective objective name, e.g. {@code multi:softprob}
 * @param trees     the trees in boosting order
 */
record XgbTrees(int numClass, int numFeature, float[] baseScore, String objective, List<Tree> trees) {

    /**
     * One tree; arrays indexed by XGBoost node id. A leaf has {@code left[i] == -1} and its value in
     * {@code value[i]}; an inner node sends x left when {@code x < value[i]} and a missing x left when
     * {@code defaultLeft[i]}.
     */
    record Tree(int classIndex, int[] left, int[] right, int[] feature, float[] value, boolean[] defaultLeft) {
        boolean isLeaf(int node) {
            return left[node] == -1;
        }
    }

    // Floats are kept as decimals so that each one is rounded to float32 exactly once, as XGBoost wrote it.
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /**
     * Parses an XGBoost JSON model.
     *
     * @throws ModelFormatException if the bytes are not an XGBoost gbtree model with numerical splits and one
     *                              output per tree
     */
    static XgbTrees parse(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new ModelFormatException("XGBoost model is not valid JSON: " + e.getMessage(), e);
        }
        JsonNode learner = required(root, "learner");
        JsonNode param = required(learner, "learner_model_param");
        int numClass = Math.max(1, intOf(required(param, "num_class")));
        int numFeature = intOf(required(param, "num_feature"));
        float[] baseScore = baseScore(required(param, "base_score").asText(), numClass);
        String objective = required(required(learner, "objective"), "name").asText();
        JsonNode booster = required(learner, "gradient_booster");
        String boosterName = required(booster, "name").asText();
        if (!"gbtree".equals(boosterName)) {
            throw new ModelFormatException("only gbtree XGBoost models can be exported, not " + boosterName);
        }
        JsonNode model = required(booster, "model");
        JsonNode treeInfo = required(model, "tree_info");
        JsonNode treesJson = required(model, "trees");
        if (treeInfo.size() != treesJson.size()) {
            throw new ModelFormatException("XGBoost model has " + treesJson.size() + " trees but tree_info for "
                    + treeInfo.size());
        }
        List<Tree> trees = new ArrayList<>(treesJson.size());
        for (int t = 0; t < treesJson.size(); t++) {
            int classIndex = treeInfo.get(t).asInt();
            if (classIndex < 0 || classIndex >= numClass) {
                throw new ModelFormatException("tree " + t + " belongs to class " + classIndex + " of " + numClass);
            }
            trees.add(tree(t, treesJson.get(t), classIndex, numFeature));
        }
        return new XgbTrees(numClass, numFeature, baseScore, objective, List.copyOf(trees));
    }

    private static Tree tree(int t, JsonNode json, int classIndex, int numFeature) {
        JsonNode treeParam = required(json, "tree_param");
        if (treeParam.has("size_leaf_vector") && intOf(treeParam.get("size_leaf_vector")) > 1) {
            throw new ModelFormatException("tree " + t + " has vector leaves (multi_strategy=multi_output_tree);"
                    + " only one output per tree can be exported");
        }
        int[] left = ints(required(json, "left_children"));
        int[] right = ints(required(json, "right_children"));
        int[] feature = ints(required(json, "split_indices"));
        float[] value = floats(required(json, "split_conditions"));
        JsonNode defaults = required(json, "default_left");
        int n = left.length;
        if (right.length != n || feature.length != n || value.length != n || defaults.size() != n) {
            throw new ModelFormatException("tree " + t + " has node arrays of different lengths");
        }
        boolean[] defaultLeft = new boolean[n];
        for (int i = 0; i < n; i++) {
            JsonNode d = defaults.get(i);
            defaultLeft[i] = d.isBoolean() ? d.asBoolean() : d.asInt() != 0;
        }
        JsonNode splitType = json.get("split_type");
        for (int i = 0; i < n; i++) {
            if (left[i] == -1) {
                continue;
            }
            if (splitType != null && splitType.size() == n && splitType.get(i).asInt() != 0) {
                throw new ModelFormatException("tree " + t + " node " + i + " is a categorical split; only"
                        + " numerical splits can be exported");
            }
            if (left[i] < 0 || left[i] >= n || right[i] < 0 || right[i] >= n) {
                throw new ModelFormatException("tree " + t + " node " + i + " has a child out of range");
            }
            if (feature[i] < 0 || feature[i] >= numFeature) {
                throw new ModelFormatException("tree " + t + " node " + i + " splits on feature " + feature[i]
                        + " but the model has " + numFeature + " features");
            }
        }
        return new Tree(classIndex, left, right, feature, value, defaultLeft);
    }

    /** XGBoost writes base_score as "5E-1", or (newer versions) as a vector "[5E-1,5E-1,...]". */
    private static float[] baseScore(String text, int numClass) {
        String s = text.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        String[] parts = s.split(",");
        float[] out = new float[numClass];
        try {
            if (parts.length == 1) {
                java.util.Arrays.fill(out, Float.parseFloat(parts[0].strip()));
            } else if (parts.length == numClass) {
                for (int i = 0; i < numClass; i++) {
                    out[i] = Float.parseFloat(parts[i].strip());
                }
            } else {
                throw new ModelFormatException("base_score has " + parts.length + " values for " + numClass
                        + " classes");
            }
        } catch (NumberFormatException e) {
            throw new ModelFormatException("base_score is not a number: " + text, e);
        }
        return out;
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new ModelFormatException("XGBoost model JSON lacks '" + field + "'");
        }
        return v;
    }

    private static int intOf(JsonNode n) {
        try {
            return n.isNumber() ? n.asInt() : Integer.parseInt(n.asText().strip());
        } catch (NumberFormatException e) {
            throw new ModelFormatException("not an integer in XGBoost model JSON: " + n.asText(), e);
        }
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = array.get(i);
            // Float.parseFloat of the decimal text rounds once, exactly as XGBoost's own parser does.
            out[i] = v.isBigDecimal() ? Float.parseFloat(v.decimalValue().toString()) : Float.parseFloat(v.asText());
        }
        return out;
    }
}
