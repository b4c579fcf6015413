package io.geocrop.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract against the embedded store, plus what only a filesystem can get wrong. */
class LocalObjectStoreTest extends ObjectStoreContract {

    private static final byte[] TIFF = "II*\0 pretend tiff".getBytes(StandardCharsets.ISO_8859_1);

    /** Holds only store roots (and, in the link tests, an "outside" folder). */
    @TempDir
    Path sandbox;

    private final List<StoredObjectEvent> events = new CopyOnWriteArrayList<>();
    private int storeCount;

    @Override
    protected ObjectStore newEmptyStore() {
        storeCount++;
        return new LocalObjectStore(sandbox.resolve("store-" + storeCount), events::add);
    }

    @Override
    protected List<String> storeArgumentsForAnotherJvm() {
        return List.of("local", local().root().toString());
    }

    private LocalObjectStore local() {
        return (LocalObjectStore) store;
    }

    private Path bucketDirectory(Bucket bucket) {
        return local().root().resolve(bucket.bucketName());
    }

    /** Every file in the sandbox is an object of the store or its sidecar, and every object file is listed. */
    @Override
    protected void assertNothingStoredOutsideTheStore() throws IOException {
        Path root = local().root();
        Set<Path> objectFiles = new HashSet<>();
        try (Stream<Path> files = Files.walk(sandbox)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path real = file.toRealPath();
                assertTrue(real.startsWith(root), "file outside the store root: " + real);
                Path relative = root.relativize(real);
                assertFalse(relative.getFileName().toString().startsWith(LocalObjectStore.TEMP_PREFIX),
                        "temporary file left behind: " + real);
                if (!relative.getName(0).toString().equals(LocalObjectStore.META_DIRECTORY)) {
                    objectFiles.add(real);
                }
            }
        }
        Set<Path> listed = new HashSet<>();
        for (Bucket bucket : Bucket.values()) {
            for (ObjectInfo info : store.list(bucket, "")) {
                listed.add(local().pathOf(bucket, info.key()).toRealPath());
            }
        }
        assertEquals(listed, objectFiles);
    }

    @Test
    void objectsArePlainFilesAtRootBucketKey() throws IOException {
        store.put(Bucket.RESULTS, "results/j1/crop-map.tif", TIFF, "image/tiff");

        Path expected = local().root().resolve("geocrop-results/results/j1/crop-map.tif");
        assertArrayEquals(TIFF, Files.readAllBytes(expected));
        assertEquals(expected, local().pathOf(Bucket.RESULTS, "results/j1/crop-map.tif"));
        try (Stream<Path> files = Files.walk(bucketDirectory(Bucket.RESULTS))) {
            assertEquals(List.of(expected), files.filter(Files::isRegularFile).toList(),
                    "no sidecar or temp file inside the bucket directory");
        }
        assertInstanceOf(LocalObjectStorageOperations.class, store.operations(Bucket.RESULTS));
    }

    @Test
    void rootIsCreatedAndCanonical() throws IOException {
        Path target = Files.createDirectories(sandbox.resolve("real-root"));
        Path link = Files.createSymbolicLink(sandbox.resolve("linked-root"), target);
        try (LocalObjectStore viaLink = new LocalObjectStore(link.resolve("new/store"), ObjectCreatedListener.NONE)) {
            assertEquals(target.toRealPath().resolve("new/store"), viaLink.root());
            viaLink.ensureBuckets();
            for (Bucket bucket : Bucket.values()) {
                assertTrue(Files.isDirectory(target.resolve("new/store").resolve(bucket.bucketName())),
                        bucket.bucketName());
            }
        }
    }

    @Test
    void listenerHearsEveryCreatedObjectOnce() throws IOException {
        Path file = scratch.resolve("tile.tif");
        Files.write(file, TIFF);
        byte[] manifest = "{}".getBytes(StandardCharsets.UTF_8);

        store.put(Bucket.FEATURES, "jobs/j/1.tif", TIFF, "image/tiff");
        store.put(Bucket.FEATURES, "uploads/2.tif", file, null);
        store.operations(Bucket.RESULTS).upload(
                io.micronaut.objectstorage.request.UploadRequest.fromBytes(manifest, "results/j/imagery-manifest.json",
                        "application/json"));
        store.operations(Bucket.FEATURES).copy("jobs/j/1.tif", "jobs/j/3.tif");
        store.delete(Bucket.FEATURES, "uploads/2.tif");
        assertFalse(store.delete(Bucket.FEATURES, "uploads/2.tif"));
        store.readRange(Bucket.FEATURES, "jobs/j/1.tif", 0, 2);

        assertEquals(4, events.size(), events.toString());
        assertEvent(events.get(0), "geocrop-features", "jobs/j/1.tif", TIFF, "image/tiff");
        assertEvent(events.get(1), "geocrop-features", "uploads/2.tif", TIFF, ObjectStore.DEFAULT_CONTENT_TYPE);
        assertEvent(events.get(2), "geocrop-results", "results/j/imagery-manifest.json", manifest, "application/json");
        assertEvent(events.get(3), "geocrop-features", "jobs/j/3.tif", TIFF, "image/tiff");
    }

    @Test
    void listenerRunsAfterTheObjectIsVisible() {
        AtomicInteger seenSize = new AtomicInteger(-1);
        LocalObjectStore[] self = new LocalObjectStore[1];
        self[0] = new LocalObjectStore(sandbox.resolve("visible"), event -> seenSize.set(
                self[0].head(Bucket.FEATURES, event.key()).map(info -> (int) info.size()).orElse(-2)));
        self[0].ensureBuckets();

        self[0].put(Bucket.FEATURES, "jobs/j/1.tif", TIFF, "image/tiff");

        assertEquals(TIFF.length, seenSize.get());
    }

    @Test
    void failingListenerIsReportedButTheObjectStays() throws IOException {
        try (LocalObjectStore failing = new LocalObjectStore(sandbox.resolve("failing"), event -> {
            throw new IllegalStateException("broker down");
        })) {
            failing.ensureBuckets();

            StorageException e = assertThrows(StorageException.class,
                    () -> failing.put(Bucket.FEATURES, "jobs/j/1.tif", TIFF, "image/tiff"));

            assertTrue(e.getMessage().contains("listener") && e.getMessage().contains("broker down"), e.getMessage());
            assertTrue(e.getMessage().contains("jobs/j/1.tif"), e.getMessage());
            assertEquals(TIFF.length, failing.head(Bucket.FEATURES, "jobs/j/1.tif").orElseThrow().size());
        }
    }

    @Test
    void concurrentWritersOfOneKeyLeaveOneCompleteObject() throws Exception {
        int writers = 8;
        int rounds = 60;
        int size = 16 * 1024;
        String key = "jobs/race/32736-63-1567.tif";
        List<byte[]> contents = new ArrayList<>();
        Set<String> candidates = new HashSet<>();
        Map<String, String> typeOf = new java.util.concurrent.ConcurrentHashMap<>();
        for (int w = 0; w < writers; w++) {
            byte[] content = new byte[size + w * 1000]; // sizes differ too, so a mix-up of sidecars would show
            Arrays.fill(content, (byte) ('A' + w));
            content[0] = (byte) w;
            contents.add(content);
            candidates.add(md5(content));
            typeOf.put(md5(content), "image/tiff; writer=" + w); // a sidecar mixed up with content would show
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger reads = new AtomicInteger();
            store.put(Bucket.FEATURES, key, contents.get(0), typeOf.get(md5(contents.get(0))));
            Future<?> reader = pool.submit(() -> {
                while (writing.get()) {
                    try (InputStream in = store.get(Bucket.FEATURES, key).orElseThrow()) {
                        String seen = md5(in);
                        assertTrue(candidates.contains(seen), "a reader saw a partial or mixed object");
                        reads.incrementAndGet();
                    }
                    store.head(Bucket.FEATURES, key).ifPresent(info -> assertEquals(
                            typeOf.get(info.eTag()), info.contentType(), "head mixed two writers: " + info));
                }
                return null;
            });
            for (int round = 0; round < rounds; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    byte[] content = contents.get(w);
                    String contentType = "image/tiff; writer=" + w;
                    futures.add(pool.submit(() -> {
                        start.await();
                        store.put(Bucket.FEATURES, key, content, contentType);
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> future : futures) {
                    future.get(30, TimeUnit.SECONDS);
                }
            }
            writing.set(false);
            reader.get(30, TimeUnit.SECONDS);
            assertTrue(reads.get() > 0, "the reader never got to read");
        } finally {
            pool.shutdownNow();
        }

        byte[] stored = read(Bucket.FEATURES, key);
        assertTrue(candidates.contains(md5(stored)), "the stored object is none of the written ones");
        ObjectInfo info = store.head(Bucket.FEATURES, key).orElseThrow();
        assertEquals(md5(stored), info.eTag(), "sidecar belongs to another writer's content");
        assertEquals(typeOf.get(md5(stored)), info.contentType(), "sidecar belongs to another writer's content");
        assertEquals(stored.length, info.size());
        assertEquals(1 + writers * rounds, events.size());
        try (Stream<Path> files = Files.list(local().pathOf(Bucket.FEATURES, key).getParent())) {
            assertEquals(List.of("32736-63-1567.tif"), files.map(p -> p.getFileName().toString()).toList(),
                    "temporary files left behind");
        }
    }

    @Test
    void symbolicLinkedFolderInsideRootCannotBeWrittenOrReadThrough() throws IOException {
        Path outside = Files.createDirectories(sandbox.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createDirectories(bucketDirectory(Bucket.RESULTS).resolve("results"));
        Files.createSymbolicLink(bucketDirectory(Bucket.RESULTS).resolve("results/escape"), outside);

        for (String key : List.of("results/escape/x.tif", "results/escape/sub/x.tif", "results/escape/secret.txt")) {
            StorageException put = assertThrows(StorageException.class,
                    () -> store.put(Bucket.RESULTS, key, TIFF, "image/tiff"));
            assertTrue(put.getMessage().contains("symbolic link"), put.getMessage());
            assertTrue(put.getMessage().contains(key), put.getMessage());
            assertThrows(StorageException.class, () -> store.operations(Bucket.RESULTS).upload(
                    io.micronaut.objectstorage.request.UploadRequest.fromBytes(TIFF, key)));
        }
        assertThrows(StorageException.class, () -> store.get(Bucket.RESULTS, "results/escape/secret.txt"));
        assertThrows(StorageException.class, () -> store.readRange(Bucket.RESULTS, "results/escape/secret.txt", 0, 3));
        assertThrows(StorageException.class, () -> store.head(Bucket.RESULTS, "results/escape/secret.txt"));
        assertThrows(StorageException.class, () -> store.delete(Bucket.RESULTS, "results/escape/secret.txt"));
        assertThrows(StorageException.class, () -> store.list(Bucket.RESULTS, "results/escape/"));
        assertEquals(List.of(), store.list(Bucket.RESULTS, ""), "links are not followed when listing");

        try (Stream<Path> files = Files.walk(outside)) {
            assertEquals(List.of(outside, outside.resolve("secret.txt")), files.sorted().toList(),
                    "something was created outside the store");
        }
        assertEquals("secret", Files.readString(outside.resolve("secret.txt")));
        assertTrue(events.isEmpty());
    }

    @Test
    void symbolicLinkedFileInsideRootIsNeitherOverwrittenNorRead() throws IOException {
        Path outside = Files.createDirectories(sandbox.resolve("outside"));
        Path target = Files.writeString(outside.resolve("target.tif"), "outside");
        Files.createSymbolicLink(bucketDirectory(Bucket.FEATURES).resolve("link.tif"), target);

        StorageException e = assertThrows(StorageException.class,
                () -> store.put(Bucket.FEATURES, "link.tif", TIFF, "image/tiff"));

        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertEquals("outside", Files.readString(target));
        assertTrue(Files.isSymbolicLink(bucketDirectory(Bucket.FEATURES).resolve("link.tif")));
        assertThrows(StorageException.class, () -> store.get(Bucket.FEATURES, "link.tif"));
        assertEquals(List.of(), store.list(Bucket.FEATURES, ""));
    }

    @Test
    void symbolicLinkedBucketDirectoryIsRefused() throws IOException {
        Path outside = Files.createDirectories(sandbox.resolve("outside-bucket"));
        Path root = Files.createDirectories(sandbox.resolve("linked-bucket-root"));
        Files.createSymbolicLink(root.resolve(Bucket.MODELS.bucketName()), outside);
        try (LocalObjectStore linked = new LocalObjectStore(root, ObjectCreatedListener.NONE)) {
            StorageException e = assertThrows(StorageException.class, linked::ensureBuckets);
            assertTrue(e.getMessage().contains("geocrop-models") && e.getMessage().contains("symbolic link"),
                    e.getMessage());
            assertThrows(StorageException.class,
                    () -> linked.put(Bucket.MODELS, "models/m/1/model.onnx", TIFF, null));
        }
        try (Stream<Path> files = Files.list(outside)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void aFolderAndAnObjectCannotShareAName() {
        store.put(Bucket.DATASETS, "labels/2023/points.csv", TIFF, "text/csv");
        store.put(Bucket.DATASETS, "labels/readme", TIFF, "text/plain");

        StorageException folderInTheWay = assertThrows(StorageException.class,
                () -> store.put(Bucket.DATASETS, "labels/2023", TIFF, "text/plain"));
        assertTrue(folderInTheWay.getMessage().contains("labels/2023"), folderInTheWay.getMessage());
        StorageException objectInTheWay = assertThrows(StorageException.class,
                () -> store.put(Bucket.DATASETS, "labels/readme/more.txt", TIFF, "text/plain"));
        assertTrue(objectInTheWay.getMessage().contains("labels/readme/more.txt"), objectInTheWay.getMessage());

        assertEquals(List.of("labels/2023/points.csv", "labels/readme"), keysOf(store.list(Bucket.DATASETS, "")));
    }

    @Test
    void leftoverTemporaryFilesAreNeverListedAndTheirNamesAreReserved() throws IOException {
        store.put(Bucket.FEATURES, "uploads/a.tif", TIFF, "image/tiff");
        Path leftover = bucketDirectory(Bucket.FEATURES).resolve("uploads/" + LocalObjectStore.TEMP_PREFIX + "123.tmp");
        Files.write(leftover, TIFF);

        assertEquals(List.of("uploads/a.tif"), keysOf(store.list(Bucket.FEATURES, "")));
        assertEquals(Set.of("uploads/a.tif"), store.operations(Bucket.FEATURES).listObjects());
        String reserved = "uploads/" + LocalObjectStore.TEMP_PREFIX + "123.tmp";
        UnsafeKeyException e = assertThrows(UnsafeKeyException.class, () -> store.get(Bucket.FEATURES, reserved));
        assertTrue(e.getMessage().contains("reserves"), e.getMessage());
        assertThrows(UnsafeKeyException.class, () -> store.put(Bucket.FEATURES, reserved, TIFF, null));
    }

    @Test
    void missingOrStaleSidecarFallsBackToTheContent() throws IOException {
        String key = "dw/zim/summer/2021/dw.tif";
        store.put(Bucket.BASELINES, key, TIFF, "image/tiff");
        Path sidecar = local().root().resolve(LocalObjectStore.META_DIRECTORY).resolve("geocrop-baselines").resolve(key);
        assertTrue(Files.isRegularFile(sidecar), "sidecar at " + sidecar);

        Files.delete(sidecar);
        ObjectInfo withoutSidecar = store.head(Bucket.BASELINES, key).orElseThrow();
        assertEquals(md5(TIFF), withoutSidecar.eTag());
        assertEquals(ObjectStore.DEFAULT_CONTENT_TYPE, withoutSidecar.contentType());

        store.put(Bucket.BASELINES, key, TIFF, "image/tiff");
        byte[] edited = "edited by hand, longer".getBytes(StandardCharsets.UTF_8);
        Files.write(local().pathOf(Bucket.BASELINES, key), edited);
        ObjectInfo stale = store.head(Bucket.BASELINES, key).orElseThrow();
        assertEquals(md5(edited), stale.eTag());
        assertEquals(edited.length, stale.size());

        Files.writeString(sidecar, "{not json");
        assertEquals(md5(edited), store.head(Bucket.BASELINES, key).orElseThrow().eTag());
    }

    @Test
    void operationsKeepContentTypeAndMetadataFromTheConsumer() throws IOException {
        LocalObjectStorageOperations operations = local().operations(Bucket.MODELS);
        var request = io.micronaut.objectstorage.request.UploadRequest.fromBytes(TIFF, "models/m/1/card.md");
        request.setMetadata(Map.of("model", "m"));

        operations.upload(request, options -> {
            options.contentType("text/markdown");
            options.metadata().put("version", "1");
        });

        LocalObjectStorageEntry entry = operations.retrieve("models/m/1/card.md").orElseThrow();
        try (InputStream in = entry.getInputStream()) {
            assertArrayEquals(TIFF, in.readAllBytes());
        }
        assertEquals("text/markdown", entry.getContentType().orElseThrow());
        assertEquals(Map.of("model", "m", "version", "1"), entry.getMetadata());
        assertEquals(md5(TIFF), entry.getNativeEntry().eTag());
        assertTrue(operations.delete("models/m/1/card.md"));
        assertFalse(operations.delete("models/m/1/card.md"));
        assertFalse(Files.exists(local().root().resolve("geocrop-models/models")), "empty folders are removed");
    }

    private static void assertEvent(StoredObjectEvent event, String bucket, String key, byte[] content,
                                    String contentType) {
        assertEquals(bucket, event.bucket());
        assertEquals(key, event.key());
        assertEquals(content.length, event.size());
        assertEquals(md5(content), event.eTag());
        assertEquals(contentType, event.contentType());
        assertTrue(event.time() != null);
    }
}
