package io.geocrop.cli;

import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.ObjectCreatedListener;
import io.geocrop.storage.ObjectStore;
import io.geocrop.storage.S3ObjectStore;
import io.geocrop.storage.S3StoreSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The object store a command writes to, from the same settings as the functions: local under GEOCROP_HOME
 * ({@code GEOCROP_STORAGE_ROOT} overrides), or S3/MinIO with {@code GEOCROP_STORAGE_BACKEND=s3} and the
 * {@code GEOCROP_S3_*} variables.
 */
final class CliStorage {
    private CliStorage() {}

    /** {@code --home}, else {@code $GEOCROP_HOME}, else {@code ~/.geocrop}. */
    static Path home(Path option) {
        if (option != null) {
            return option.toAbsolutePath();
        }
        String env = System.getenv("GEOCROP_HOME");
        return Path.of(env != null && !env.isBlank() ? env : System.getProperty("user.home") + "/.geocrop");
    }

    /** The configured store, its buckets created if missing. */
    static ObjectStore objectStore(Path home) {
        String backend = env("GEOCROP_STORAGE_BACKEND", "local").toLowerCase(Locale.ROOT);
        ObjectStore store = switch (backend) {
            case "local" -> new LocalObjectStore(Path.of(env("GEOCROP_STORAGE_ROOT", home.resolve("storage").toString())),
                    ObjectCreatedListener.NONE);
            case "s3" -> {
                String endpoint = env("GEOCROP_S3_ENDPOINT", "http://127.0.0.1:9000");
                String key = env("GEOCROP_S3_ACCESS_KEY", null);
                String secret = env("GEOCROP_S3_SECRET_KEY", null);
                if (key == null || secret == null) {
                    throw new CliException("GEOCROP_STORAGE_BACKEND=s3 needs GEOCROP_S3_ACCESS_KEY and GEOCROP_S3_SECRET_KEY", 2);
                }
                yield S3ObjectStore.create(new S3StoreSettings(URI.create(endpoint), env("GEOCROP_S3_REGION", "us-east-1"),
                        key, secret, true));
            }
            default -> throw new CliException("GEOCROP_STORAGE_BACKEND must be local or s3, got " + backend, 2);
        };
        store.ensureBuckets();
        return store;
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
