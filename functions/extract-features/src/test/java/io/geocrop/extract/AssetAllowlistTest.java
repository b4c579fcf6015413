package io.geocrop.extract;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.extraction.StacImagerySource;
import io.geocrop.imagery.stac.StacAsset;
import io.geocrop.imagery.stac.StacException;
import io.geocrop.platform.EmbeddedTestProperties;
import io.micronaut.context.ApplicationContext;
import java.net.ServerSocket;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With real imagery ({@code stac}), a catalogue href to loopback is refused before any request (it would reach the
 * pod's own ports: the queue-proxy's, the metrics'); only the explicit opt-in for a local mirror allows it.
 */
class AssetAllowlistTest {

    private static StacAsset asset(URI href) {
        return new StacAsset("red", href, href.toString(), "image/tiff", List.of("data"), 10.0, null, null, 0.0,
                "uint16", 1.0, 0.0);
    }

    private static ApplicationContext stac(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(Map.of("geocrop.imagery.source", "stac",
                "geocrop.imagery.stac-endpoint", "http://127.0.0.1:9/stac/"));
        props.putAll(extra);
        return ApplicationContext.run(new HashMap<>(EmbeddedTestProperties.with(props)));
    }

    @Test
    void loopbackAssetsAreRefusedUnlessOptedIn() throws Exception {
        try (ServerSocket queueProxy = new ServerSocket(0)) {
            URI href = URI.create("http://127.0.0.1:" + queueProxy.getLocalPort() + "/metrics");
            try (ApplicationContext app = stac(Map.of())) {
                StacException refused = assertThrows(StacException.class, () -> app.getBean(StacImagerySource.class).open(asset(href)));
                assertTrue(refused.getMessage().contains("127.0.0.1"), refused.getMessage());
                queueProxy.setSoTimeout(200);
                assertThrows(java.net.SocketTimeoutException.class, queueProxy::accept, "no connection was attempted");
                assertThrows(StacException.class, () -> app.getBean(StacImagerySource.class)
                        .open(asset(URI.create("http://localhost:" + queueProxy.getLocalPort() + "/"))));
            }
            try (ApplicationContext app = stac(Map.of("geocrop.imagery.allow-loopback-assets", "true"))) {
                // Allowed: opening is lazy or reads the header; either way no allowlist refusal.
                try {
                    app.getBean(StacImagerySource.class).open(asset(href)).close();
                } catch (StacException e) {
                    throw new AssertionError("the opt-in allows loopback: " + e.getMessage(), e);
                } catch (Exception e) {
                    // an I/O error reading the fake port is fine: the allowlist let it through
                }
            }
        }
    }
}
