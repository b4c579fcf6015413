package io.geocrop.storage;

import io.geocrop.domain.cost.WorkMeter;
import io.micronaut.objectstorage.aws.AwsS3ObjectStorageEntry;
import io.micronaut.objectstorage.request.FileUploadRequest;
import io.micronaut.objectstorage.request.UploadRequest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The cluster {@link ObjectStore}: MinIO (or any S3). Whole-object put, get and delete go through Micronaut Object
 * Storage's {@code AwsS3Operations} ({@link S3BucketOperations}, one per bucket); the AWS SDK v2 {@link S3Client}
 * is used directly only for what that module lacks, each place saying so: range reads, object metadata (head),
 * listing with a prefix and sizes, and bucket creation. Objects are written with single-part PUTs, so their ETag
 * is the hex MD5 of the content, as in the local store. It emits no events: on a cluster, MinIO's bucket
 * notification does that.
 */
public final class S3ObjectStore implements ObjectStore {

    private static final String US_EAST_1 = "us-east-1";

    private final S3Client client;
    private final boolean ownsClient;
    private final Map<Bucket, S3BucketOperations> operations = new EnumMap<>(Bucket.class);

    /**
     * Wraps a client the caller keeps owning: {@link #close()} leaves it open.
     *
     * @param client an S3 client, e.g. from {@link #buildClient(S3StoreSettings)}
     */
    public S3ObjectStore(S3Client client) {
        this(client, false);
    }

    private S3ObjectStore(S3Client client, boolean ownsClient) {
        this.client = Objects.requireNonNull(client, "client");
        this.ownsClient = ownsClient;
        for (Bucket bucket : Bucket.values()) {
            operations.put(bucket, new S3BucketOperations(client, bucket));
        }
    }

    /** A store with its own client built from {@code settings}; {@link #close()} closes that client. */
    public static S3ObjectStore create(S3StoreSettings settings) {
        return new S3ObjectStore(buildClient(settings), true);
    }

    /**
     * Builds the S3 client GeoCrop uses: static credentials, the configured region and endpoint, path-style
     * addressing if asked, the Apache HTTP client, and checksums only where S3 requires them (newer SDK
     * defaults add CRC trailers that S3-compatible servers such as older MinIO releases reject).
     */
    public static S3Client buildClient(S3StoreSettings settings) {
        Objects.requireNonNull(settings, "settings");
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())))
                .forcePathStyle(settings.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60)));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder.build();
    }

    /** The underlying client, for what this API does not cover (presigning, multipart). */
    public S3Client client() {
        return client;
    }

    @Override
    public S3BucketOperations operations(Bucket bucket) {
        return operations.get(Objects.requireNonNull(bucket, "bucket"));
    }

    @Override
    public void ensureBuckets() {
        // Raw SDK: Micronaut Object Storage works on buckets that exist; it neither checks nor creates them.
        for (Bucket bucket : Bucket.values()) {
            try {
                client.headBucket(b -> b.bucket(bucket.bucketName()));
            } catch (NoSuchBucketException e) {
                createBucket(bucket);
            } catch (S3Exception e) {
                if (e.statusCode() != 404) {
                    throw translate(client, bucket, null, "check the bucket", e);
                }
                createBucket(bucket);
            } catch (SdkException e) {
                throw translate(client, bucket, null, "check the bucket", e);
            }
        }
    }

    @Override
    public void put(Bucket bucket, String key, byte[] data, String contentType) {
        ObjectKeys.requireSafe(key);
        Objects.requireNonNull(data, "data");
        WorkMeter.countWritten(data.length); // charged to the job whose work writes this, if any
        upload(bucket, key, UploadRequest.fromBytes(data, key, contentTypeOrDefault(contentType)));
    }

    @Override
    public void put(Bucket bucket, String key, Path file, String contentType) {
        ObjectKeys.requireSafe(key);
        Objects.requireNonNull(file, "file");
        countWritten(file);
        // Streamed from the file by the module (RequestBody.fromFile), never read into memory.
        upload(bucket, key, new FileUploadRequest(key, contentTypeOrDefault(contentType), file, Map.of()));
    }

    @Override
    public Optional<InputStream> get(Bucket bucket, String key) {
        // The module answers a missing key with empty and translates other failures (S3BucketOperations).
        return operations(bucket).retrieve(key).map(AwsS3ObjectStorageEntry::getInputStream);
    }

    @Override
    public byte[] readRange(Bucket bucket, String key, long offset, int length) {
        ObjectKeys.requireSafe(key);
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("invalid range for " + StorageException.describe(bucket.bucketName(), key)
                    + ": offset " + offset + " and length " + length + " must not be negative");
        }
        if (length == 0) {
            // HTTP cannot ask for zero bytes; answer from the object's size instead.
            ObjectInfo info = head(bucket, key).orElseThrow(() -> new ObjectNotFoundException(bucket.bucketName(), key, null));
            if (offset > info.size()) {
                throw new InvalidRangeException(bucket.bucketName(), key, offset, info.size(), null);
            }
            return new byte[0];
        }
        // Raw SDK: Micronaut Object Storage retrieves whole objects only; a COG is read by byte ranges.
        long last = offset > Long.MAX_VALUE - length ? Long.MAX_VALUE : offset + length - 1;
        String range = "bytes=" + offset + "-" + last;
        try (ResponseInputStream<GetObjectResponse> in =
                     client.getObject(b -> b.bucket(bucket.bucketName()).key(key).range(range))) {
            if (in.response().contentRange() == null && offset > 0) {
                // A server that ignores Range answers 200 with the whole object: cut the range out ourselves.
                long skipped = in.skip(offset);
                while (skipped < offset) {
                    if (in.read() < 0) {
                        throw new InvalidRangeException(bucket.bucketName(), key, offset, skipped, null);
                    }
                    skipped++;
                    skipped += in.skip(offset - skipped);
                }
            }
            return in.readNBytes(length);
        } catch (NoSuchKeyException e) {
            throw new ObjectNotFoundException(bucket.bucketName(), key, e);
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                long size = head(bucket, key).map(ObjectInfo::size).orElse(-1L);
                throw new InvalidRangeException(bucket.bucketName(), key, offset, size, e);
            }
            throw translate(client, bucket, key, "read " + range + " of the object", e);
        } catch (SdkException e) {
            throw translate(client, bucket, key, "read " + range + " of the object", e);
        } catch (IOException e) {
            throw new StorageException(bucket.bucketName(), key, "reading " + range + " failed: " + e, e);
        }
    }

    @Override
    public Optional<ObjectInfo> head(Bucket bucket, String key) {
        ObjectKeys.requireSafe(key);
        // Raw SDK: the module's exists() answers yes or no; size, ETag, content type and time need HEAD itself.
        try {
            HeadObjectResponse response = client.headObject(b -> b.bucket(bucket.bucketName()).key(key));
            return Optional.of(new ObjectInfo(key, response.contentLength(), unquote(response.eTag()),
                    response.contentType(), response.lastModified()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            // HEAD responses have no body, so a missing bucket is a bare 404 as well: both mean "no such object".
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw translate(client, bucket, key, "head the object", e);
        } catch (SdkException e) {
            throw translate(client, bucket, key, "head the object", e);
        }
    }

    @Override
    public List<ObjectInfo> list(Bucket bucket, String prefix) {
        ObjectKeys.requireSafePrefix(prefix);
        List<ObjectInfo> result = new ArrayList<>();
        // Raw SDK: the module's listObjects() lists a whole bucket's keys, without a prefix, sizes or ETags.
        try {
            var pages = client.listObjectsV2Paginator(b -> {
                b.bucket(bucket.bucketName());
                if (!prefix.isEmpty()) {
                    b.prefix(prefix);
                }
            });
            for (S3Object object : pages.contents()) {
                result.add(new ObjectInfo(object.key(), object.size(), unquote(object.eTag()), null,
                        object.lastModified()));
            }
        } catch (SdkException e) {
            throw translate(client, bucket, prefix, "list the objects under this prefix", e);
        }
        result.sort(ObjectInfo.BY_KEY);
        return result;
    }

    @Override
    public boolean delete(Bucket bucket, String key) {
        ObjectKeys.requireSafe(key);
        // S3 answers 204 whether or not the key existed; ask first to tell the caller which it was (head, not the
        // module's exists(), so a missing bucket answers "no object" as the interface says).
        if (head(bucket, key).isEmpty()) {
            return false;
        }
        operations(bucket).delete(key);
        return true;
    }

    /** Closes the client if this store built it. */
    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    @Override
    public String toString() {
        return "S3ObjectStore[" + endpointOf(client) + "]";
    }

    private void upload(Bucket bucket, String key, UploadRequest request) {
        try {
            operations(bucket).upload(request);
        } catch (java.io.UncheckedIOException e) {
            throw new StorageException(bucket.bucketName(), key, "reading the content to upload failed: " + e, e);
        }
    }

    private static String contentTypeOrDefault(String contentType) {
        return contentType == null || contentType.isBlank() ? DEFAULT_CONTENT_TYPE : contentType;
    }

    private void createBucket(Bucket bucket) {
        String region = client.serviceClientConfiguration().region().id();
        CreateBucketRequest.Builder request = CreateBucketRequest.builder().bucket(bucket.bucketName());
        if (!US_EAST_1.equals(region)) {
            // AWS wants the region spelled out everywhere but us-east-1; MinIO accepts it either way.
            request.createBucketConfiguration(c -> c.locationConstraint(region));
        }
        try {
            client.createBucket(request.build());
        } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException e) {
            // Another instance created it between our check and our create: that is what we wanted.
        } catch (SdkException e) {
            throw translate(client, bucket, null, "create the bucket", e);
        }
    }

    /**
     * Turns an AWS SDK failure into a {@link StorageException} that names the bucket, the key, the HTTP status and
     * S3's error code, with a hint for the usual causes.
     */
    static StorageException translate(S3Client client, Bucket bucket, String key, String action, Throwable e) {
        // action is a phrase such as "put the object": the message reads "cannot put the object: HTTP 403 ..."
        String bucketName = bucket.bucketName();
        if (e instanceof NoSuchKeyException && key != null) {
            return new ObjectNotFoundException(bucketName, key, e);
        }
        if (e instanceof S3Exception s3) {
            AwsErrorDetails details = s3.awsErrorDetails();
            String code = details == null ? null : details.errorCode();
            String text = details == null ? null : details.errorMessage();
            StringBuilder message = new StringBuilder("cannot ").append(action)
                    .append(": HTTP ").append(s3.statusCode());
            if (code != null) {
                message.append(' ').append(code);
            }
            if (text != null && !text.isBlank()) {
                message.append(" (").append(text).append(')');
            }
            if (s3.statusCode() == 403) {
                message.append("; check the access key and secret key configured for ").append(endpointOf(client));
            } else if ("NoSuchBucket".equals(code)) {
                message.append("; the bucket does not exist, call ensureBuckets() first");
            }
            return new StorageException(bucketName, key, s3.statusCode(), message.toString(), e);
        }
        if (e instanceof SdkClientException) {
            return new StorageException(bucketName, key, "cannot " + action + ": S3 at " + endpointOf(client) + " did not answer: " + e.getMessage(), e);
        }
        return new StorageException(bucketName, key, "cannot " + action + ": " + e, e);
    }

    private static String endpointOf(S3Client client) {
        return client.serviceClientConfiguration().endpointOverride().map(URI::toString)
                .orElse("AWS S3 (" + client.serviceClientConfiguration().region() + ")");
    }

    /** S3 quotes ETags ({@code "abc"}); GeoCrop passes them around bare, as MinIO's notifications do. */
    static String unquote(String eTag) {
        if (eTag != null && eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")) {
            return eTag.substring(1, eTag.length() - 1);
        }
        return eTag;
    }

    /** Charges the file's size to the job whose work writes it, if any (an unreadable size is left to the upload). */
    private static void countWritten(Path file) {
        if (WorkMeter.current() != null) {
            try {
                WorkMeter.countWritten(java.nio.file.Files.size(file));
            } catch (java.io.IOException e) {
                // the upload itself reports the file's problem
            }
        }
    }
}
