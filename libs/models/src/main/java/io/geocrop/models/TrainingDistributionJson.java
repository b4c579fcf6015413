package io.geocrop.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** The {@code training_distribution} field of {@code model-card.json}; optional (older cards lack it). */
final class TrainingDistributionJson {
    static final String FIELD = "training_distribution";

    private TrainingDistributionJson() {
    }

    static void write(ObjectNode card, TrainingDistribution d) {
        if (d == null) {
            return;
        }
        ObjectNode o = card.putObject(FIELD);
        o.put("bins", d.bins());
        o.put("pixels", d.pixels());
        ArrayNode features = o.putArray("features");
        for (TrainingDistribution.FeatureBins f : d.features()) {
            ObjectNode n = features.addObject();
            n.put("name", f.name());
            ArrayNode edges = n.putArray("edges");
            f.edges().forEach(edges::add);
            // One share per value bin, then the share of training pixels whose value was missing.
            ArrayNode shares = n.putArray("shares");
            f.shares().forEach(shares::add);
        }
    }

    static TrainingDistribution read(JsonNode card) {
        JsonNode o = card.get(FIELD);
        if (o == null || o.isNull()) {
            return null;
        }
        try {
            if (!o.isObject() || !o.path("bins").isIntegralNumber() || !o.path("pixels").isIntegralNumber()
                    || !o.path("features").isArray()) {
                throw new IllegalArgumentException("must be an object with integer 'bins' and 'pixels' and an array "
                        + "'features'");
            }
            List<TrainingDistribution.FeatureBins> features = new ArrayList<>();
            for (JsonNode f : o.get("features")) {
                features.add(new TrainingDistribution.FeatureBins(f.path("name").asText(null),
                        numbers(f.path("edges")), numbers(f.path("shares"))));
            }
            int expected = card.path("feature_names").size();
            if (features.size() != expected) {
                throw new IllegalArgumentException("has " + features.size() + " features, the card " + expected);
            }
            return new TrainingDistribution(o.get("bins").asInt(), o.get("pixels").asLong(), features);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ModelFormatException("model card field '" + FIELD + "' " + e.getMessage(), e);
        }
    }

    private static List<Double> numbers(JsonNode array) {
        if (!array.isArray()) {
            throw new IllegalArgumentException("feature 'edges' and 'shares' must be arrays of numbers");
        }
        List<Double> out = new ArrayList<>();
        for (JsonNode n : array) {
            if (!n.isNumber()) {
                throw new IllegalArgumentException("feature 'edges' and 'shares' must hold numbers, got " + n);
            }
            out.add(n.asDouble());
        }
        return out;
    }
}
