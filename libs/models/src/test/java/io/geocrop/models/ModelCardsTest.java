package io.geocrop.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geocrop.features.FeatureOrder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelCardsTest {

    static ModelCard card(String hash, List<String> names) {
        return new ModelCard("geocrop-crop-type", "3", hash, names, List.of(1, 2, 8, 10),
                "geocrop-datasets/train/2023.csv", Map.of("overall_accuracy", 0.91, "kappa", 0.875, "f1_maize", 0.5),
                Map.of("rounds", "60", "eta", "0.3"), 42, true, Instant.parse("2025-06-01T12:34:56.789Z"));
    }

    @Test
    void roundTripsTheHeldOutConfusionAndReadsCardsWithoutIt() throws Exception {
        ModelCard plain = card(FeatureOrder.HASH_V1, FeatureOrder.FEATURE_ORDER_V1);
        List<List<Long>> confusion = List.of(List.of(5L, 1L, 0L, 0L), List.of(0L, 7L, 0L, 0L), List.of(0L, 0L, 3L, 2L),
                List.of(0L, 0L, 0L, 9L));
        ModelCard c = new ModelCard(plain.name(), plain.version(), plain.featureOrderHash(), plain.featureNames(),
                plain.classCodes(), plain.trainingData(), plain.metrics(), plain.params(), plain.seed(),
                plain.synthetic(), plain.createdAt(), confusion);
        byte[] json = ModelCards.toJson(c);
        assertEquals(c, ModelCards.fromJson(json));
        assertEquals(2L, c.heldOutConfusionArray()[2][3]);
        assertEquals(9, JsonMapper.builder().build().readTree(json).get("held_out_confusion").get(3).get(3).asInt());
        assertTrue(ModelCards.fromJson(ModelCards.toJson(plain)).heldOutConfusion().isEmpty(), "older cards lack it");
        ObjectNode bad = (ObjectNode) JsonMapper.builder().build().readTree(json);
        bad.putArray("held_out_confusion").addArray().add(1);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelCards.fromJson(bad.toString()));
        assertTrue(e.getMessage().contains("held_out_confusion"), e.getMessage());
    }

    @Test
    void roundTripsWithSnakeCaseFields() throws Exception {
        ModelCard c = card(FeatureOrder.HASH_V1, FeatureOrder.FEATURE_ORDER_V1);
        byte[] json = ModelCards.toJson(c);
        assertEquals(c, ModelCards.fromJson(json));
        assertArrayEquals(json, ModelCards.toJson(ModelCards.fromJson(json)), "same card, same bytes");
        JsonNode tree = JsonMapper.builder().build().readTree(json);
        assertEquals(FeatureOrder.HASH_V1, tree.get("feature_order_hash").asText());
        assertEquals("2025-06-01T12:34:56.789Z", tree.get("created_at").asText());
        assertEquals(51, tree.get("feature_names").size());
        assertEquals("water", tree.get("class_ids").get(3).asText());
        assertEquals(0.875, tree.get("metrics").get("kappa").asDouble());
        assertTrue(tree.get("synthetic").asBoolean());
    }

    @Test
    void malformedCardsNameTheField() throws Exception {
        JsonMapper m = JsonMapper.builder().build();
        ObjectNode o = (ObjectNode) m.readTree(ModelCards.toJson(card(FeatureOrder.HASH_V1,
                FeatureOrder.FEATURE_ORDER_V1)));
        o.remove("feature_order_hash");
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelCards.fromJson(m.writeValueAsBytes(o)));
        assertTrue(e.getMessage().contains("feature_order_hash"), e.getMessage());
        o.put("feature_order_hash", "x");
        o.put("created_at", "yesterday");
        e = assertThrows(ModelFormatException.class, () -> ModelCards.fromJson(m.writeValueAsBytes(o)));
        assertTrue(e.getMessage().contains("created_at"), e.getMessage());
        o.put("created_at", "2025-01-01T00:00:00Z");
        o.putArray("class_codes").add("maize");
        e = assertThrows(ModelFormatException.class, () -> ModelCards.fromJson(m.writeValueAsBytes(o)));
        assertTrue(e.getMessage().contains("class_codes"), e.getMessage());
        assertThrows(ModelFormatException.class, () -> ModelCards.fromJson("not json"));
        assertThrows(ModelFormatException.class, () -> ModelCards.fromJson("[1, 2]"));
    }

    @Test
    void refusesAnotherFeatureOrder() {
        assertDoesNotThrow(() -> ModelCards.requireFeatureOrderV1(card(FeatureOrder.HASH_V1,
                FeatureOrder.FEATURE_ORDER_V1)));
        List<String> swapped = new ArrayList<>(FeatureOrder.FEATURE_ORDER_V1);
        swapped.set(0, FeatureOrder.FEATURE_ORDER_V1.get(1));
        swapped.set(1, FeatureOrder.FEATURE_ORDER_V1.get(0));
        String otherHash = FeatureOrder.hashOf(swapped);
        FeatureOrderMismatchException e = assertThrows(FeatureOrderMismatchException.class,
                () -> ModelCards.requireFeatureOrderV1(card(otherHash, swapped)));
        assertTrue(e.getMessage().contains(otherHash) && e.getMessage().contains(FeatureOrder.HASH_V1),
                e.getMessage());
        assertTrue(e.getMessage().contains("geocrop-crop-type version 3"), e.getMessage());
        assertEquals(otherHash, e.modelHash());
        // A card claiming HASH_V1 while listing other names is caught too.
        e = assertThrows(FeatureOrderMismatchException.class,
                () -> ModelCards.requireFeatureOrderV1(card(FeatureOrder.HASH_V1, swapped)));
        assertTrue(e.getMessage().contains("inconsistent"), e.getMessage());
    }
}
