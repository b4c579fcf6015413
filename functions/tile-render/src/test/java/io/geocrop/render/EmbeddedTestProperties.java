package io.geocrop.render;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Properties for a throw-away embedded runtime: its own temp home and in-memory H2 database. */
final class EmbeddedTestProperties {
    private EmbeddedTestProperties() {}

    static Map<String, String> with(Map<String, String> extra) {
        try {
            Map<String, String> props = new HashMap<>();
            props.put("geocrop.home", Files.createTempDirectory("geocrop-test").toString());
            props.put("datasources.default.url", "jdbc:h2:mem:t-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            props.put("micronaut.server.port", "-1");
            props.putAll(extra);
            return props;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
