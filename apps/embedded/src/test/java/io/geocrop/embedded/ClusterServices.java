package io.geocrop.embedded;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * The cluster services for application tests: the machine's PostgreSQL + PostGIS and Redis (overridable with
 * {@code GEOCROP_TEST_PG_URL}, {@code GEOCROP_TEST_PG_USER}, {@code GEOCROP_TEST_REDIS_URI}) and an S3 server
 * run in-process.
 */
final class ClusterServices {
    static final String PG_URL = System.getenv().getOrDefault("GEOCROP_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    static final String PG_USER = System.getenv().getOrDefault("GEOCROP_TEST_PG_USER", "postgres");
    static final String REDIS = System.getenv().getOrDefault("GEOCROP_TEST_REDIS_URI", "redis://127.0.0.1:6379");

    private ClusterServices() {}

    /** A started s3proxy on an ephemeral loopback port with AWS V4 authentication, and its blob store. */
    record S3Server(S3Proxy proxy, BlobStore blobs) {
        String endpoint() {
            return "http://127.0.0.1:" + proxy.getPort();
        }
    }

    static S3Server startS3(String accessKey, String secretKey) throws Exception {
        BlobStore blobs = BlobStores.create("transient", new Properties());
        S3Proxy proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V4, accessKey, secretKey).build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        return new S3Server(proxy, blobs);
    }

    /** A new empty schema (PostGIS stays in public), so runs on a shared server never collide. */
    static String createSchema(String prefix) throws SQLException {
        String schema = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "")) {
            c.createStatement().execute("CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public");
            c.createStatement().execute("CREATE SCHEMA " + schema);
        }
        return schema;
    }

    static void dropSchema(String schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "")) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    /** The JDBC URL the application gets: its schema first, public (PostGIS) after it. */
    static String jdbcUrl(String schema) {
        return PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema + ",public";
    }
}
