package io.geocrop.embedded;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.extraction.ImagerySource;
import io.geocrop.imagery.sim.SimulatedDeaServer;
import io.geocrop.tiles.BaselineSource;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.AbstractPropertySourceLoader;
import io.micronaut.context.env.EnvironmentPropertySource;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulated imagery is the embedded runtime's default, not the functions': apps/embedded wires the simulated
 * DEA and baselines itself, and an explicit {@code stac} (option, system property or environment) still means the
 * real catalogue with no simulation at all.
 */
class EmbeddedImageryDefaultTest {

    private static ApplicationContext start(Path home, Map<String, Object> more) {
        Map<String, Object> props = new HashMap<>(Map.of("geocrop.home", home.toString(), "micronaut.server.port", -1));
        props.putAll(more);
        return EmbeddedApplication.start(props);
    }

    @Test
    void byDefaultExtractFeaturesReadsTheSimulatedDeaOverLoopbackAndBaselinesAreGenerated(@TempDir Path home) {
        try (ApplicationContext app = start(home, Map.of())) {
            ImagerySource imagery = app.getBean(ImagerySource.class);
            SimulatedDeaServer dea = app.getBean(SimulatedDeaServer.class);
            assertTrue(imagery.describe().contains(dea.stacUri().toString()), imagery.describe());
            assertInstanceOf(SimulatedBaselineSource.class, app.getBean(BaselineSource.class));
        }
    }

    @Test
    void stacAsASystemPropertyWinsOverTheEmbeddedDefault(@TempDir Path home) {
        String before = System.getProperty("geocrop.imagery.source");
        System.setProperty("geocrop.imagery.source", "stac");
        try (ApplicationContext app = start(home, Map.of())) {
            assertTrue(app.getBean(ImagerySource.class).describe().contains("explorer.digitalearth.africa"),
                    app.getBean(ImagerySource.class).describe());
            assertFalse(app.containsBean(SimulatedDeaServer.class), "no simulated DEA with the real catalogue");
            assertFalse(app.containsBean(BaselineSource.class), "baselines are only what is stored");
        } finally {
            if (before == null) {
                System.clearProperty("geocrop.imagery.source");
            } else {
                System.setProperty("geocrop.imagery.source", before);
            }
        }
    }

    @Test
    void theEmbeddedDefaultSitsBetweenApplicationYmlAndTheEnvironment() {
        // GEOCROP_IMAGERY_SOURCE=stac must keep meaning real DEA: environment variables outrank this default.
        int order = EmbeddedApplication.EMBEDDED_DEFAULTS.getOrder();
        assertTrue(order > AbstractPropertySourceLoader.DEFAULT_POSITION, "over application.yml: " + order);
        assertTrue(order < EnvironmentPropertySource.POSITION, "under environment variables: " + order);
    }
}
