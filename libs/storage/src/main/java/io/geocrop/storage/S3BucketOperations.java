package io.geocrop.storage;

import io.micronaut.objectstorage.ObjectStorageException;
import io.micronaut.objectstorage.aws.AwsS3Configuration;
import io.micronaut.objectstorage.aws.AwsS3ObjectStorageEntry;
import io.micronaut.objectstorage.aws.AwsS3Operations;
import io.micronaut.objectstorage.request.BytesUploadRequest;
import io.micronaut.objectstorage.request.FileUploadRequest;
import io.micronaut.objectstorage.request.UploadRequest;
import io.micronaut.objectstorage.response.UploadResponse;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Micronaut's {@link AwsS3Operations} for one GeoCrop bucket, constructed directly (no bean context) and hardened:
 * every key passes {@link ObjectKeys#requireSafe(String)} first, a request consumer may not redirect the upload to
 * another bucket or an unsafe key, vendor errors become {@link StorageException}s naming bucket and key,
 * {@link #listObjects()} pages through buckets of any size, and stream uploads of known size are streamed rather
 * than buffered.
 */
public final class S3BucketOperations extends AwsS3Operations {

    private final S3Client client;
    private final Bucket bucket;

    S3BucketOperations(S3Client client, Bucket bucket) {
        super(configurationFor(bucket), client, S3BucketOperations::readAllBytes);
        this.client = client;
        this.bucket = bucket;
    }

    /** The bucket these operations work on. */
    public Bucket bucket() {
        return bucket;
    }

    /** Uploads after checking the key; a local file is streamed. */
    @Override
    public UploadResponse<PutObjectResponse> upload(UploadRequest request) {
        return upload(request, builder -> { });
    }

    /** Uploads after checking the key, and checks again whatever key and bucket the consumer leaves. */
    @Override
    public UploadResponse<PutObjectResponse> upload(UploadRequest request,
                                                    Consumer<PutObjectRequest.Builder> requestConsumer) {
        Objects.requireNonNull(request, "request");
        String key = ObjectKeys.requireSafe(request.getKey());
        if (request instanceof FileUploadRequest fileRequest) {
            UploadFiles.requireReadable(bucket, key, fileRequest.getPath());
        }
        try {
            return super.upload(request, builder -> {
                requestConsumer.accept(builder);
                PutObjectRequest adjusted = builder.build();
                if (!bucket.bucketName().equals(adjusted.bucket())) {
                    throw new IllegalArgumentException("the upload request consumer changed the bucket of "
                            + StorageException.describe(bucket.bucketName(), key) + " to " + adjusted.bucket());
                }
                ObjectKeys.requireSafe(adjusted.key());
            });
        } catch (ObjectStorageException e) {
            throw S3ObjectStore.translate(client, bucket, key, "upload the object", vendorCause(e));
        }
    }

    /** Opens the object after checking the key; empty when there is none. The caller closes the stream. */
    @Override
    public Optional<AwsS3ObjectStorageEntry> retrieve(String key) {
        ObjectKeys.requireSafe(key);
        try {
            return super.retrieve(key);
        } catch (ObjectStorageException e) {
            throw S3ObjectStore.translate(client, bucket, key, "retrieve the object", vendorCause(e));
        }
    }

    /** Deletes the object after checking the key (S3 answers the same whether or not it existed). */
    @Override
    public DeleteObjectResponse delete(String key) {
        ObjectKeys.requireSafe(key);
        try {
            return super.delete(key);
        } catch (ObjectStorageException e) {
            throw S3ObjectStore.translate(client, bucket, key, "delete the object", vendorCause(e));
        }
    }

    /** Whether there is an object under {@code key}, after checking it. */
    @Override
    public boolean exists(String key) {
        ObjectKeys.requireSafe(key);
        try {
            return super.exists(key);
        } catch (ObjectStorageException e) {
            throw S3ObjectStore.translate(client, bucket, key, "check whether the object exists", vendorCause(e));
        }
    }

    /** Every key of the bucket, in UTF-8 byte order, over as many list pages as it takes. */
    @Override
    public Set<String> listObjects() {
        List<String> keys = new ArrayList<>();
        try {
            for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(bucket.bucketName())).contents()) {
                keys.add(object.key());
            }
        } catch (SdkException e) {
            throw S3ObjectStore.translate(client, bucket, null, "list the objects", e);
        }
        keys.sort(ObjectKeys.UTF8_ORDER);
        return new LinkedHashSet<>(keys);
    }

    /**
     * Copies an object within the bucket after checking both keys.
     *
     * @throws ObjectNotFoundException when there is no object under {@code sourceKey}
     */
    @Override
    public void copy(String sourceKey, String destinationKey) {
        ObjectKeys.requireSafe(sourceKey);
        ObjectKeys.requireSafe(destinationKey);
        try {
            super.copy(sourceKey, destinationKey);
        } catch (ObjectStorageException e) {
            Throwable cause = vendorCause(e);
            if (cause instanceof NoSuchKeyException) {
                throw new ObjectNotFoundException(bucket.bucketName(), sourceKey, cause);
            }
            throw S3ObjectStore.translate(client, bucket, sourceKey, "copy the object to "
                    + ObjectKeys.quote(destinationKey), cause);
        }
    }

    /** Streams uploads whose size is known instead of reading them into memory first, as the parent would. */
    @Override
    protected RequestBody getRequestBody(UploadRequest uploadRequest) {
        if (!(uploadRequest instanceof FileUploadRequest) && !(uploadRequest instanceof BytesUploadRequest)
                && uploadRequest.getContentSize().isPresent()) {
            return RequestBody.fromInputStream(uploadRequest.getInputStream(), uploadRequest.getContentSize().get());
        }
        return super.getRequestBody(uploadRequest);
    }

    @Override
    public String toString() {
        return "S3BucketOperations[" + bucket.bucketName() + "]";
    }

    private static AwsS3Configuration configurationFor(Bucket bucket) {
        AwsS3Configuration configuration = new AwsS3Configuration(bucket.name().toLowerCase(Locale.ROOT));
        configuration.setBucket(bucket.bucketName());
        configuration.setEnabled(true);
        return configuration;
    }

    private static byte[] readAllBytes(java.io.InputStream in) {
        // Micronaut's DefaultInputStreamMapper copies 4 bytes at a time; this is only used for streams of
        // unknown size.
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ObjectStorageException("cannot read the content to upload", e);
        }
    }

    private static Throwable vendorCause(ObjectStorageException e) {
        return e.getCause() != null ? e.getCause() : e;
    }
}
