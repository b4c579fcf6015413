package io.geocrop.submit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.platform.EmbeddedTestProperties;
import io.geocrop.platform.security.UnsafeConfigurationException;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A cluster deployment without an API key refuses to start unless the operator declares the demo public. */
class ClusterIngressCheckTest {

    private static Map<String, Object> cluster(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(Map.of("geocrop.storage.backend", "s3",
                "geocrop.storage.s3-endpoint", "http://127.0.0.1:9", "geocrop.storage.s3-access-key", "a",
                "geocrop.storage.s3-secret-key", "b"));
        props.putAll(extra);
        return new HashMap<>(EmbeddedTestProperties.with(props));
    }

    @Test
    void refusesWithoutAKey() {
        Throwable error = assertThrows(RuntimeException.class, () -> ApplicationContext.run(EmbeddedServer.class, cluster(Map.of())).close());
        Throwable cause = error;
        while (cause != null && !(cause instanceof UnsafeConfigurationException)) {
            cause = cause.getCause();
        }
        assertTrue(cause != null, "the reason is an UnsafeConfigurationException: " + error);
        assertTrue(cause.getMessage().contains("GEOCROP_INGRESS_API_KEY"), cause.getMessage());
        assertTrue(cause.getMessage().contains("GEOCROP_INGRESS_PUBLIC_DEMO"), cause.getMessage());
    }

    @Test
    void startsWithAKeyOrAsADeclaredPublicDemoOrAsTheInternalSurface() {
        ApplicationContext.run(EmbeddedServer.class, cluster(Map.of("geocrop.ingress.api-key", "k"))).close();
        ApplicationContext.run(EmbeddedServer.class, cluster(Map.of("geocrop.ingress.public-demo", "true"))).close();
        ApplicationContext.run(EmbeddedServer.class, cluster(Map.of("geocrop.http.surface", "internal"))).close();
    }
}
