package io.geocrop.storage;

import io.geocrop.domain.cost.WorkMeter;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded {@link ObjectStore}: objects are plain files at {@code <root>/<bucket name>/<key>}, so they can be
 * inspected with ordinary tools.
 *
 * <ul>
 *   <li>Writes are atomic: content goes to a temporary file in the target's directory and is then renamed over
 *       the target, so readers see the old or the new object, never a partial one, even with concurrent writers
 *       of one key.</li>
 *   <li>Content type, ETag (hex MD5 of the content, as S3 gives for single-part uploads) and user metadata live
 *       in a JSON sidecar under {@code <root>/.geocrop-meta/<bucket name>/<key>}, outside the bucket directory,
 *       so they never show up in listings.</li>
 *   <li>After each created object (put, upload, copy) the {@link ObjectCreatedListener} is called: that is how
 *       MinIO's bucket notification is imitated in the embedded mode.</li>
 *   <li>Besides {@link ObjectKeys#requireSafe(String)}, every path is checked not to pass through a symbolic link
 *       and, canonically resolved, to stay inside the root.</li>
 * </ul>
 *
 * <p>Like any filesystem-backed store it cannot hold both {@code a} and {@code a/b}: the second write of such a
 * pair fails with a {@link StorageException}. Empty folders are removed on delete. Key segments starting with
 * {@value #TEMP_PREFIX} are reserved for temporary files.
 */
public final class LocalObjectStore implements ObjectStore {

    /** File-name prefix of in-flight writes; never listed, and refused as a key segment. */
    static final String TEMP_PREFIX = ".geocrop-tmp-";
    /** Directory under the root that holds the sidecars; bucket names never start with a dot. */
    static final String META_DIRECTORY = ".geocrop-meta";

    // Writers of one key serialise only their final two renames (sidecar, then content), so a reader holding
    // the same lock always sees a sidecar that belongs to the content. 64 stripes keep unrelated keys apart.
    private static final int LOCK_STRIPES = 64;
    // A concurrent delete may remove an empty folder between our mkdir and our temp-file creation: retry.
    private static final int CREATE_ATTEMPTS = 4;

    private final Path root;
    private final Path metaRoot;
    private final ObjectCreatedListener listener;
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];
    private final Map<Bucket, LocalObjectStorageOperations> operations = new EnumMap<>(Bucket.class);
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param root     the directory holding one sub-directory per bucket; created if missing
     * @param listener told about every created object (use {@link ObjectCreatedListener#NONE} for nobody)
     * @throws java.io.UncheckedIOException when the root cannot be created or resolved
     */
    public LocalObjectStore(Path root, ObjectCreatedListener listener) {
        Objects.requireNonNull(root, "root");
        this.listener = Objects.requireNonNull(listener, "listener (use ObjectCreatedListener.NONE for nobody)");
        try {
            Files.createDirectories(root);
            // Canonical from the start: every containment check compares real paths against this one.
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create the local object-store root " + root + ": " + e, e);
        }
        this.metaRoot = this.root.resolve(META_DIRECTORY);
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
        for (Bucket bucket : Bucket.values()) {
            operations.put(bucket, new LocalObjectStorageOperations(this, bucket));
        }
    }

    /** The canonical root directory. */
    public Path root() {
        return root;
    }

    /** The file that holds {@code key} of {@code bucket} (whether or not it exists); the key is checked first. */
    public Path pathOf(Bucket bucket, String key) {
        Path bucketDirectory = bucketDirectory(bucket);
        Path file = resolve(bucketDirectory, checkedKey(key), bucket, key);
        requireNoSymbolicLinks(bucketDirectory, file, bucket, key);
        return file;
    }

    @Override
    public LocalObjectStorageOperations operations(Bucket bucket) {
        return operations.get(Objects.requireNonNull(bucket, "bucket"));
    }

    @Override
    public void ensureBuckets() {
        if (Files.isSymbolicLink(metaRoot)) {
            throw new StorageException(Bucket.values()[0].bucketName(), null, "the sidecar directory " + metaRoot
                    + " is a symbolic link; refusing to use it", null);
        }
        for (Bucket bucket : Bucket.values()) {
            Path directory = bucketDirectory(bucket);
            try {
                if (Files.isSymbolicLink(directory)) {
                    throw new StorageException(bucket.bucketName(), null,
                            "the bucket directory " + directory + " is a symbolic link; refusing to use it", null);
                }
                Files.createDirectories(directory);
                Files.createDirectories(metaRoot.resolve(bucket.bucketName()));
            } catch (IOException e) {
                throw new StorageException(bucket.bucketName(), null,
                        "cannot create the bucket directory " + directory + ": " + e, e);
            }
        }
    }

    @Override
    public void put(Bucket bucket, String key, byte[] data, String contentType) {
        checkedKey(key);
        Objects.requireNonNull(data, "data");
        WorkMeter.countWritten(data.length); // charged to the job whose work writes this, if any
        write(bucket, key, () -> new java.io.ByteArrayInputStream(data), contentType, Map.of());
    }

    @Override
    public void put(Bucket bucket, String key, Path file, String contentType) {
        checkedKey(key);
        Objects.requireNonNull(file, "file");
        countWritten(file);
        UploadFiles.requireReadable(bucket, key, file);
        write(bucket, key, () -> Files.newInputStream(file), contentType, Map.of());
    }

    @Override
    public Optional<InputStream> get(Bucket bucket, String key) {
        checkedKey(key);
        Path file = existingObjectFile(bucket, key, true);
        if (file == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure(bucket, key, "cannot open " + file, e);
        }
    }

    @Override
    public byte[] readRange(Bucket bucket, String key, long offset, int length) {
        checkedKey(key);
        checkRange(bucket, key, offset, length);
        Path file = existingObjectFile(bucket, key, true);
        if (file == null) {
            throw new ObjectNotFoundException(bucket.bucketName(), key, null);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = channel.size();
            if (offset > size || offset == size && length > 0) {
                throw new InvalidRangeException(bucket.bucketName(), key, offset, size, null);
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(length, size - offset));
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    break; // truncated in place (by hand) since we read its size: return what there is
                }
            }
            return buffer.position() == buffer.capacity() ? buffer.array()
                    : java.util.Arrays.copyOf(buffer.array(), buffer.position());
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(bucket.bucketName(), key, e);
        } catch (IOException e) {
            throw failure(bucket, key, "cannot read " + file, e);
        }
    }

    @Override
    public Optional<ObjectInfo> head(Bucket bucket, String key) {
        checkedKey(key);
        if (!Files.isDirectory(bucketDirectory(bucket), LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return stat(bucket, key, true).map(StoredObject::info);
    }

    @Override
    public List<ObjectInfo> list(Bucket bucket, String prefix) {
        ObjectKeys.requireSafePrefix(prefix);
        Path bucketDirectory = requireBucketDirectory(bucket, prefix);
        // Walk only the folder the prefix pins down: "results/abc/ti" starts at results/abc.
        int lastSlash = prefix.lastIndexOf('/');
        Path start = lastSlash < 0 ? bucketDirectory : resolve(bucketDirectory, prefix.substring(0, lastSlash),
                bucket, prefix);
        requireNoSymbolicLinks(bucketDirectory, start, bucket, prefix);
        if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    // Links are not followed (attributes describe the link itself), so they are skipped here.
                    if (attributes.isRegularFile() && !file.getFileName().toString().startsWith(TEMP_PREFIX)) {
                        String key = toKey(bucketDirectory, file);
                        if (key.startsWith(prefix) && isUsableKey(key)) {
                            keys.add(key);
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // deleted while we walked: simply not listed
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw failure(bucket, prefix, "cannot list " + start, e);
        }
        List<ObjectInfo> result = new ArrayList<>(keys.size());
        for (String key : keys) {
            stat(bucket, key, false).ifPresent(object -> result.add(object.info()));
        }
        result.sort(ObjectInfo.BY_KEY);
        return result;
    }

    @Override
    public boolean delete(Bucket bucket, String key) {
        checkedKey(key);
        if (!Files.exists(bucketDirectory(bucket), LinkOption.NOFOLLOW_LINKS)) {
            return false; // as on S3, where a missing bucket is just another 404 on the way
        }
        Path bucketDirectory = requireBucketDirectory(bucket, key);
        Path file = resolve(bucketDirectory, key, bucket, key);
        requireNoSymbolicLinks(bucketDirectory, file, bucket, key);
        Path sidecar = sidecarOf(bucket, key);
        boolean deleted;
        ReentrantLock lock = lockOf(bucket, key);
        lock.lock();
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            Files.deleteIfExists(sidecar);
            deleted = Files.deleteIfExists(file);
        } catch (IOException e) {
            throw failure(bucket, key, "cannot delete " + file, e);
        } finally {
            lock.unlock();
        }
        removeEmptyParents(bucketDirectory, file);
        removeEmptyParents(metaRoot.resolve(bucket.bucketName()), sidecar);
        return deleted;
    }

    /** Nothing to release: the store holds no open files between calls. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "LocalObjectStore[" + root + "]";
    }

    // ---- package-private API used by LocalObjectStorageOperations ----

    /** Where the content of a write comes from; opened once, inside the write. */
    @FunctionalInterface
    public interface ContentSource {
        InputStream open() throws IOException;
    }

    /** An existing object: its file and what the sidecar says about it. */
    record StoredObject(Path file, ObjectInfo info, Map<String, String> metadata) {}

    /**
     * Writes an object atomically, then notifies the listener. The key must already have been checked.
     *
     * @return what was stored
     */
    ObjectInfo write(Bucket bucket, String key, ContentSource source, String contentType,
                     Map<String, String> metadata) {
        return write(bucket, key, source, contentType, metadata, ObjectCreatedKind.PUT);
    }

    /**
     * Stores an object atomically from {@code source} (streamed, opened once) with user metadata, then notifies the
     * listener with {@code kind}: what the embedded S3 endpoint uses so that a copy or a multipart upload is
     * announced as MinIO would announce it.
     *
     * @return what was stored
     */
    public ObjectInfo write(Bucket bucket, String key, ContentSource source, String contentType,
                            Map<String, String> metadata, ObjectCreatedKind kind) {
        checkedKey(key);
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(kind, "kind");
        String type = contentType == null || contentType.isBlank() ? DEFAULT_CONTENT_TYPE : contentType;
        Path bucketDirectory = requireBucketDirectory(bucket, key);
        Path target = resolve(bucketDirectory, key, bucket, key);
        Path metaDirectory = metaRoot.resolve(bucket.bucketName());
        Path sidecar = sidecarOf(bucket, key);
        Path contentTemp = null;
        Path sidecarTemp = null;
        try {
            contentTemp = createTempBeside(bucketDirectory, target, bucket, key);
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw failure(bucket, key, "the local store cannot hold this object: " + target
                        + " is a folder of keys starting with '" + key + "/'", null);
            }
            MessageDigest md5 = md5();
            long size;
            try (InputStream in = source.open();
                 FileChannel channel = FileChannel.open(contentTemp, StandardOpenOption.WRITE)) {
                OutputStream out = new DigestOutputStream(Channels.newOutputStream(channel), md5);
                size = in.transferTo(out);
                out.flush();
                channel.force(true); // durable before it becomes visible under its key
            }
            String eTag = HexFormat.of().formatHex(md5.digest());
            if (Files.isSymbolicLink(metaRoot) || Files.isSymbolicLink(metaDirectory)) {
                throw failure(bucket, key, "the sidecar directory " + metaDirectory
                        + " is or passes through a symbolic link; the local store never follows links", null);
            }
            Files.createDirectories(metaDirectory);
            sidecarTemp = createTempBeside(metaDirectory, sidecar, bucket, key);
            json.writeValue(sidecarTemp.toFile(), new Sidecar(type, eTag, size, Map.copyOf(metadata)));

            Instant lastModified;
            ReentrantLock lock = lockOf(bucket, key);
            lock.lock();
            try {
                Files.move(sidecarTemp, sidecar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                sidecarTemp = null;
                Files.move(contentTemp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                contentTemp = null;
                lastModified = Files.getLastModifiedTime(target, LinkOption.NOFOLLOW_LINKS).toInstant();
            } finally {
                lock.unlock();
            }
            ObjectInfo info = new ObjectInfo(key, size, eTag, type, lastModified);
            notifyCreated(bucket, info, kind);
            return info;
        } catch (IOException e) {
            throw failure(bucket, key, "cannot write " + target, e);
        } finally {
            deleteQuietly(contentTemp);
            deleteQuietly(sidecarTemp);
        }
    }

    /**
     * The object under a checked key, with a sidecar consistent with its content.
     *
     * @param withContentType whether the caller needs the content type ({@code list} does not, to match S3)
     */
    Optional<StoredObject> stat(Bucket bucket, String key, boolean withContentType) {
        Path bucketDirectory = bucketDirectory(bucket);
        Path file = resolve(bucketDirectory, key, bucket, key);
        requireNoSymbolicLinks(bucketDirectory, file, bucket, key);
        ReentrantLock lock = lockOf(bucket, key);
        lock.lock();
        try {
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
            if (!attributes.isRegularFile()) {
                return Optional.empty();
            }
            Sidecar sidecar = readSidecar(bucket, key, file, attributes.size());
            ObjectInfo info = new ObjectInfo(key, attributes.size(), sidecar.eTag(),
                    withContentType ? sidecar.contentType() : null, attributes.lastModifiedTime().toInstant());
            return Optional.of(new StoredObject(file, info, sidecar.metadata()));
        } catch (IOException e) {
            throw failure(bucket, key, "cannot read the attributes of " + file, e);
        } finally {
            lock.unlock();
        }
    }

    /** Checks a key against the general guard and the store's reserved temp-file names. */
    static String checkedKey(String key) {
        ObjectKeys.requireSafe(key);
        for (String segment : key.split("/")) {
            if (segment.startsWith(TEMP_PREFIX)) {
                throw new UnsafeKeyException(key, "the segment \"" + segment + "\" uses the prefix '" + TEMP_PREFIX
                        + "' that the local store reserves for its temporary files");
            }
        }
        return key;
    }

    /**
     * The regular file of an existing object, or {@code null} when there is none. Fails when the bucket does
     * not exist or the path passes through a symbolic link.
     */
    Path existingObjectFile(Bucket bucket, String key, boolean bucketMustExist) {
        Path bucketDirectory = bucketMustExist ? requireBucketDirectory(bucket, key) : bucketDirectory(bucket);
        Path file = resolve(bucketDirectory, key, bucket, key);
        requireNoSymbolicLinks(bucketDirectory, file, bucket, key);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        requireInsideRoot(file, bucket, key);
        return file;
    }

    // ---- internals ----

    /** Sidecar content; {@code size} lets a reader notice a sidecar left behind by a crashed write. */
    record Sidecar(String contentType, String eTag, long size, Map<String, String> metadata) {
        Sidecar {
            metadata = metadata == null ? Map.of() : metadata;
        }
    }

    private Path bucketDirectory(Bucket bucket) {
        return root.resolve(Objects.requireNonNull(bucket, "bucket").bucketName());
    }

    private Path requireBucketDirectory(Bucket bucket, String key) {
        Path directory = bucketDirectory(bucket);
        if (Files.isSymbolicLink(directory)) {
            throw failure(bucket, key, "the bucket directory " + directory + " is a symbolic link", null);
        }
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw failure(bucket, key, "the bucket does not exist (no directory " + directory
                    + "); call ensureBuckets() first", null);
        }
        return directory;
    }

    private Path sidecarOf(Bucket bucket, String key) {
        Path metaDirectory = metaRoot.resolve(bucket.bucketName());
        return resolve(metaDirectory, key, bucket, key);
    }

    /** Lexical resolution with a containment check, before any filesystem access. */
    private Path resolve(Path base, String relative, Bucket bucket, String key) {
        Path resolved = base.resolve(relative).normalize();
        if (!resolved.startsWith(base) || resolved.equals(base)) {
            throw failure(bucket, key, "resolves to " + resolved + ", outside " + base, null);
        }
        return resolved;
    }

    /** Refuses any existing symbolic link between {@code base} (exclusive) and {@code path} (inclusive). */
    private void requireNoSymbolicLinks(Path base, Path path, Bucket bucket, String key) {
        Path current = base;
        for (Path segment : base.relativize(path)) {
            current = current.resolve(segment);
            if (Files.isSymbolicLink(current)) {
                throw failure(bucket, key, current + " is a symbolic link; the local store never follows links",
                        null);
            }
            if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
        }
    }

    /** The canonical check: what the OS resolves {@code path} to must be inside the root. */
    private void requireInsideRoot(Path path, Bucket bucket, String key) {
        try {
            Path real = path.toRealPath();
            if (!real.startsWith(root)) {
                throw failure(bucket, key, path + " resolves to " + real + ", outside the store root " + root, null);
            }
        } catch (NoSuchFileException e) {
            // Nothing there, so nothing to escape through.
        } catch (IOException e) {
            throw failure(bucket, key, "cannot resolve " + path, e);
        }
    }

    /**
     * Creates the folders from {@code base} down to {@code target}'s parent one at a time (refusing links and
     * files in the way), checks the parent canonically, and creates a temporary file in it.
     */
    private Path createTempBeside(Path base, Path target, Bucket bucket, String key) throws IOException {
        Path parent = target.getParent();
        for (int attempt = 1; ; attempt++) {
            Path current = base;
            for (Path segment : base.relativize(parent)) {
                current = current.resolve(segment);
                if (Files.isSymbolicLink(current)) {
                    throw failure(bucket, key, current + " is a symbolic link; the local store never follows links",
                            null);
                }
                try {
                    Files.createDirectory(current);
                } catch (FileAlreadyExistsException e) {
                    if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                        throw failure(bucket, key, "the local store cannot hold this object: " + current
                                + " is an object, so it cannot also be a folder", e);
                    }
                }
            }
            requireInsideRoot(parent, bucket, key);
            if (Files.isSymbolicLink(target)) {
                throw failure(bucket, key, target + " is a symbolic link; the local store never follows links", null);
            }
            try {
                return Files.createTempFile(parent, TEMP_PREFIX, ".tmp");
            } catch (NoSuchFileException | AccessDeniedException e) {
                // A concurrent delete removed the (then empty) folder; on Windows a pending delete answers
                // access denied. Create it again.
                if (attempt == CREATE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private Sidecar readSidecar(Bucket bucket, String key, Path file, long size) throws IOException {
        Path sidecarFile = sidecarOf(bucket, key);
        try {
            Sidecar sidecar = json.readValue(sidecarFile.toFile(), Sidecar.class);
            if (sidecar.size() == size && sidecar.eTag() != null) {
                return sidecar;
            }
        } catch (java.io.FileNotFoundException | NoSuchFileException e) {
            // fall through: a file dropped in by hand, or a write that crashed between its two renames
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            // fall through: a torn or hand-edited sidecar must not make the object unreadable
        }
        return new Sidecar(DEFAULT_CONTENT_TYPE, md5Of(file), size, Map.of());
    }

    private static String md5Of(Path file) throws IOException {
        MessageDigest md5 = md5();
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
             OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), md5)) {
            in.transferTo(out);
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }

    private void notifyCreated(Bucket bucket, ObjectInfo info, ObjectCreatedKind kind) {
        StoredObjectEvent event = new StoredObjectEvent(bucket.bucketName(), info.key(), info.size(), info.eTag(),
                info.contentType(), Instant.now(), kind);
        try {
            listener.objectCreated(event);
        } catch (RuntimeException e) {
            throw failure(bucket, info.key(), "the object was stored, but the object-created listener failed: " + e, e);
        }
    }

    private void removeEmptyParents(Path base, Path file) {
        for (Path directory = file.getParent(); directory != null && directory.startsWith(base)
                && !directory.equals(base); directory = directory.getParent()) {
            try {
                Files.delete(directory);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return; // still in use, or already gone: either way the folders above stay
            } catch (IOException e) {
                return; // tidying up is best effort; the object itself is already deleted
            }
        }
    }

    private static String toKey(Path bucketDirectory, Path file) {
        StringBuilder key = new StringBuilder();
        for (Path segment : bucketDirectory.relativize(file)) {
            if (!key.isEmpty()) {
                key.append('/');
            }
            key.append(segment);
        }
        return key.toString();
    }

    /** Files dropped in by hand may have names no key could have; such files are not objects of the store. */
    private static boolean isUsableKey(String key) {
        try {
            checkedKey(key);
            return true;
        } catch (UnsafeKeyException e) {
            return false;
        }
    }

    private ReentrantLock lockOf(Bucket bucket, String key) {
        return locks[Math.floorMod(31 * bucket.hashCode() + key.hashCode(), LOCK_STRIPES)];
    }

    private static void checkRange(Bucket bucket, String key, long offset, int length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("invalid range for " + StorageException.describe(bucket.bucketName(), key)
                    + ": offset " + offset + " and length " + length + " must not be negative");
        }
    }

    private static void deleteQuietly(Path path) {
        if (path != null) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // a leftover temp file is never listed; nothing more to do
            }
        }
    }

    private static StorageException failure(Bucket bucket, String key, String message, Throwable cause) {
        return new StorageException(bucket.bucketName(), key, message, cause);
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
