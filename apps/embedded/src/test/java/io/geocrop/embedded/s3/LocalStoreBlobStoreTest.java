package io.geocrop.embedded.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.storage.Bucket;
import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.ObjectCreatedKind;
import io.geocrop.storage.StoredObjectEvent;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 API over the local store, spoken to with the AWS SDK: objects land as the store's own files, each created
 * object is announced with the kind MinIO would name (Put, Copy, CompleteMultipartUpload), reads honour ranges and
 * listings delimiters, and the store's guards hold (fixed buckets, unsafe keys, wrong secret).
 */
class LocalStoreBlobStoreTest {
    private static final String ACCESS = "test-access";
    private static final String SECRET = "test-secret-key-0123456789";

    @TempDir
    Path dir;
    private final List<StoredObjectEvent> events = Collections.synchronizedList(new ArrayList<>());
    private LocalObjectStore store;
    private S3Proxy proxy;
    private S3Client s3;

    @BeforeEach
    void start() throws Exception {
        store = new LocalObjectStore(dir.resolve("storage"), events::add);
        store.ensureBuckets();
        proxy = S3Proxy.builder().blobStore(new LocalStoreBlobStore(store, dir.resolve("parts")))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        s3 = client(SECRET);
    }

    @AfterEach
    void stop() throws Exception {
        s3.close();
        proxy.stop();
        store.close();
    }

    private S3Client client(String secret) {
        return S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + proxy.getPort()))
                .region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, secret)))
                .build();
    }

    @Test
    void putCopyAndMultipartAreTheStoresObjectsAndAnnouncedByKind() throws Exception {
        byte[] small = "hello".getBytes();
        s3.putObject(b -> b.bucket("geocrop-features").key("uploads/a.tif").contentType("image/tiff"),
                RequestBody.fromBytes(small));
        assertArrayEquals(small, Files.readAllBytes(store.pathOf(Bucket.FEATURES, "uploads/a.tif")));
        assertEquals("image/tiff", store.head(Bucket.FEATURES, "uploads/a.tif").orElseThrow().contentType());

        s3.copyObject(b -> b.sourceBucket("geocrop-features").sourceKey("uploads/a.tif")
                .destinationBucket("geocrop-features").destinationKey("uploads/b.tif"));
        assertArrayEquals(small, Files.readAllBytes(store.pathOf(Bucket.FEATURES, "uploads/b.tif")));

        byte[] big = new byte[12 << 20];
        new Random(7).nextBytes(big);
        String id = s3.createMultipartUpload(b -> b.bucket("geocrop-features").key("uploads/c.tif")).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        int partSize = 5 << 20;
        for (int n = 1, offset = 0; offset < big.length; n++, offset += partSize) {
            int length = Math.min(partSize, big.length - offset);
            int number = n;
            String eTag = s3.uploadPart(b -> b.bucket("geocrop-features").key("uploads/c.tif").uploadId(id)
                    .partNumber(number), RequestBody.fromBytes(java.util.Arrays.copyOfRange(big, offset, offset + length))).eTag();
            parts.add(CompletedPart.builder().partNumber(n).eTag(eTag).build());
        }
        assertEquals(3, s3.listParts(b -> b.bucket("geocrop-features").key("uploads/c.tif").uploadId(id)).parts().size());
        assertTrue(events.stream().noneMatch(e -> e.key().equals("uploads/c.tif")), "nothing is announced before completion");
        s3.completeMultipartUpload(b -> b.bucket("geocrop-features").key("uploads/c.tif").uploadId(id)
                .multipartUpload(m -> m.parts(parts)));
        assertArrayEquals(big, Files.readAllBytes(store.pathOf(Bucket.FEATURES, "uploads/c.tif")));
        assertTrue(Files.list(dir.resolve("parts")).findAny().isEmpty(), "the parts are removed once complete");

        assertEquals(List.of("uploads/a.tif PUT", "uploads/b.tif COPY", "uploads/c.tif COMPLETE_MULTIPART_UPLOAD"),
                events.stream().map(e -> e.key() + " " + e.kind()).toList());
        assertEquals(ObjectCreatedKind.COMPLETE_MULTIPART_UPLOAD.eventName(), "s3:ObjectCreated:CompleteMultipartUpload");

        // Reads: whole, a range, and the listing with a delimiter.
        byte[] range = s3.getObjectAsBytes(b -> b.bucket("geocrop-features").key("uploads/c.tif").range("bytes=100-199"))
                .asByteArray();
        assertArrayEquals(java.util.Arrays.copyOfRange(big, 100, 200), range);
        assertArrayEquals(small, s3.getObjectAsBytes(b -> b.bucket("geocrop-features").key("uploads/a.tif")).asByteArray());
        store.put(Bucket.FEATURES, "jobs/j/t.tif", small, null);
        var listing = s3.listObjectsV2(b -> b.bucket("geocrop-features").delimiter("/"));
        assertEquals(List.of("jobs/", "uploads/"), listing.commonPrefixes().stream().map(p -> p.prefix()).toList());
        assertEquals(List.of("uploads/a.tif", "uploads/b.tif", "uploads/c.tif"),
                s3.listObjectsV2(b -> b.bucket("geocrop-features").prefix("uploads/")).contents().stream()
                        .map(S3Object::key).toList());
        assertEquals(12L << 20, s3.headObject(b -> b.bucket("geocrop-features").key("uploads/c.tif")).contentLength());
        s3.deleteObject(b -> b.bucket("geocrop-features").key("uploads/b.tif"));
        assertTrue(store.head(Bucket.FEATURES, "uploads/b.tif").isEmpty());
        // A missing object is a 404, as on S3.
        assertThrows(software.amazon.awssdk.services.s3.model.NoSuchKeyException.class,
                () -> s3.getObjectAsBytes(b -> b.bucket("geocrop-features").key("uploads/b.tif")));
        S3Exception head = assertThrows(S3Exception.class,
                () -> s3.headObject(b -> b.bucket("geocrop-features").key("uploads/b.tif")));
        assertEquals(404, head.statusCode());
    }

    @Test
    void refusesWhatTheStoreCannotHold() {
        S3Exception noBucket = assertThrows(S3Exception.class, () -> s3.putObject(
                b -> b.bucket("not-ours").key("x"), RequestBody.fromBytes(new byte[1])));
        assertEquals(404, noBucket.statusCode());
        S3Exception create = assertThrows(S3Exception.class, () -> s3.createBucket(b -> b.bucket("another")));
        assertEquals(403, create.statusCode());
        S3Exception unsafe = assertThrows(S3Exception.class, () -> s3.putObject(
                b -> b.bucket("geocrop-features").key("uploads/../../escape"), RequestBody.fromBytes(new byte[1])));
        assertEquals(400, unsafe.statusCode(), unsafe.getMessage());
        try (S3Client wrong = client("not-the-secret")) {
            S3Exception denied = assertThrows(S3Exception.class, () -> wrong.listObjectsV2(b -> b.bucket("geocrop-features")));
            assertEquals(403, denied.statusCode());
        }
        assertTrue(events.isEmpty(), events.toString());
    }
}
