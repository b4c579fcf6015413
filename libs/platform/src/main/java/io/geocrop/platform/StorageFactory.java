package io.geocrop.platform;

import io.geocrop.events.EventPublisher;
import io.geocrop.events.S3Notifications;
import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.ObjectStore;
import io.geocrop.storage.S3ObjectStore;
import io.geocrop.storage.S3StoreSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The object store: local filesystem (embedded) or S3/MinIO (cluster). The local store announces every
 * object it creates exactly as MinIO's webhook would, through the same S3-to-CloudEvent mapping, so
 * "scoring on upload" works the same way in both modes.
 */
@Factory
final class StorageFactory {
    private static final Logger LOG = LoggerFactory.getLogger(StorageFactory.class);

    @Singleton
    @Bean(preDestroy = "close")
    ObjectStore objectStore(StorageSettings settings, GeoCropSettings geocrop, EventPublisher publisher) {
        ObjectStore store = switch (settings.backend().toLowerCase()) {
            case "local" -> {
                Path root = settings.localRoot() != null ? settings.localRoot() : geocrop.resolvedHome().resolve("storage");
                yield new LocalObjectStore(root, event -> {
                    byte[] notification = S3Notifications.minioNotification(event, event.kind().eventName());
                    S3Notifications.toCloudEvents(notification).forEach(publisher::publish);
                });
            }
            case "s3" -> {
                if (settings.s3Endpoint() == null || settings.s3AccessKey() == null || settings.s3SecretKey() == null) {
                    throw new IllegalStateException("geocrop.storage.backend=s3 needs GEOCROP_S3_ENDPOINT, GEOCROP_S3_ACCESS_KEY and GEOCROP_S3_SECRET_KEY");
                }
                yield S3ObjectStore.create(new S3StoreSettings(URI.create(settings.s3Endpoint()), settings.s3Region(),
                        settings.s3AccessKey(), settings.s3SecretKey(), settings.s3PathStyle()));
            }
            default -> throw new IllegalStateException(
                    "geocrop.storage.backend must be 'local' or 's3', got '" + settings.backend() + "'");
        };
        store.ensureBuckets();
        LOG.info("Object storage: {}", store);
        return store;
    }
}
