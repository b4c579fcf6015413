package io.geocrop.models;

import io.geocrop.features.FeatureOrder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestModelsTest {

    @Test
    void smallModelIsAV1ModelAndStable() {
        ModelArtifact a = TestModels.small();
        ModelArtifact b = TestModels.small();
        assertNotSame(a.onnx(), b.onnx(), "callers may not share (and mutate) one array");
        assertArrayEquals(a.onnx(), b.onnx());
        assertEquals(FeatureOrder.HASH_V1, a.card().featureOrderHash());
        assertEquals(FeatureOrder.FEATURE_ORDER_V1, a.card().featureNames());
        assertEquals(TestModels.CLASS_CODES, a.card().classCodes());
        assertEquals("1", a.card().version());
        assertTrue(a.card().synthetic());
        assertTrue(TestModels.smallTrained().evaluation().overallAccuracy() > 0.9,
                "OA " + TestModels.smallTrained().evaluation().overallAccuracy());
        ModelCards.requireFeatureOrderV1(a.card());
    }
}
