package io.geocrop.raster.io;

import io.geocrop.raster.ByteRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.geocrop.raster.io.SourceFixtures.expected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileByteSourceTest {
    private static final String FIXTURE = "S2A_29RKH_20200219_0_L2A_B01.tif";

    @Test
    void randomRangesMatchTheFile() throws IOException {
        byte[] file = SourceFixtures.bytes(FIXTURE);
        try (FileByteSource source = new FileByteSource(SourceFixtures.fixture(FIXTURE))) {
            assertEquals(file.length, source.length());
            List<ByteRange> ranges = SourceFixtures.randomRanges(new Random(1), file.length, 200, 5000);
            for (ByteRange r : ranges) {
                assertArrayEquals(expected(file, r), source.read(r.offset(), r.length()), r.toString());
            }
            List<byte[]> batch = source.read(ranges);
            for (int i = 0; i < ranges.size(); i++) {
                assertArrayEquals(expected(file, ranges.get(i)), batch.get(i));
            }
            assertEquals(400, source.stats().requests());
            assertEquals(SourceFixtures.fixture(FIXTURE).toString(), source.describe());
        }
    }

    @Test
    void endOfFileRules() throws IOException {
        byte[] file = SourceFixtures.bytes(FIXTURE);
        try (FileByteSource source = new FileByteSource(SourceFixtures.fixture(FIXTURE))) {
            EOFException e = assertThrows(EOFException.class, () -> source.read(file.length + 1L, 1));
            assertTrue(e.getMessage().contains(FIXTURE), e.getMessage());
            assertThrows(EOFException.class, () -> source.read(file.length, 1));
            assertEquals(0, source.read(file.length, 0).length);
            assertEquals(3, source.read(file.length - 3, Integer.MAX_VALUE).length, "sized by the file, not the ask");
            assertThrows(IllegalArgumentException.class, () -> source.read(-1, 1));
        }
    }

    @Test
    void missingFileFailsOnOpenOrFirstReadNamingThePath(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nope.tif");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> FileByteSource.open(missing));
        assertTrue(e.getMessage().contains("nope.tif"));
        try (FileByteSource lazy = new FileByteSource(missing)) {
            assertThrows(NoSuchFileException.class, () -> lazy.read(0, 1));
        }
    }

    @Test
    void closedSourceRefusesReads(@TempDir Path dir) throws IOException {
        Path path = Files.write(dir.resolve("a.bin"), new byte[] {1, 2, 3});
        FileByteSource source = FileByteSource.open(path);
        assertArrayEquals(new byte[] {2, 3}, source.read(1, 5));
        source.close();
        IOException e = assertThrows(IOException.class, () -> source.read(0, 1));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void concurrentReadersShareOneChannel() throws Exception {
        byte[] file = SourceFixtures.bytes("rio-tiler_web.tif");
        try (FileByteSource source = new FileByteSource(SourceFixtures.fixture("rio-tiler_web.tif"))) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Callable<Void>> tasks = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    long seed = t;
                    tasks.add(() -> {
                        for (ByteRange r : SourceFixtures.randomRanges(new Random(seed), file.length, 300, 20_000)) {
                            assertArrayEquals(expected(file, r), source.read(r.offset(), r.length()));
                        }
                        return null;
                    });
                }
                for (Future<Void> f : pool.invokeAll(tasks)) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
