package io.geocrop.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Properties for a throw-away embedded runtime in a function test: its own temp home, an in-memory H2 database and a
 * random port. Shared through the platform test-jar.
 */
public final class EmbeddedTestProperties {
    private EmbeddedTestProperties() {}

    /** The properties, with {@code extra} on top. */
    public static Map<String, String> with(Map<String, String> extra) {
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
