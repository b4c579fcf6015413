package io.geocrop.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.features.FeatureOrder;
import io.geocrop.models.ModelArtifact;
import io.geocrop.models.PixelClassifier;
import io.geocrop.models.ProgressListener;
import io.geocrop.models.TrainingData;
import io.geocrop.models.TrainingParams;
import io.geocrop.models.XgbTrainer;
import io.geocrop.registry.ModelRegistry;
import io.geocrop.registry.ObjectStoreModelRegistry;
import io.geocrop.scoring.ModelProvider;
import io.geocrop.scoring.ModelSource;
import io.geocrop.scoring.NoModelException;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded demo-model bootstrap: wired in front of score-tile's registry source only in the embedded runtime with
 * simulated imagery, and never training when the registry already has a model (loadable or not).
 */
class DemoModelSourceTest {

    private static ApplicationContext start(Path home, Map<String, Object> more) {
        Map<String, Object> props = new java.util.HashMap<>(Map.of("geocrop.home", home.toString(),
                "micronaut.server.port", -1));
        props.putAll(more);
        return EmbeddedApplication.start(props);
    }

    @Test
    void isTheModelSourceOfTheEmbeddedRuntimeUnlessTurnedOff(@TempDir Path home) {
        try (ApplicationContext app = start(home.resolve("a"), Map.of())) {
            assertInstanceOf(DemoModelSource.class, app.getBean(ModelSource.class));
        }
        try (ApplicationContext app = start(home.resolve("b"), Map.of("geocrop.models.train-demo-if-missing", false))) {
            assertInstanceOf(ModelProvider.class, app.getBean(ModelSource.class));
        }
        try (ApplicationContext app = start(home.resolve("c"), Map.of("geocrop.imagery.source", "stac"))) {
            assertInstanceOf(ModelProvider.class, app.getBean(ModelSource.class), "no demo model without simulated imagery");
        }
    }

    @Test
    void servesARegisteredModelWithoutTrainingAndNeverTrainsOverABrokenOne(@TempDir Path home) {
        try (ApplicationContext app = start(home, Map.of())) {
            DemoModelSource source = (DemoModelSource) app.getBean(ModelSource.class);
            ModelRegistry registry = app.getBean(ModelRegistry.class);
            assertInstanceOf(ObjectStoreModelRegistry.class, registry);
            ModelArtifact published = registry.publish(tinyModel("geocrop-crop-type"), "champion");

            PixelClassifier classifier = source.classifier();
            assertEquals(published.card().version(), classifier.card().version());
            assertEquals("geocrop-crop-type", classifier.card().name());
            assertTrue(source.training().isEmpty());
            assertEquals(List.of("1"), ((ObjectStoreModelRegistry) registry).versions("geocrop-crop-type"));
        }
        Path other = home.resolve("broken");
        try (ApplicationContext app = start(other, Map.of())) {
            DemoModelSource source = (DemoModelSource) app.getBean(ModelSource.class);
            ModelRegistry registry = app.getBean(ModelRegistry.class);
            ModelArtifact good = tinyModel("geocrop-crop-type");
            registry.publish(new ModelArtifact(good.card(), new byte[] {1, 2, 3, 4}), "champion");

            NoModelException e = assertThrows(NoModelException.class, source::classifier);
            assertTrue(e.getMessage().contains("cannot be loaded"), e.getMessage());
            assertEquals(List.of("1"), ((ObjectStoreModelRegistry) registry).versions("geocrop-crop-type"),
                    "a registered model that does not load is reported, not trained over");
        }
    }

    /** A real (tiny) XGBoost model: two classes told apart by the first feature. */
    private static ModelArtifact tinyModel(String name) {
        int n = 200;
        int f = FeatureOrder.COUNT;
        float[] rows = new float[n * f];
        int[] labels = new int[n];
        int[] groups = new int[n];
        Random random = new Random(1);
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2 == 0 ? 1 : 8;
            groups[i] = i % 8;
            for (int k = 0; k < f; k++) {
                rows[i * f + k] = random.nextFloat();
            }
            rows[i * f] = labels[i] == 1 ? 0.8f : 0.2f;
        }
        return new XgbTrainer().train(new TrainingData(rows, labels, groups, f), new TrainingParams(3, 2, 0.3, 1, 1, 0.25),
                name, "synthetic rows", true, ProgressListener.NONE).artifact();
    }
}
