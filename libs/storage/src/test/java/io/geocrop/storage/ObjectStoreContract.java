package io.geocrop.storage;

import io.micronaut.objectstorage.ObjectStorageEntry;
import io.micronaut.objectstorage.ObjectStorageException;
import io.micronaut.objectstorage.ObjectStorageOperations;
import io.micronaut.objectstorage.request.BytesUploadRequest;
import io.micronaut.objectstorage.request.UploadRequest;
import io.micronaut.objectstorage.response.UploadResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every {@link ObjectStore} passes, whatever its backend. Subclass it, implement
 * {@link #newEmptyStore()}, and the whole suite runs against that backend.
 *
 * <p>Published in the {@code geocrop-storage} test-jar; a consumer also needs {@code junit-jupiter-params} on its
 * test classpath.
 */
public abstract class ObjectStoreContract {

    /** Keys in the unsafe-key table that are nonetheless valid listing prefixes ("" lists all; "a/" is a folder). */
    private static final Set<String> VALID_PREFIXES = Set.of("", "a/");
    private static final byte[] HELLO = "hello, maize".getBytes(StandardCharsets.UTF_8);
    /** Larger than the probe JVM's whole heap, so only a streaming put can store it. */
    private static final int LARGE_FILE = 24 * 1024 * 1024;
    private static final String PROBE_HEAP = "24m";

    /** The store under test, fresh and with all buckets, for each test. */
    protected ObjectStore store;

    /** Scratch space for local input files; never the store's own storage. */
    @TempDir
    protected Path scratch;

    /**
     * A new store over storage that holds no buckets and no objects (a previous store's buckets must be gone).
     * The suite calls {@link ObjectStore#ensureBuckets()} itself.
     */
    protected abstract ObjectStore newEmptyStore() throws Exception;

    /**
     * Arguments of {@link StreamingPutProbe} that open an equivalent store in another JVM ({@code local <root>}
     * or {@code s3 <endpoint> <accessKey> <secretKey>}), used to prove that {@code put(Path)} streams; empty to
     * skip that proof and only check the round trip.
     */
    protected List<String> storeArgumentsForAnotherJvm() {
        return List.of();
    }

    /**
     * Checks, beyond what the store lists, that nothing was written outside its objects (the local store walks
     * its directories). Called after every unsafe-key case.
     */
    protected void assertNothingStoredOutsideTheStore() throws Exception {
    }

    @BeforeEach
    void openStore() throws Exception {
        store = newEmptyStore();
        store.ensureBuckets();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    // ---------------------------------------------------------------- round trips

    @Test
    void bytesRoundTrip() throws IOException {
        store.put(Bucket.RESULTS, "results/a/imagery-manifest.json", HELLO, "application/json");

        assertArrayEquals(HELLO, read(Bucket.RESULTS, "results/a/imagery-manifest.json"));
        assertEquals(Optional.empty(), store.get(Bucket.RESULTS, "results/a/other.json"));
        // Buckets are separate namespaces.
        assertEquals(Optional.empty(), store.get(Bucket.FEATURES, "results/a/imagery-manifest.json"));
    }

    @Test
    void emptyObjectRoundTrip() throws IOException {
        store.put(Bucket.DATASETS, "empty.csv", new byte[0], "text/csv");

        assertArrayEquals(new byte[0], read(Bucket.DATASETS, "empty.csv"));
        ObjectInfo info = store.head(Bucket.DATASETS, "empty.csv").orElseThrow();
        assertEquals(0, info.size());
        assertEquals(md5(new byte[0]), info.eTag());
    }

    @Test
    void largeFileIsStreamedBothWays() throws Exception {
        Path file = scratch.resolve("features-24mb.tif");
        String expectedMd5 = writePatternFile(file, LARGE_FILE, 42);
        String key = "uploads/big.tif";

        List<String> storeArguments = storeArgumentsForAnotherJvm();
        if (storeArguments.isEmpty()) {
            store.put(Bucket.FEATURES, key, file, "image/tiff"); // round trip only: no way to prove streaming
        } else {
            putInAHeapSmallerThanTheFile(storeArguments, file, key);
        }

        ObjectInfo info = store.head(Bucket.FEATURES, key).orElseThrow();
        assertEquals(LARGE_FILE, info.size());
        assertEquals(expectedMd5, info.eTag(), "single-part ETag is the hex MD5 of the content");
        assertEquals("image/tiff", info.contentType());

        String[] readMd5 = new String[1];
        long allocated = allocatedBy(() -> {
            try (InputStream in = store.get(Bucket.FEATURES, key).orElseThrow()) {
                readMd5[0] = md5(in);
            }
        });
        assertEquals(expectedMd5, readMd5[0]);
        // Were the object buffered in the heap, reading it would allocate at least its size on this thread.
        assertTrue(allocated < LARGE_FILE / 2,
                "get allocated " + allocated + " bytes for a " + LARGE_FILE + "-byte object: not streamed");
    }

    /**
     * Runs {@link StreamingPutProbe} in a JVM whose whole heap ({@value #PROBE_HEAP}) is no larger than the file:
     * a store that read the file into memory could not finish.
     */
    private void putInAHeapSmallerThanTheFile(List<String> storeArguments, Path file, String key) throws Exception {
        Path output = scratch.resolve("probe-output.txt");
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx" + PROBE_HEAP, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                StreamingPutProbe.class.getName()));
        command.addAll(storeArguments);
        command.addAll(List.of(file.toString(), Bucket.FEATURES.bucketName(), key, "image/tiff"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean finished = process.waitFor(90, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        assertTrue(finished && process.exitValue() == 0, "the put in a " + PROBE_HEAP + " heap failed (exit "
                + (finished ? process.exitValue() : "timeout") + "):\n" + Files.readString(output));
    }

    @Test
    void smallFileRoundTrip() throws IOException {
        Path file = scratch.resolve("model.onnx");
        Files.write(file, HELLO);

        store.put(Bucket.MODELS, "models/crop/1/model.onnx", file, null);

        assertArrayEquals(HELLO, read(Bucket.MODELS, "models/crop/1/model.onnx"));
        assertEquals(ObjectStore.DEFAULT_CONTENT_TYPE,
                store.head(Bucket.MODELS, "models/crop/1/model.onnx").orElseThrow().contentType());
    }

    @Test
    void putOfMissingLocalFileNamesTheFileAndStoresNothing() {
        Path missing = scratch.resolve("no-such-file.tif");

        StorageException e = assertThrows(StorageException.class,
                () -> store.put(Bucket.FEATURES, "uploads/x.tif", missing, "image/tiff"));

        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("uploads/x.tif"), e.getMessage());
        assertEquals(List.of(), store.list(Bucket.FEATURES, ""));
    }

    @Test
    void overwriteReplacesContentAndMetadata() throws IOException {
        byte[] second = "second version, longer than the first".getBytes(StandardCharsets.UTF_8);
        store.put(Bucket.RESULTS, "results/j/crop-map.tif", HELLO, "image/tiff");

        store.put(Bucket.RESULTS, "results/j/crop-map.tif", second, "application/octet-stream");

        assertArrayEquals(second, read(Bucket.RESULTS, "results/j/crop-map.tif"));
        ObjectInfo info = store.head(Bucket.RESULTS, "results/j/crop-map.tif").orElseThrow();
        assertEquals(second.length, info.size());
        assertEquals(md5(second), info.eTag());
        assertEquals("application/octet-stream", info.contentType());
        assertEquals(1, store.list(Bucket.RESULTS, "results/").size());
    }

    @Test
    void headDescribesTheObject() {
        Instant before = Instant.now().minusSeconds(2);
        store.put(Bucket.BASELINES, "dw/zim/summer/2023/dw.tif", HELLO, "image/tiff; application=geotiff");
        Instant after = Instant.now().plusSeconds(2);

        ObjectInfo info = store.head(Bucket.BASELINES, "dw/zim/summer/2023/dw.tif").orElseThrow();

        assertEquals("dw/zim/summer/2023/dw.tif", info.key());
        assertEquals(HELLO.length, info.size());
        assertEquals(md5(HELLO), info.eTag());
        assertEquals("image/tiff; application=geotiff", info.contentType());
        assertTrue(!info.lastModified().isBefore(before) && !info.lastModified().isAfter(after),
                "lastModified " + info.lastModified() + " not between " + before + " and " + after);
        assertEquals(Optional.empty(), store.head(Bucket.BASELINES, "dw/zim/summer/2023/missing.tif"));
    }

    // ---------------------------------------------------------------- listing and deleting

    @Test
    void listFiltersByPrefixAndSortsByKey() {
        List<String> keys = List.of("results/a/tiles/2.tif", "results/a/tiles/10.tif", "results/a/crop-map.tif",
                "results/a/tiles/deep/x.tif", "results/ab/crop-map.tif", "results/b/crop-map.tif", "readme.txt");
        for (String key : keys) {
            store.put(Bucket.RESULTS, key, key.getBytes(StandardCharsets.UTF_8), "text/plain");
        }

        assertEquals(List.of("results/a/crop-map.tif", "results/a/tiles/10.tif", "results/a/tiles/2.tif",
                "results/a/tiles/deep/x.tif"), keysOf(store.list(Bucket.RESULTS, "results/a/")));
        // A prefix need not end at a folder boundary.
        assertEquals(List.of("results/a/crop-map.tif", "results/a/tiles/10.tif", "results/a/tiles/2.tif",
                "results/a/tiles/deep/x.tif", "results/ab/crop-map.tif"), keysOf(store.list(Bucket.RESULTS, "results/a")));
        assertEquals(List.of("results/a/tiles/10.tif", "results/a/tiles/2.tif", "results/a/tiles/deep/x.tif"),
                keysOf(store.list(Bucket.RESULTS, "results/a/tiles/")));
        assertEquals(List.of("results/a/tiles/deep/x.tif"), keysOf(store.list(Bucket.RESULTS, "results/a/tiles/d")));
        List<String> all = keys.stream().sorted(ObjectKeys.UTF8_ORDER).toList();
        assertEquals(all, keysOf(store.list(Bucket.RESULTS, "")));
        assertEquals(List.of(), store.list(Bucket.RESULTS, "results/zzz/"));
        assertEquals(List.of(), store.list(Bucket.MODELS, ""));

        ObjectInfo listed = store.list(Bucket.RESULTS, "results/b/").getFirst();
        byte[] content = "results/b/crop-map.tif".getBytes(StandardCharsets.UTF_8);
        assertEquals(content.length, listed.size());
        assertEquals(md5(content), listed.eTag());
        assertEquals(null, listed.contentType(), "listings carry no content type, on every backend");
        assertTrue(listed.lastModified() != null);
    }

    @Test
    void deleteSaysWhetherThereWasAnObject() {
        store.put(Bucket.FEATURES, "jobs/j/1.tif", HELLO, null);
        store.put(Bucket.FEATURES, "jobs/j/2.tif", HELLO, null);

        assertTrue(store.delete(Bucket.FEATURES, "jobs/j/1.tif"));
        assertFalse(store.delete(Bucket.FEATURES, "jobs/j/1.tif"));
        assertFalse(store.delete(Bucket.FEATURES, "jobs/never/written.tif"));
        assertFalse(store.delete(Bucket.FEATURES, "jobs/j"), "a folder-like prefix is not an object");

        assertEquals(Optional.empty(), store.get(Bucket.FEATURES, "jobs/j/1.tif"));
        assertEquals(Optional.empty(), store.head(Bucket.FEATURES, "jobs/j/1.tif"));
        assertEquals(List.of("jobs/j/2.tif"), keysOf(store.list(Bucket.FEATURES, "")));

        assertTrue(store.delete(Bucket.FEATURES, "jobs/j/2.tif"));
        assertEquals(List.of(), store.list(Bucket.FEATURES, ""));
        // Once a folder's last object is gone, its name can hold an object again.
        store.put(Bucket.FEATURES, "jobs/j", HELLO, null);
        assertArrayEquals(HELLO, readUnchecked(Bucket.FEATURES, "jobs/j"));
    }

    // ---------------------------------------------------------------- ranges

    @Test
    void readRangeHasHttpRangeSemantics() {
        byte[] content = new byte[1000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i % 251);
        }
        store.put(Bucket.BASELINES, "dw/zim/summer/2020/cog.tif", content, "image/tiff");
        String key = "dw/zim/summer/2020/cog.tif";

        assertArrayEquals(slice(content, 0, 10), store.readRange(Bucket.BASELINES, key, 0, 10), "start");
        assertArrayEquals(slice(content, 500, 20), store.readRange(Bucket.BASELINES, key, 500, 20), "middle");
        assertArrayEquals(slice(content, 999, 1), store.readRange(Bucket.BASELINES, key, 999, 1), "last byte");
        assertArrayEquals(slice(content, 990, 10), store.readRange(Bucket.BASELINES, key, 990, 50),
                "a range past the end returns the short tail");
        assertArrayEquals(content, store.readRange(Bucket.BASELINES, key, 0, 1000), "whole object");
        assertArrayEquals(new byte[0], store.readRange(Bucket.BASELINES, key, 500, 0), "zero bytes");

        InvalidRangeException atEnd = assertThrows(InvalidRangeException.class,
                () -> store.readRange(Bucket.BASELINES, key, 1000, 1));
        assertTrue(atEnd.getMessage().contains(key) && atEnd.getMessage().contains("geocrop-baselines"),
                atEnd.getMessage());
        assertEquals(416, atEnd.statusCode());
        InvalidRangeException beyond = assertThrows(InvalidRangeException.class,
                () -> store.readRange(Bucket.BASELINES, key, 5000, 10));
        assertEquals(5000, beyond.offset());
        assertEquals(1000, beyond.objectSize());
        assertTrue(beyond.getMessage().contains("5000"), beyond.getMessage());

        assertThrows(IllegalArgumentException.class, () -> store.readRange(Bucket.BASELINES, key, -1, 10));
        assertThrows(IllegalArgumentException.class, () -> store.readRange(Bucket.BASELINES, key, 0, -1));
    }

    @Test
    void notFoundErrorsNameBucketAndKey() {
        String key = "results/" + "0f8fad5b-d9cb-469f-a165-70867728950e" + "/crop-map.tif";

        ObjectNotFoundException range = assertThrows(ObjectNotFoundException.class,
                () -> store.readRange(Bucket.RESULTS, key, 0, 100));
        assertTrue(range.getMessage().contains("geocrop-results"), range.getMessage());
        assertTrue(range.getMessage().contains(key), range.getMessage());
        assertEquals(key, range.key());
        assertEquals("geocrop-results", range.bucket());
        assertThrows(ObjectNotFoundException.class, () -> store.readRange(Bucket.RESULTS, key, 0, 0));

        ObjectStorageException copy = assertThrows(ObjectStorageException.class,
                () -> store.operations(Bucket.RESULTS).copy(key, "results/copy.tif"));
        assertInstanceOf(ObjectNotFoundException.class, copy);
        assertTrue(copy.getMessage().contains(key), copy.getMessage());
        assertEquals(Optional.empty(), store.head(Bucket.RESULTS, "results/copy.tif"));
    }

    @Test
    void bucketsMustBeEnsuredFirst() throws Exception {
        try (ObjectStore bare = newEmptyStore()) {
            StorageException put = assertThrows(StorageException.class,
                    () -> bare.put(Bucket.RESULTS, "results/x.json", HELLO, null));
            assertTrue(put.getMessage().contains("geocrop-results"), put.getMessage());
            assertTrue(put.getMessage().contains("results/x.json"), put.getMessage());
            StorageException list = assertThrows(StorageException.class, () -> bare.list(Bucket.MODELS, ""));
            assertTrue(list.getMessage().contains("geocrop-models"), list.getMessage());
            assertThrows(StorageException.class, () -> bare.get(Bucket.RESULTS, "results/x.json"));
            assertEquals(Optional.empty(), bare.head(Bucket.RESULTS, "results/x.json"));
            assertFalse(bare.delete(Bucket.RESULTS, "results/x.json"));
            assertFalse(bare.operations(Bucket.RESULTS).exists("results/x.json"));
            assertThrows(StorageException.class, () -> bare.readRange(Bucket.RESULTS, "results/x.json", 0, 1));
            assertThrows(StorageException.class, () -> bare.operations(Bucket.RESULTS).retrieve("results/x.json"));

            bare.ensureBuckets();
            bare.ensureBuckets(); // idempotent

            bare.put(Bucket.RESULTS, "results/x.json", HELLO, null);
            for (Bucket bucket : Bucket.values()) {
                assertEquals(bucket == Bucket.RESULTS ? 1 : 0, bare.list(bucket, "").size(), bucket.bucketName());
            }
        }
    }

    // ---------------------------------------------------------------- Micronaut Object Storage API

    @Test
    void micronautOperationsRoundTrip() throws IOException {
        ObjectStorageOperations<?, ?, ?> operations = store.operations(Bucket.MODELS);
        String key = "models/crop-gbt/3/model.onnx";

        UploadResponse<?> response = operations.upload(UploadRequest.fromBytes(HELLO, key, "application/x-onnx"));
        assertEquals(key, response.getKey());
        assertEquals(md5(HELLO), S3ObjectStore.unquote(response.getETag()));

        Optional<ObjectStorageEntry<?>> entry = operations.retrieve(key);
        assertTrue(entry.isPresent());
        assertEquals(key, entry.get().getKey());
        assertEquals(Optional.of("application/x-onnx"), entry.get().getContentType());
        try (InputStream in = entry.get().getInputStream()) {
            assertArrayEquals(HELLO, in.readAllBytes());
        }
        assertEquals(Optional.empty(), operations.retrieve("models/crop-gbt/3/missing.onnx"));

        assertTrue(operations.exists(key));
        assertFalse(operations.exists("models/crop-gbt/3/missing.onnx"));
        assertEquals(Set.of(key), operations.listObjects());

        operations.copy(key, "models/crop-gbt/4/model.onnx");
        assertArrayEquals(HELLO, read(Bucket.MODELS, "models/crop-gbt/4/model.onnx"));
        assertEquals("application/x-onnx",
                store.head(Bucket.MODELS, "models/crop-gbt/4/model.onnx").orElseThrow().contentType());
        assertEquals(List.of(key, "models/crop-gbt/4/model.onnx"), List.copyOf(operations.listObjects()));

        operations.delete(key);
        assertFalse(operations.exists(key));
        assertEquals(Optional.empty(), store.get(Bucket.MODELS, key));
        assertEquals(Set.of("models/crop-gbt/4/model.onnx"), operations.listObjects());
    }

    @Test
    void micronautUploadsFromFilesAndWithConsumers() throws IOException {
        ObjectStorageOperations<?, ?, ?> operations = store.operations(Bucket.FEATURES);
        Path file = scratch.resolve("tile 7.tif");
        Files.write(file, HELLO);

        UploadResponse<?> fromFile = operations.upload(UploadRequest.fromPath(file, "uploads"));
        assertEquals("uploads/tile 7.tif", fromFile.getKey());
        assertArrayEquals(HELLO, read(Bucket.FEATURES, "uploads/tile 7.tif"));

        uploadWithConsumer(operations, UploadRequest.fromBytes(HELLO, "uploads/consumed.tif", "image/tiff"));
        assertEquals("image/tiff", store.head(Bucket.FEATURES, "uploads/consumed.tif").orElseThrow().contentType());
    }

    // ---------------------------------------------------------------- keys

    /** At least 15 keys every method must refuse: label, key. */
    static Stream<Arguments> unsafeKeys() {
        return Stream.of(
                Arguments.of("null", null),
                Arguments.of("empty", ""),
                Arguments.of("blank", "   "),
                Arguments.of("absolute", "/etc/passwd"),
                Arguments.of("absolute with backslash", "\\abs"),
                Arguments.of("windows drive", "C:\\x"),
                Arguments.of("windows drive, forward slash", "C:/x"),
                Arguments.of("backslash inside", "a\\..\\b"),
                Arguments.of("dot-dot", ".."),
                Arguments.of("leading dot-dot", "../x"),
                Arguments.of("inner dot-dot", "a/../b"),
                Arguments.of("trailing dot-dot", "a/.."),
                Arguments.of("leading dot", "./a"),
                Arguments.of("inner dot", "a/./b"),
                Arguments.of("empty segment", "a//b"),
                Arguments.of("trailing slash", "a/"),
                Arguments.of("NUL", "a\u0000b"),
                Arguments.of("newline", "a\nb"),
                Arguments.of("DEL", "a\u007Fb"),
                Arguments.of("percent-encoded dot-dot", "%2e%2e/x"),
                Arguments.of("percent-encoded upper case", "a/%2E%2E/b"),
                Arguments.of("double percent-encoded", "%252e%252e/x"),
                Arguments.of("percent-encoded slash", "..%2fx"),
                Arguments.of("percent-encoded NUL", "a%00b"),
                Arguments.of("overlong UTF-8 dot", "%c0%ae%c0%ae/x"),
                Arguments.of("fullwidth dots", "\uFF0E\uFF0E/x"),
                Arguments.of("dot-dot-space (Windows)", "a/.. /b"),
                Arguments.of("unpaired surrogate", "a\uD800b"),
                Arguments.of("1025 bytes", "k".repeat(1025)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("unsafeKeys")
    void everyMethodRefusesUnsafeKeys(String label, String key) throws Exception {
        String safeKey = "uploads/existing.tif";
        store.put(Bucket.FEATURES, safeKey, HELLO, "image/tiff");
        Path file = scratch.resolve("input.tif");
        Files.write(file, HELLO);
        Bucket bucket = Bucket.FEATURES;
        ObjectStorageOperations<?, ?, ?> operations = store.operations(bucket);

        List<Executable> calls = new ArrayList<>(List.of(
                () -> store.put(bucket, key, HELLO, "image/tiff"),
                () -> store.put(bucket, key, file, "image/tiff"),
                () -> store.get(bucket, key),
                () -> store.readRange(bucket, key, 0, 1),
                () -> store.head(bucket, key),
                () -> store.delete(bucket, key),
                () -> operations.upload(new BytesUploadRequest(HELLO, "image/tiff", key, Map.of())),
                () -> uploadWithConsumer(operations, new BytesUploadRequest(HELLO, "image/tiff", key, Map.of())),
                () -> operations.retrieve(key),
                () -> operations.exists(key),
                () -> operations.delete(key),
                () -> operations.copy(key, "uploads/copy.tif"),
                () -> operations.copy(safeKey, key)));
        if (key == null || !VALID_PREFIXES.contains(key)) {
            calls.add(() -> store.list(bucket, key));
        }
        for (int i = 0; i < calls.size(); i++) {
            UnsafeKeyException e = assertThrows(UnsafeKeyException.class, calls.get(i),
                    label + ": call #" + i + " accepted " + ObjectKeys.quote(key));
            assertEquals(key, e.key());
            assertTrue(e.getMessage().contains(ObjectKeys.quote(key)), e.getMessage());
        }

        for (Bucket any : Bucket.values()) {
            List<String> expected = any == Bucket.FEATURES ? List.of(safeKey) : List.of();
            assertEquals(expected, keysOf(store.list(any, "")), "nothing written to " + any.bucketName());
        }
        assertArrayEquals(HELLO, read(Bucket.FEATURES, safeKey));
        assertNothingStoredOutsideTheStore();
    }

    /** Keys that look odd but are legal: they must round-trip byte for byte and list as written. */
    static Stream<String> unusualLegalKeys() {
        return Stream.of(
                "uploads/with space/tile 1.tif",
                "uploads/ñandú/日本語.tif",
                "uploads/emoji/\uD83C\uDF3D maize.tif",
                "uploads/plus+equals=sign.tif",
                "uploads/brackets (1) [copy] {x}.tif",
                "uploads/50% off.tif",
                "uploads/%41 stays literal.tif",
                "uploads/a..b/c...d/..hidden",
                "uploads/.hidden",
                "uploads/semi;colon,comma@at&amp$dollar'quote!.tif",
                "uploads/tilde~caret^back`tick.tif",
                "uploads/colon:in:name.tif",
                // Exactly 1024 UTF-8 bytes, split into segments short enough for any filesystem.
                "uploads/" + "abcdefghi/".repeat(101) + "abcdef");
    }

    @Test
    void unusualButLegalKeysRoundTrip() throws IOException {
        List<String> keys = unusualLegalKeys().toList();
        assertEquals(ObjectKeys.MAX_KEY_BYTES, keys.getLast().getBytes(StandardCharsets.UTF_8).length);
        for (String key : keys) {
            assertEquals(key, ObjectKeys.requireSafe(key));
            store.put(Bucket.FEATURES, key, key.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
        }
        for (String key : keys) {
            assertArrayEquals(key.getBytes(StandardCharsets.UTF_8), read(Bucket.FEATURES, key), key);
            ObjectInfo info = store.head(Bucket.FEATURES, key).orElseThrow(() -> new AssertionError("head " + key));
            assertEquals(key, info.key());
            assertEquals(md5(key.getBytes(StandardCharsets.UTF_8)), info.eTag(), key);
            assertTrue(store.operations(Bucket.FEATURES).exists(key), key);
        }
        assertEquals(keys.stream().sorted(ObjectKeys.UTF8_ORDER).toList(), keysOf(store.list(Bucket.FEATURES, "")));
        assertEquals(List.of("uploads/ñandú/日本語.tif"), keysOf(store.list(Bucket.FEATURES, "uploads/ñandú/")));
        assertArrayEquals(slice("uploads/50% off.tif".getBytes(StandardCharsets.UTF_8), 8, 3),
                store.readRange(Bucket.FEATURES, "uploads/50% off.tif", 8, 3));
        for (String key : keys) {
            assertTrue(store.delete(Bucket.FEATURES, key), key);
        }
        assertEquals(List.of(), store.list(Bucket.FEATURES, ""));
    }

    // ---------------------------------------------------------------- helpers

    /** Reads a whole object, failing when it is missing. */
    protected byte[] read(Bucket bucket, String key) throws IOException {
        try (InputStream in = store.get(bucket, key).orElseThrow(() -> new AssertionError("missing " + key))) {
            return in.readAllBytes();
        }
    }

    private byte[] readUnchecked(Bucket bucket, String key) {
        try {
            return read(bucket, key);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The keys of a listing, in its order. */
    protected static List<String> keysOf(List<ObjectInfo> infos) {
        return infos.stream().map(ObjectInfo::key).toList();
    }

    /** Hex MD5, the ETag of a single-part upload. */
    protected static String md5(byte[] data) {
        return HexFormat.of().formatHex(md5Digest().digest(data));
    }

    /** Hex MD5 of a stream, read in 64 KiB chunks. */
    protected static String md5(InputStream in) throws IOException {
        MessageDigest digest = md5Digest();
        try (DigestInputStream digesting = new DigestInputStream(in, digest)) {
            byte[] buffer = new byte[64 * 1024];
            while (digesting.read(buffer) >= 0) {
                // reading is hashing
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Writes {@code size} deterministic, incompressible-looking bytes in 64 KiB chunks (never the whole file in
     * memory) and returns their hex MD5.
     */
    protected static String writePatternFile(Path file, long size, long seed) throws IOException {
        MessageDigest digest = md5Digest();
        byte[] chunk = new byte[64 * 1024];
        long state = seed;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; ) {
                int n = (int) Math.min(chunk.length, size - written);
                for (int i = 0; i < n; i++) {
                    state = state * 6364136223846793005L + 1442695040888963407L; // LCG: fast and repeatable
                    chunk[i] = (byte) (state >>> 56);
                }
                out.write(chunk, 0, n);
                digest.update(chunk, 0, n);
                written += n;
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Bytes allocated on the heap by the calling thread while {@code action} ran. */
    protected static long allocatedBy(Executable action) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        try {
            action.execute();
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    private static <I> UploadResponse<?> uploadWithConsumer(ObjectStorageOperations<I, ?, ?> operations,
                                                            UploadRequest request) {
        return operations.upload(request, builder -> { });
    }

    private static byte[] slice(byte[] data, int offset, int length) {
        return java.util.Arrays.copyOfRange(data, offset, offset + length);
    }

    private static MessageDigest md5Digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
