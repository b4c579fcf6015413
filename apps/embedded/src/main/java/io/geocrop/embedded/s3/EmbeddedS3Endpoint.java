package io.geocrop.embedded.s3;

import io.geocrop.platform.GeoCropSettings;
import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.ObjectStore;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded runtime's S3 API: s3proxy in-process over the local object store ({@link LocalStoreBlobStore}), so
 * the AWS CLI, {@code mc}, boto3 and the AWS SDKs can put feature GeoTIFFs under {@code geocrop-features/uploads/}
 * and fetch results, and every object they create is announced like a MinIO notification (scoring on upload).
 *
 * <p>Settings ({@code geocrop.embedded.s3.*}): {@code enabled} (default true), {@code host} (default 127.0.0.1: the
 * laptop only), {@code port} (default 9000, {@code GEOCROP_EMBEDDED_S3_PORT}; 0 picks a free one),
 * {@code access-key}/{@code secret-key} ({@code GEOCROP_EMBEDDED_S3_ACCESS_KEY}/{@code _SECRET_KEY}; unset: a
 * pair generated for the home, see {@link EmbeddedS3Credentials}). Only with the local store: against MinIO the
 * cluster's own S3 API is the one to use.
 */
@Context
@Requires(property = "geocrop.embedded.s3.enabled", notEquals = "false")
@Requires(property = "geocrop.storage.backend", value = "local", defaultValue = "local")
public final class EmbeddedS3Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedS3Endpoint.class);
    private static final long START_TIMEOUT_NANOS = 20_000_000_000L;
    /** s3proxy holds a non-chunked V4-signed body in memory to check its hash; a feature tile is ~53 MB. */
    private static final long MAX_NON_CHUNKED_BODY = 256L << 20;

    private final S3Proxy proxy;
    private final EmbeddedS3Credentials credentials;
    private final String host;

    EmbeddedS3Endpoint(ObjectStore store, GeoCropSettings settings,
                       @Value("${geocrop.embedded.s3.host:127.0.0.1}") String host,
                       @Value("${geocrop.embedded.s3.port:9000}") int port,
                       @Value("${geocrop.embedded.s3.access-key:}") String accessKey,
                       @Value("${geocrop.embedded.s3.secret-key:}") String secretKey) throws Exception {
        if (!(store instanceof LocalObjectStore local)) {
            throw new IllegalStateException("the embedded S3 endpoint serves the local object store only, got " + store);
        }
        Path home = settings.resolvedHome();
        this.credentials = EmbeddedS3Credentials.resolve(accessKey, secretKey, home);
        this.host = host;
        LocalStoreBlobStore blobs = new LocalStoreBlobStore(local, home.resolve("s3-multipart"));
        this.proxy = S3Proxy.builder()
                .blobStore(blobs)
                .endpoint(URI.create("http://" + host + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, credentials.accessKey(), credentials.secretKey())
                .v4MaxNonChunkedRequestSize(MAX_NON_CHUNKED_BODY)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            throw new IllegalStateException("the embedded S3 endpoint cannot listen on " + host + ":" + port + " ("
                    + e.getMessage() + "); set GEOCROP_EMBEDDED_S3_PORT to a free port, or"
                    + " GEOCROP_EMBEDDED_S3_ENABLED=false", e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        while (!"STARTED".equals(proxy.getState())) {
            if ("FAILED".equals(proxy.getState()) || System.nanoTime() > deadline) {
                proxy.stop();
                throw new IllegalStateException("the embedded S3 endpoint did not start on " + host + ":" + port
                        + " (" + proxy.getState() + "); set GEOCROP_EMBEDDED_S3_PORT to a free port");
            }
            Thread.sleep(10);
        }
        LOG.info("S3 API at {} over {} (access key {})", endpoint(), local.root(), credentials.accessKey());
    }

    /** The endpoint URL, e.g. {@code http://127.0.0.1:9000}. */
    public URI endpoint() {
        return URI.create("http://" + host + ":" + proxy.getPort());
    }

    /** The keys clients sign with. */
    public EmbeddedS3Credentials credentials() {
        return credentials;
    }

    /**
     * What {@code geocrop serve} prints: the endpoint and keys (the secret only when it was generated here; a
     * configured one is already known to whoever set it).
     */
    public String describe() {
        String secret = credentials.generated() ? credentials.secretKey() + "  (generated, kept in "
                + credentials.file() + ")" : "(as set in GEOCROP_EMBEDDED_S3_SECRET_KEY)";
        return "S3 API (uploads to geocrop-features/uploads/ are scored): " + endpoint() + System.lineSeparator()
                + "  AWS_ACCESS_KEY_ID=" + credentials.accessKey() + System.lineSeparator()
                + "  AWS_SECRET_ACCESS_KEY=" + secret;
    }

    @PreDestroy
    void stop() throws Exception {
        proxy.stop();
    }
}
