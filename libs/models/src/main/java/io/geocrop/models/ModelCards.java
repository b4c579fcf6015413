package io.geocrop.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geocrop.features.FeatureOrder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Model cards as JSON ({@code model-card.json}): snake_case field names, {@code created_at} as an ISO-8601 instant,
 * metrics and params sorted by name so that the same card always gives the same bytes. Also the check scoring
 * makes before using a model: its feature order must be the one being scored.
 */
public final class ModelCards {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ModelCards() {
    }

    /** The card as UTF-8 JSON. */
    public static byte[] toJson(ModelCard card) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", card.name());
        o.put("version", card.version());
        o.put("feature_order_hash", card.featureOrderHash());
        ArrayNode names = o.putArray("feature_names");
        card.featureNames().forEach(names::add);
        ArrayNode codes = o.putArray("class_codes");
        card.classCodes().forEach(codes::add);
        // Readable class ids next to the codes; informative only, the codes are what scoring uses.
        ArrayNode ids = o.putArray("class_ids");
        card.classCodes().forEach(c -> ids.add(Metrics.classId(c)));
        o.put("training_data", card.trainingData());
        ObjectNode metrics = o.putObject("metrics");
        new TreeMap<>(card.metrics()).forEach(metrics::put);
        ObjectNode params = o.putObject("params");
        new TreeMap<>(card.params()).forEach(params::put);
        o.put("seed", card.seed());
        o.put("synthetic", card.synthetic());
        o.put("created_at", card.createdAt().toString());
        if (!card.heldOutConfusion().isEmpty()) {
            // Rows are the actual (reference) class, columns the predicted one, both in class_codes order.
            ArrayNode confusion = o.putArray("held_out_confusion");
            for (List<Long> row : card.heldOutConfusion()) {
                ArrayNode r = confusion.addArray();
                row.forEach(r::add);
            }
        }
        TrainingDistributionJson.write(o, card.trainingDistribution());
        try {
            return JSON.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a model card as JSON", e);
        }
    }

    /**
     * Reads a card.
     *
     * @throws ModelFormatException naming the field, if the JSON is malformed or a field is missing or mistyped
     */
    public static ModelCard fromJson(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new ModelFormatException("model card is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException("model card must be a JSON object");
        }
        String created = text(root, "created_at");
        Instant createdAt;
        try {
            createdAt = Instant.parse(created);
        } catch (DateTimeParseException e) {
            throw new ModelFormatException("model card field 'created_at' is not an ISO-8601 instant: " + created, e);
        }
        return new ModelCard(
                text(root, "name"),
                text(root, "version"),
                text(root, "feature_order_hash"),
                strings(root, "feature_names"),
                ints(root, "class_codes"),
                text(root, "training_data"),
                doubles(root, "metrics"),
                strings(field(root, "params", JsonNode::isObject, "an object")),
                field(root, "seed", JsonNode::isIntegralNumber, "an integer").asLong(),
                field(root, "synthetic", JsonNode::isBoolean, "true or false").asBoolean(),
                createdAt,
                confusion(root, "held_out_confusion"),
                TrainingDistributionJson.read(root));
    }

    /** An optional square matrix of counts; absent means not recorded (older cards). */
    private static List<List<Long>> confusion(JsonNode root, String name) {
        JsonNode v = root.get(name);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new ModelFormatException("model card field '" + name + "' must be an array of arrays, got " + v);
        }
        List<List<Long>> out = new ArrayList<>();
        for (JsonNode row : v) {
            if (!row.isArray()) {
                throw new ModelFormatException("model card field '" + name + "' must hold arrays, got " + row);
            }
            List<Long> r = new ArrayList<>();
            for (JsonNode n : row) {
                if (!n.isIntegralNumber() || n.asLong() < 0) {
                    throw new ModelFormatException("model card field '" + name
                            + "' must hold counts (whole numbers >= 0), got " + n);
                }
                r.add(n.asLong());
            }
            out.add(r);
        }
        int classes = root.path("class_codes").size();
        if (out.size() != classes || out.stream().anyMatch(r -> r.size() != classes)) {
            throw new ModelFormatException("model card field '" + name + "' must be " + classes + " x " + classes
                    + " (a row and a column per class code)");
        }
        return out;
    }

    /** Reads a card from a UTF-8 JSON string. */
    public static ModelCard fromJson(String json) {
        return fromJson(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Refuses a model trained on another feature order than {@code expectedHash} (e.g. {@code FeatureOrder.HASH_V1}),
     * or whose card is inconsistent (its feature names do not hash to its recorded hash).
     *
     * @throws FeatureOrderMismatchException with a message naming the model and both hashes
     */
    public static void requireFeatureOrder(ModelCard card, String expectedHash) {
        String model = "model " + card.name() + " version " + card.version();
        if (!expectedHash.equals(card.featureOrderHash())) {
            throw new FeatureOrderMismatchException(model + " was trained on feature order "
                    + card.featureOrderHash() + " but the features to score have order " + expectedHash
                    + "; retrain the model on this feature order or score with matching features",
                    expectedHash, card.featureOrderHash());
        }
        String namesHash = FeatureOrder.hashOf(card.featureNames());
        if (!namesHash.equals(card.featureOrderHash())) {
            throw new FeatureOrderMismatchException(model + " card is inconsistent: its " + card.featureNames().size()
                    + " feature names hash to " + namesHash + ", not to its recorded feature_order_hash "
                    + card.featureOrderHash(), expectedHash, namesHash);
        }
    }

    /** {@link #requireFeatureOrder} against {@code FEATURE_ORDER_V1}. */
    public static void requireFeatureOrderV1(ModelCard card) {
        requireFeatureOrder(card, FeatureOrder.HASH_V1);
    }

    private interface Check {
        boolean ok(JsonNode n);
    }

    private static JsonNode field(JsonNode root, String name, Check check, String what) {
        JsonNode v = root.get(name);
        if (v == null || v.isNull()) {
            throw new ModelFormatException("model card lacks field '" + name + "'");
        }
        if (!check.ok(v)) {
            throw new ModelFormatException("model card field '" + name + "' must be " + what + ", got " + v);
        }
        return v;
    }

    private static String text(JsonNode root, String name) {
        return field(root, name, JsonNode::isTextual, "a string").asText();
    }

    private static List<String> strings(JsonNode root, String name) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : field(root, name, JsonNode::isArray, "an array of strings")) {
            if (!n.isTextual()) {
                throw new ModelFormatException("model card field '" + name + "' must hold strings, got " + n);
            }
            out.add(n.asText());
        }
        return out;
    }

    private static List<Integer> ints(JsonNode root, String name) {
        List<Integer> out = new ArrayList<>();
        for (JsonNode n : field(root, name, JsonNode::isArray, "an array of integers")) {
            if (!n.canConvertToInt() || !n.isIntegralNumber()) {
                throw new ModelFormatException("model card field '" + name + "' must hold integers, got " + n);
            }
            out.add(n.asInt());
        }
        return out;
    }

    private static Map<String, Double> doubles(JsonNode root, String name) {
        Map<String, Double> out = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = field(root, name, JsonNode::isObject, "an object").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNumber()) {
                throw new ModelFormatException("model card field '" + name + "." + e.getKey()
                        + "' must be a number, got " + e.getValue());
            }
            out.put(e.getKey(), e.getValue().asDouble());
        }
        return out;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = object.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
        }
        return out;
    }
}
