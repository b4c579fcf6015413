package io.geocrop.storage;

import io.micronaut.objectstorage.aws.AwsS3Operations;
import io.micronaut.objectstorage.request.UploadRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract against a real S3 server: s3proxy 4.1.0 in-process on an ephemeral loopback port, with an
 * in-memory ("transient") blob store and AWS V4 signatures, reached through the AWS SDK v2 like MinIO would be.
 */
class S3ObjectStoreTest extends ObjectStoreContract {

    private static final String ACCESS_KEY = "geocrop-test";
    private static final String SECRET_KEY = "geocrop-test-secret";
    private static final byte[] DATA = "feature stack".getBytes(StandardCharsets.UTF_8);

    private static InProcessS3 server;
    private static S3StoreSettings settings;
    private static S3Client admin;

    @BeforeAll
    static void startS3Proxy() throws Exception {
        server = InProcessS3.start(ACCESS_KEY, SECRET_KEY);
        settings = server.settings();
        admin = S3ObjectStore.buildClient(settings);
    }

    @AfterAll
    static void stopS3Proxy() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Deletes every object and bucket the previous test left, then hands out a store with its own client. */
    @Override
    protected ObjectStore newEmptyStore() {
        for (var bucket : admin.listBuckets().buckets()) {
            for (S3Object object : admin.listObjectsV2Paginator(b -> b.bucket(bucket.name())).contents()) {
                admin.deleteObject(b -> b.bucket(bucket.name()).key(object.key()));
            }
            admin.deleteBucket(b -> b.bucket(bucket.name()));
        }
        return S3ObjectStore.create(settings);
    }

    @Override
    protected List<String> storeArgumentsForAnotherJvm() {
        return List.of("s3", settings.endpoint().toString(), ACCESS_KEY, SECRET_KEY);
    }

    @Test
    void operationsAreMicronautsAwsS3Operations() {
        for (Bucket bucket : Bucket.values()) {
            assertInstanceOf(AwsS3Operations.class, store.operations(bucket));
        }
    }

    @Test
    void wrongSecretKeyIsA403NamingBucketAndKey() {
        store.put(Bucket.FEATURES, "jobs/j/1.tif", DATA, "image/tiff");
        try (S3ObjectStore wrong = S3ObjectStore.create(settings.withSecretKey("not-the-secret"))) {
            StorageException put = assertThrows(StorageException.class,
                    () -> wrong.put(Bucket.FEATURES, "jobs/j/2.tif", DATA, "image/tiff"));
            assertEquals(403, put.statusCode());
            assertTrue(put.getMessage().contains("geocrop-features"), put.getMessage());
            assertTrue(put.getMessage().contains("jobs/j/2.tif"), put.getMessage());
            assertTrue(put.getMessage().contains("403"), put.getMessage());
            assertTrue(put.getMessage().contains("secret key"), put.getMessage());

            StorageException get = assertThrows(StorageException.class,
                    () -> wrong.get(Bucket.FEATURES, "jobs/j/1.tif"));
            assertEquals(403, get.statusCode());
            assertTrue(get.getMessage().contains("jobs/j/1.tif"), get.getMessage());
            StorageException head = assertThrows(StorageException.class,
                    () -> wrong.head(Bucket.FEATURES, "jobs/j/1.tif"));
            assertEquals(403, head.statusCode());
            StorageException range = assertThrows(StorageException.class,
                    () -> wrong.readRange(Bucket.FEATURES, "jobs/j/1.tif", 0, 4));
            assertEquals(403, range.statusCode());
            StorageException list = assertThrows(StorageException.class,
                    () -> wrong.list(Bucket.FEATURES, "jobs/"));
            assertEquals(403, list.statusCode());
            StorageException upload = assertThrows(StorageException.class,
                    () -> wrong.operations(Bucket.FEATURES)
                            .upload(UploadRequest.fromBytes(DATA, "jobs/j/3.tif")));
            assertEquals(403, upload.statusCode());
            assertTrue(upload.getMessage().contains("jobs/j/3.tif"), upload.getMessage());
        }
        assertEquals(List.of("jobs/j/1.tif"),
                keysOf(store.list(Bucket.FEATURES, "")));
    }

    @Test
    void unreachableEndpointNamesTheEndpoint() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort);
        try (S3ObjectStore unreachable = S3ObjectStore.create(S3StoreSettings.minio(nowhere, ACCESS_KEY, SECRET_KEY))) {
            StorageException e = assertThrows(StorageException.class,
                    () -> unreachable.put(Bucket.RESULTS, "results/x.json", DATA, null));
            assertTrue(e.getMessage().contains(nowhere.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("geocrop-results") && e.getMessage().contains("results/x.json"),
                    e.getMessage());
        }
    }

    @Test
    void uploadConsumerCannotRedirectToAnotherBucketOrAnUnsafeKey() {
        S3BucketOperations operations = (S3BucketOperations) store.operations(Bucket.FEATURES);
        UploadRequest request = UploadRequest.fromBytes(DATA, "uploads/a.tif", "image/tiff");

        assertThrows(IllegalArgumentException.class,
                () -> operations.upload(request, builder -> builder.bucket("geocrop-models")));
        assertThrows(UnsafeKeyException.class, () -> operations.upload(request, builder -> builder.key("../a.tif")));
        operations.upload(request, builder -> builder.contentType("image/tiff; application=geotiff"));

        assertEquals("image/tiff; application=geotiff",
                store.head(Bucket.FEATURES, "uploads/a.tif").orElseThrow().contentType());
        assertEquals(List.of(), store.list(Bucket.MODELS, ""));
    }

    @Test
    void settingsNeverPrintTheSecret() {
        assertTrue(!settings.toString().contains(SECRET_KEY), settings.toString());
        assertThrows(IllegalArgumentException.class, () -> settings.withSecretKey(" "));
        assertThrows(IllegalArgumentException.class,
                () -> new S3StoreSettings(URI.create("minio:9000"), "us-east-1", "a", "b", true));
    }
}
