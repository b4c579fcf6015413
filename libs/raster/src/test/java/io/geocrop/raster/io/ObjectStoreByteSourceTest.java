package io.geocrop.raster.io;

import io.geocrop.raster.ByteRange;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.LocalObjectStore;
import io.geocrop.storage.InProcessS3;
import io.geocrop.storage.ObjectCreatedListener;
import io.geocrop.storage.ObjectStore;
import io.geocrop.storage.S3ObjectStore;
import io.geocrop.storage.UnsafeKeyException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static io.geocrop.raster.io.SourceFixtures.expected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ObjectStoreByteSource on both stores GeoCrop runs on: the embedded filesystem store and a real S3 server
 * (s3proxy in-process, AWS V4 signatures, the same client code as for MinIO).
 */
class ObjectStoreByteSourceTest {
    private static final String FIXTURE = "rio-tiler_nocog.tif";
    private static final String KEY = "uploads/fixtures/rio-tiler_nocog.tif";
    private static final String ACCESS_KEY = "raster-test";
    private static final String SECRET_KEY = "raster-test-secret";

    @TempDir
    static Path root;
    private static byte[] file;
    private static InProcessS3 server;
    private static LocalObjectStore local;
    private static S3ObjectStore s3;

    @BeforeAll
    static void startStores() throws Exception {
        file = SourceFixtures.bytes(FIXTURE);
        local = new LocalObjectStore(root.resolve("store"), ObjectCreatedListener.NONE);
        server = InProcessS3.start(ACCESS_KEY, SECRET_KEY);
        s3 = S3ObjectStore.create(server.settings());
        for (ObjectStore store : List.of(local, s3)) {
            store.ensureBuckets();
            store.put(Bucket.FEATURES, KEY, SourceFixtures.fixture(FIXTURE), "image/tiff");
        }
    }

    @AfterAll
    static void stopStores() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static Stream<ObjectStore> stores() {
        return Stream.of(local, s3);
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("stores")
    void randomRangesMatchTheFile(ObjectStore store) throws IOException {
        try (ObjectStoreByteSource source = new ObjectStoreByteSource(store, Bucket.FEATURES, KEY)) {
            assertEquals(file.length, source.length());
            List<ByteRange> ranges = SourceFixtures.randomRanges(new Random(11), file.length, 40, 50_000);
            ranges.add(new ByteRange(file.length - 5, 50));
            for (ByteRange r : ranges) {
                assertArrayEquals(expected(file, r), source.read(r.offset(), r.length()), r.toString());
            }
            List<byte[]> batch = source.read(ranges);
            for (int i = 0; i < ranges.size(); i++) {
                assertArrayEquals(expected(file, ranges.get(i)), batch.get(i));
            }
            assertEquals("s3://geocrop-features/" + KEY, source.describe());
        }
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("stores")
    void adjacentRangesAreOneRangedGet(ObjectStore store) throws IOException {
        try (ObjectStoreByteSource source = new ObjectStoreByteSource(store, Bucket.FEATURES, KEY)) {
            List<ByteRange> ranges = new ArrayList<>();
            for (int i = 9; i >= 0; i--) {
                ranges.add(new ByteRange(300_000 + i * 2000L, 2000));
            }
            List<byte[]> out = source.read(ranges);
            assertEquals(1, source.stats().requests());
            assertEquals(20_000, source.stats().bytesFetched());
            for (int i = 0; i < ranges.size(); i++) {
                assertArrayEquals(expected(file, ranges.get(i)), out.get(i));
            }
            source.read(List.of(new ByteRange(0, 10), new ByteRange(400_000, 10), new ByteRange(700_000, 10)));
            assertEquals(4, source.stats().requests(), "far-apart ranges: one GET each");
        }
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("stores")
    void pastTheEndIsEofAndMissingObjectIsNamed(ObjectStore store) throws IOException {
        try (ObjectStoreByteSource source = new ObjectStoreByteSource(store, Bucket.FEATURES, KEY)) {
            EOFException eof = assertThrows(EOFException.class, () -> source.read(file.length, 10));
            assertTrue(eof.getMessage().contains("s3://geocrop-features/" + KEY), eof.getMessage());
            assertEquals(0, source.read(file.length, 0).length);
        }
        try (ObjectStoreByteSource missing = new ObjectStoreByteSource(store, Bucket.FEATURES, "uploads/none.tif")) {
            FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> missing.read(0, 10));
            assertTrue(e.getMessage().contains("s3://geocrop-features/uploads/none.tif"), e.getMessage());
            assertThrows(FileNotFoundException.class, missing::length);
        }
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("stores")
    void unsafeKeysAreRefusedUpFront(ObjectStore store) {
        assertThrows(UnsafeKeyException.class, () -> new ObjectStoreByteSource(store, Bucket.FEATURES, "../etc/passwd"));
    }
}
