package io.geocrop.storage;

import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * A real S3 server (s3proxy over an in-memory blob store) on an ephemeral loopback port, with AWS V4
 * authentication, for tests that need the S3 API without MinIO. Shared through the storage test-jar.
 */
public final class InProcessS3 implements AutoCloseable {
    private final S3Proxy proxy;
    private final BlobStore blobs;
    private final String accessKey;
    private final String secretKey;

    private InProcessS3(S3Proxy proxy, BlobStore blobs, String accessKey, String secretKey) {
        this.proxy = proxy;
        this.blobs = blobs;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** Starts a server that accepts these credentials; waits (at most 10 s) until it serves. */
    public static InProcessS3 start(String accessKey, String secretKey) throws Exception {
        BlobStore blobs = BlobStores.create("transient", new Properties());
        return new InProcessS3(startProxy(blobs, accessKey, secretKey), blobs, accessKey, secretKey);
    }

    /**
     * Starts s3proxy over {@code blobs} on an ephemeral loopback port with AWS V4 authentication; waits (at most
     * 10 s) until it serves. For servers that wrap the blob store (e2e's NotifyingS3 sends MinIO's notifications).
     */
    public static S3Proxy startProxy(BlobStore blobs, String accessKey, String secretKey) throws Exception {
        S3Proxy proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V4, accessKey, secretKey).build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                proxy.stop();
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        return proxy;
    }

    /** The endpoint, e.g. {@code http://127.0.0.1:40123}. */
    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** MinIO-style (path-style) settings for {@link S3ObjectStore} with this server's credentials. */
    public S3StoreSettings settings() {
        return S3StoreSettings.minio(URI.create(endpoint()), accessKey, secretKey);
    }

    /** The blob store behind the server, for looking at what was written without the S3 API. */
    public BlobStore blobs() {
        return blobs;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
