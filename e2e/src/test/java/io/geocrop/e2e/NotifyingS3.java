package io.geocrop.e2e;

import io.geocrop.storage.InProcessS3;

import io.geocrop.events.S3Notifications;
import io.geocrop.storage.StoredObjectEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real S3 server (s3proxy, in-memory, AWS V4 auth) that also does what MinIO's bucket notifications do: after each
 * object is stored (a PUT, a server-side copy, or the completion of a multipart upload, each with MinIO's event name
 * {@code s3:ObjectCreated:Put|Copy|CompleteMultipartUpload}) it POSTs MinIO's webhook body ({@link S3Notifications#minioNotification}) to a webhook target
 * with {@code Authorization: Bearer <token>}, asynchronously, retrying for a while if the target is down (MinIO
 * keeps a queue). Here the target is submit-job's {@code /webhooks/minio}, as on the cluster.
 */
final class NotifyingS3 implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NotifyingS3.class);

    private final S3Proxy proxy;
    private final BlobStore blobs;
    private final ExecutorService notifier = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicLong sent = new AtomicLong();
    private final java.util.concurrent.ConcurrentHashMap<String, Long> sentByName = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile URI webhook;
    private volatile String token;

    private NotifyingS3(S3Proxy proxy, BlobStore blobs) {
        this.proxy = proxy;
        this.blobs = blobs;
    }

    static NotifyingS3 start(String accessKey, String secretKey) throws Exception {
        BlobStore memory = BlobStores.create("transient", new Properties());
        NotifyingS3[] self = new NotifyingS3[1];
        BlobStore notifying = new ForwardingBlobStore(memory) {
            @Override
            public PutObjectResponse putBlob(PutObjectRequest request, java.io.InputStream content) {
                PutObjectResponse response = super.putBlob(request, content);
                self[0].send(new StoredObjectEvent(request.bucket(), request.key(),
                        request.contentLength() == null ? 0 : request.contentLength(),
                        response.eTag() == null ? null : response.eTag().replace("\"", ""), request.contentType(), Instant.now()),
                        "s3:ObjectCreated:Put");
                return response;
            }

            @Override
            public CopyObjectResponse copyBlob(CopyObjectRequest request) {
                CopyObjectResponse response = super.copyBlob(request);
                self[0].sendStored(this, request.destinationBucket(), request.destinationKey(), "s3:ObjectCreated:Copy");
                return response;
            }

            @Override
            public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload mpu, CompleteMultipartUploadRequest request) {
                CompleteMultipartUploadResponse response = super.completeMultipartUpload(mpu, request);
                // MinIO's name for an object assembled from parts (what mc and the AWS CLI send above 8-16 MiB).
                self[0].sendStored(this, mpu.containerName(), mpu.blobName(), "s3:ObjectCreated:CompleteMultipartUpload");
                return response;
            }
        };
        S3Proxy proxy = InProcessS3.startProxy(notifying, accessKey, secretKey);
        self[0] = new NotifyingS3(proxy, memory);
        return self[0];
    }

    /** Where notifications go from now on (MinIO's {@code notify_webhook} target). */
    void notifyTo(URI webhook, String token) {
        this.webhook = webhook;
        this.token = token;
    }

    String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    BlobStore blobs() {
        return blobs;
    }

    long notificationsSent() {
        return sent.get();
    }

    /** Counts of notifications by MinIO event name, as sent (accepted by the webhook). */
    java.util.Map<String, Long> sentByEventName() {
        return java.util.Map.copyOf(sentByName);
    }

    // The stored object's size, ETag and type, as MinIO reports them for copies and multipart uploads.
    private void sendStored(BlobStore store, String bucket, String key, String eventName) {
        HeadObjectResponse head = store.blobMetadata(bucket, key);
        send(new StoredObjectEvent(bucket, key, head.contentLength() == null ? 0 : head.contentLength(),
                head.eTag() == null ? null : head.eTag().replace("\"", ""), head.contentType(), Instant.now()), eventName);
    }

    private void send(StoredObjectEvent event, String eventName) {
        URI target = webhook;
        if (target == null) {
            return;
        }
        byte[] body = S3Notifications.minioNotification(event, eventName);
        notifier.execute(() -> {
            // MinIO retries a webhook target that is down; give up after about a minute, as a full queue would.
            for (int attempt = 1; attempt <= 60; attempt++) {
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(target)
                            .timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + token)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() / 100 == 2) {
                        sent.incrementAndGet();
                        sentByName.merge(eventName, 1L, Long::sum);
                        return;
                    }
                    LOG.warn("Webhook {} answered {} for {}/{}: {}", target, response.statusCode(), event.bucket(),
                            event.key(), response.body());
                } catch (java.io.IOException e) {
                    LOG.debug("Webhook {} unreachable for {}/{}: {}", target, event.bucket(), event.key(), e.toString());
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
            LOG.error("Notification for {}/{} dropped after a minute of retries", event.bucket(), event.key());
        });
    }

    @Override
    public void close() throws Exception {
        notifier.shutdownNow();
        proxy.stop();
    }
}
