package io.geocrop.embedded.s3;

import io.geocrop.storage.Bucket;
import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.ObjectCreatedKind;
import io.geocrop.storage.ObjectInfo;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.StorageException;
import io.geocrop.storage.UnsafeKeyException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.S3Exceptions;
import org.gaul.s3proxy.blobstore.SdkResponses;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.CreateBucketResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * s3proxy's storage backend over the embedded {@link LocalObjectStore}: the S3 endpoint serves exactly the objects
 * the embedded functions read and write (same files, same sidecars, same key guard), and every object it creates is
 * written through {@link LocalObjectStore#write} with the {@link ObjectCreatedKind} of the request (PUT, POST, copy,
 * completed multipart upload), so the store's listener announces it as MinIO would.
 *
 * <p>s3proxy's own filesystem backend was not used: it keeps metadata in extended attributes rather than the local
 * store's sidecars, would show the store's private folders as buckets and emits no notifications.
 *
 * <p>The buckets are GeoCrop's {@link Bucket}s, fixed: creating another is refused. Parts of multipart uploads are
 * kept under their own directory outside the store until the upload completes; uploads in progress do not survive a
 * restart (their parts are removed at start-up). User metadata is stored but not returned on reads.
 */
public final class LocalStoreBlobStore implements BlobStore {
    private static final long MINIMUM_PART_SIZE = 5L << 20;

    private final LocalObjectStore store;
    private final Path partsRoot;
    private final Map<String, MultipartUpload> uploads = new ConcurrentHashMap<>();

    /**
     * @param store     the embedded store
     * @param partsRoot where parts of multipart uploads wait (emptied now)
     */
    public LocalStoreBlobStore(LocalObjectStore store, Path partsRoot) {
        this.store = store;
        this.partsRoot = partsRoot;
        try {
            deleteTree(partsRoot);
            Files.createDirectories(partsRoot);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + partsRoot + " for multipart uploads: " + e, e);
        }
    }

    // ---- buckets ----

    @Override
    public ListBucketsResponse list() {
        List<software.amazon.awssdk.services.s3.model.Bucket> buckets = new ArrayList<>();
        for (Bucket bucket : Bucket.values()) {
            buckets.add(SdkResponses.bucket(bucket.bucketName(), created(bucket)));
        }
        buckets.sort(Comparator.comparing(software.amazon.awssdk.services.s3.model.Bucket::name));
        return ListBucketsResponse.builder().buckets(buckets).build();
    }

    @Override
    public HeadBucketResponse headBucket(HeadBucketRequest request) {
        bucket(request.bucket());
        return HeadBucketResponse.builder().build();
    }

    @Override
    public boolean containerExists(String container) {
        return Bucket.ofName(container).isPresent();
    }

    @Override
    public CreateBucketResponse createContainer(CreateBucketRequest request) {
        if (Bucket.ofName(request.bucket()).isPresent()) {
            throw S3Exceptions.bucketAlreadyOwnedByYou(request.bucket());
        }
        throw S3Exceptions.fromStatusCode(403, "AccessDenied",
                Map.of("Message", "the embedded GeoCrop store has a fixed set of buckets: " + bucketNames()), null);
    }

    @Override
    public BucketCannedACL getContainerAccess(String container) {
        bucket(container);
        return BucketCannedACL.PRIVATE;
    }

    @Override
    public void setContainerAccess(String container, BucketCannedACL access) {
        throw S3Exceptions.fromStatusCode(501, "NotImplemented",
                Map.of("Message", "bucket ACLs are not supported; the embedded buckets are private"), null);
    }

    @Override
    public void deleteBucket(String container) {
        throw S3Exceptions.fromStatusCode(403, "AccessDenied",
                Map.of("Message", "the embedded GeoCrop buckets cannot be deleted"), null);
    }

    // ---- listing ----

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        Bucket bucket = bucket(request.bucket());
        String prefix = request.prefix() == null ? "" : request.prefix();
        String delimiter = request.delimiter() == null || request.delimiter().isEmpty() ? null : request.delimiter();
        String after = request.continuationToken() != null ? request.continuationToken() : request.startAfter();
        int maxKeys = request.maxKeys() == null ? 1000 : Math.max(0, Math.min(1000, request.maxKeys()));
        List<ObjectInfo> objects;
        try {
            objects = prefix.isEmpty() ? store.list(bucket, "") : store.list(bucket, safePrefix(prefix));
        } catch (UnsafeKeyException e) {
            objects = List.of(); // no key can start with an unsafe prefix
        }
        List<S3Object> contents = new ArrayList<>();
        TreeSet<String> prefixes = new TreeSet<>();
        String last = null;
        boolean truncated = false;
        for (ObjectInfo object : objects) {
            String key = object.key();
            String entry = key;
            if (delimiter != null) {
                int cut = key.indexOf(delimiter, prefix.length());
                if (cut >= 0) {
                    entry = key.substring(0, cut + delimiter.length());
                }
            }
            if (after != null && entry.compareTo(after) <= 0) {
                continue;
            }
            boolean isPrefix = !entry.equals(key);
            if (isPrefix && prefixes.contains(entry)) {
                continue;
            }
            if (contents.size() + prefixes.size() == maxKeys) {
                truncated = true;
                break;
            }
            if (isPrefix) {
                prefixes.add(entry);
            } else {
                contents.add(SdkResponses.objectEntry(key, quoted(object.eTag()), object.lastModified(),
                        object.size(), StorageClass.STANDARD));
            }
            last = entry;
        }
        List<CommonPrefix> common = prefixes.stream().map(SdkResponses::commonPrefix).toList();
        return ListObjectsV2Response.builder()
                .name(bucket.bucketName()).prefix(request.prefix()).delimiter(request.delimiter())
                .maxKeys(maxKeys).startAfter(request.startAfter()).continuationToken(request.continuationToken())
                .contents(contents).commonPrefixes(common).keyCount(contents.size() + common.size())
                .isTruncated(truncated).nextContinuationToken(truncated ? last : null)
                .build();
    }

    // ---- objects ----

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream payload) {
        Bucket bucket = bucket(request.bucket());
        String key = key(request.key());
        ObjectCreatedKind kind = isFormPost() ? ObjectCreatedKind.POST : ObjectCreatedKind.PUT;
        try (InputStream in = payload) {
            ObjectInfo info = write(bucket, key, () -> in, request.contentType(), request.metadata(), kind);
            return SdkResponses.putResponse(quoted(info.eTag()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        Bucket from = bucket(request.sourceBucket());
        String fromKey = key(request.sourceKey());
        Bucket to = bucket(request.destinationBucket());
        String toKey = key(request.destinationKey());
        ObjectInfo source = store.head(from, fromKey)
                .orElseThrow(() -> S3Exceptions.noSuchKey(from.bucketName(), fromKey, null));
        boolean replace = request.metadataDirective() == MetadataDirective.REPLACE;
        String contentType = replace && request.contentType() != null ? request.contentType() : source.contentType();
        Map<String, String> metadata = replace && request.metadata() != null ? request.metadata() : Map.of();
        ObjectInfo info = write(to, toKey, () -> store.get(from, fromKey)
                        .orElseThrow(() -> new NoSuchFileException(from.bucketName() + "/" + fromKey)),
                contentType, metadata, ObjectCreatedKind.COPY);
        return SdkResponses.copyResponse(quoted(info.eTag()), info.lastModified());
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        Bucket bucket = bucket(request.bucket());
        String key = request.key();
        if (!isSafe(key)) {
            throw S3Exceptions.noSuchKey(bucket.bucketName(), key, null);
        }
        return store.head(bucket, key).map(info -> SdkResponses.toHead(response(info, null, info.size())))
                .orElseThrow(() -> S3Exceptions.noSuchKey(bucket.bucketName(), key, null));
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        Bucket bucket = bucket(request.bucket());
        String key = request.key();
        // s3proxy 4.1 wants a missing object as NoSuchKeyException (its answer is a 404 NoSuchKey), never null.
        if (!isSafe(key)) {
            throw S3Exceptions.noSuchKey(bucket.bucketName(), key, null);
        }
        Optional<ObjectInfo> head = store.head(bucket, key);
        if (head.isEmpty()) {
            throw S3Exceptions.noSuchKey(bucket.bucketName(), key, null);
        }
        ObjectInfo info = head.get();
        Optional<InputStream> content = store.get(bucket, key);
        if (content.isEmpty()) {
            throw S3Exceptions.noSuchKey(bucket.bucketName(), key, null);
        }
        InputStream in = content.get();
        try {
            if (request.range() == null) {
                return SdkResponses.getResponse(response(info, null, info.size()), in);
            }
            long[] range = range(request.range(), info.size());
            in.skipNBytes(range[0]);
            long length = range[1] - range[0] + 1;
            String contentRange = "bytes " + range[0] + "-" + range[1] + "/" + info.size();
            return SdkResponses.getResponse(response(info, contentRange, length), new BoundedInputStream(in, length));
        } catch (IOException | RuntimeException e) {
            try {
                in.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new UncheckedIOException((IOException) e);
        }
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        Bucket bucket = bucket(request.bucket());
        if (isSafe(request.key())) {
            store.delete(bucket, request.key());
        }
        return DeleteObjectResponse.builder().build();
    }

    @Override
    public ObjectCannedACL getBlobAccess(String container, String key) {
        bucket(container);
        return ObjectCannedACL.PRIVATE;
    }

    @Override
    public void setBlobAccess(String container, String key, ObjectCannedACL access) {
        throw S3Exceptions.fromStatusCode(501, "NotImplemented",
                Map.of("Message", "object ACLs are not supported; the embedded objects are private"), null);
    }

    // ---- multipart uploads ----

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        bucket(request.bucket());
        key(request.key());
        String id = UUID.randomUUID().toString();
        try {
            Files.createDirectories(partsRoot.resolve(id));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the parts of a multipart upload in " + partsRoot, e);
        }
        MultipartUpload upload = new MultipartUpload(id, request);
        uploads.put(id, upload);
        return upload;
    }

    @Override
    public UploadPartResponse uploadMultipartPart(MultipartUpload mpu, UploadPartRequest request, InputStream payload) {
        Path directory = uploadDirectory(mpu);
        Path part = directory.resolve(partName(request.partNumber()));
        try (InputStream in = payload) {
            Path temp = Files.createTempFile(directory, ".part-", ".tmp");
            MessageDigest md5 = md5();
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                 OutputStream out = new DigestOutputStream(Channels.newOutputStream(channel), md5)) {
                in.transferTo(out);
            }
            Files.move(temp, part, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(directory.resolve(partName(request.partNumber()) + ".etag"),
                    HexFormat.of().formatHex(md5.digest()));
            return SdkResponses.uploadedPart(quoted(eTagOfPart(directory, request.partNumber())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store part " + request.partNumber() + " of " + mpu.blobName(), e);
        }
    }

    @Override
    public List<Part> listMultipartUpload(MultipartUpload mpu) {
        Path directory = uploadDirectory(mpu);
        List<Part> parts = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith("part-") && !name.endsWith(".etag")) {
                    int number = Integer.parseInt(name.substring("part-".length()));
                    parts.add(SdkResponses.part(number, Files.size(file), quoted(eTagOfPart(directory, number)),
                            Files.getLastModifiedTime(file).toInstant()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parts;
    }

    @Override
    public List<software.amazon.awssdk.services.s3.model.MultipartUpload> listMultipartUploads(String container) {
        bucket(container);
        return uploads.values().stream().filter(u -> u.containerName().equals(container))
                .map(u -> SdkResponses.upload(u.blobName(), u.id(), null)).toList();
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload mpu,
                                                                   CompleteMultipartUploadRequest request) {
        Path directory = uploadDirectory(mpu);
        Bucket bucket = bucket(mpu.containerName());
        String key = key(mpu.blobName());
        List<Integer> numbers = request.multipartUpload() == null ? List.of()
                : request.multipartUpload().parts().stream().map(CompletedPart::partNumber).sorted().toList();
        List<Path> files = new ArrayList<>();
        for (int number : numbers) {
            Path file = directory.resolve(partName(number));
            if (!Files.isRegularFile(file)) {
                throw S3Exceptions.fromStatusCode(400, "InvalidPart",
                        Map.of("Message", "part " + number + " was not uploaded"), null);
            }
            files.add(file);
        }
        CreateMultipartUploadRequest created = mpu.request();
        ObjectInfo info = write(bucket, key, () -> concatenation(files), created.contentType(), created.metadata(),
                ObjectCreatedKind.COMPLETE_MULTIPART_UPLOAD);
        abortMultipartUpload(mpu);
        return SdkResponses.completeResponse(quoted(info.eTag()));
    }

    @Override
    public void abortMultipartUpload(MultipartUpload mpu) {
        uploads.remove(mpu.id());
        try {
            deleteTree(partsRoot.resolve(mpu.id()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long getMinimumMultipartPartSize() {
        return MINIMUM_PART_SIZE;
    }

    // ---- helpers ----

    // s3proxy hands a browser-form POST to putBlob like a PUT; only its caller tells them apart, and MinIO names the
    // notification after the request (s3:ObjectCreated:Post).
    private static boolean isFormPost() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(f ->
                f.getClassName().equals("org.gaul.s3proxy.S3ProxyHandler") && f.getMethodName().equals("handlePostBlob")));
    }

    private ObjectInfo write(Bucket bucket, String key, LocalObjectStore.ContentSource source, String contentType,
                             Map<String, String> metadata, ObjectCreatedKind kind) {
        try {
            return store.write(bucket, key, source, contentType, metadata == null ? Map.of() : metadata, kind);
        } catch (UnsafeKeyException e) {
            throw S3Exceptions.invalidArgument(e.getMessage());
        } catch (StorageException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                throw S3Exceptions.noSuchKey(bucket.bucketName(), key, null);
            }
            throw e;
        }
    }

    private GetObjectResponse response(ObjectInfo info, String contentRange, long length) {
        return GetObjectResponse.builder()
                .contentLength(length)
                .contentType(info.contentType() == null ? "application/octet-stream" : info.contentType())
                .eTag(quoted(info.eTag()))
                .lastModified(info.lastModified())
                .contentRange(contentRange)
                .acceptRanges("bytes")
                .storageClass(StorageClass.STANDARD.toString())
                .build();
    }

    /** {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n} (already validated by s3proxy) as inclusive offsets. */
    static long[] range(String header, long size) {
        String[] parts = header.substring("bytes=".length()).split("-", 2);
        long first;
        long last;
        if (parts[0].isEmpty()) {
            first = Math.max(0, size - Long.parseLong(parts[1]));
            last = size - 1;
        } else {
            first = Long.parseLong(parts[0]);
            last = parts[1].isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(parts[1]));
        }
        if (first >= size || size == 0) {
            throw S3Exceptions.fromStatusCode(416, "InvalidRange",
                    Map.of("Message", "the range " + header + " starts past the end of the object (" + size
                            + " bytes)"), null);
        }
        return new long[] {first, last};
    }

    private Bucket bucket(String name) {
        return Bucket.ofName(name).orElseThrow(() -> S3Exceptions.noSuchBucket(name, null));
    }

    private static String key(String key) {
        try {
            return ObjectKeys.requireSafe(key);
        } catch (UnsafeKeyException e) {
            throw S3Exceptions.invalidArgument(e.getMessage());
        }
    }

    private static boolean isSafe(String key) {
        try {
            ObjectKeys.requireSafe(key);
            return true;
        } catch (UnsafeKeyException e) {
            return false;
        }
    }

    private static String safePrefix(String prefix) {
        return ObjectKeys.requireSafePrefix(prefix);
    }

    private Path uploadDirectory(MultipartUpload mpu) {
        if (!uploads.containsKey(mpu.id())) {
            throw S3Exceptions.fromStatusCode(404, "NoSuchUpload",
                    Map.of("Message", "no multipart upload " + mpu.id() + " is in progress"), null);
        }
        return partsRoot.resolve(mpu.id());
    }

    private static String partName(int number) {
        return String.format("part-%05d", number);
    }

    private static String eTagOfPart(Path directory, int number) throws IOException {
        return Files.readString(directory.resolve(partName(number) + ".etag")).strip();
    }

    private static InputStream concatenation(List<Path> files) throws IOException {
        List<InputStream> streams = new ArrayList<>();
        try {
            for (Path file : files) {
                streams.add(Files.newInputStream(file));
            }
        } catch (IOException e) {
            for (InputStream s : streams) {
                s.close();
            }
            throw e;
        }
        Enumeration<InputStream> all = Collections.enumeration(streams);
        return new SequenceInputStream(all);
    }

    private Instant created(Bucket bucket) {
        try {
            return Files.getLastModifiedTime(store.root().resolve(bucket.bucketName())).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    private static String bucketNames() {
        return String.join(", ", Stream.of(Bucket.values()).map(Bucket::bucketName).toList());
    }

    private static String quoted(String eTag) {
        return eTag == null ? null : "\"" + eTag + "\"";
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** At most {@code remaining} bytes of a stream; closing it closes the stream. */
    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(buffer, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
