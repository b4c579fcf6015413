package io.geocrop.raster.io;

import io.geocrop.raster.ByteRange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static io.geocrop.raster.io.SourceFixtures.expected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CachingByteSourceTest {
    private static final String FIXTURE = "rio-tiler_web.tif";
    private static final int BLOCK = 16 * 1024;
    private static byte[] file;
    private static RangeHttpServer server;

    @BeforeAll
    static void start() throws IOException {
        file = SourceFixtures.bytes(FIXTURE);
        server = new RangeHttpServer(file);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static FileByteSource fileSource() {
        return new FileByteSource(SourceFixtures.fixture(FIXTURE));
    }

    @Test
    void randomReadsMatchTheFileAndTheCacheStaysWithinItsBound() throws IOException {
        FileByteSource delegate = fileSource();
        try (CachingByteSource cache = new CachingByteSource(delegate, 4 * BLOCK, BLOCK)) {
            Random random = new Random(3);
            for (ByteRange r : SourceFixtures.randomRanges(random, file.length, 300, 3 * BLOCK)) {
                assertArrayEquals(expected(file, r), cache.read(r.offset(), r.length()), r.toString());
                assertTrue(cache.cachedBytes() <= 4 * BLOCK, "cache holds " + cache.cachedBytes());
            }
            List<ByteRange> batch = SourceFixtures.randomRanges(random, file.length, 10, 1000);
            List<byte[]> out = cache.read(batch);
            for (int i = 0; i < batch.size(); i++) {
                assertArrayEquals(expected(file, batch.get(i)), out.get(i));
            }
            assertTrue(cache.stats().cacheHits() > 0 && cache.stats().cacheMisses() > 0, cache.stats().toString());
        }
    }

    @Test
    void leastRecentlyUsedBlockIsEvictedFirst() throws IOException {
        FileByteSource delegate = fileSource();
        try (CachingByteSource cache = new CachingByteSource(delegate, 4 * BLOCK, BLOCK)) {
            for (int b = 0; b < 4; b++) {
                cache.read((long) b * BLOCK, 10);
            }
            assertEquals(4, cache.cachedBlocks());
            assertEquals(4 * BLOCK, cache.cachedBytes());
            cache.read(5, 10); // block 0 is now the most recently used
            long before = delegate.stats().requests();
            cache.read(4L * BLOCK, 10); // block 4 evicts block 1, the least recently used
            assertEquals(before + 1, delegate.stats().requests());
            assertEquals(4 * BLOCK, cache.cachedBytes());

            cache.read(100, 10);
            cache.read(2L * BLOCK + 3, 10);
            cache.read(3L * BLOCK + 3, 10);
            assertEquals(before + 1, delegate.stats().requests(), "blocks 0, 2 and 3 were still cached");
            cache.read(BLOCK + 1, 10);
            assertEquals(before + 2, delegate.stats().requests(), "block 1 had been evicted");
        }
    }

    @Test
    void missingBlocksOfOneReadAreFetchedWithOneMergedRequest() throws IOException {
        server.reset();
        HttpByteSource http = new HttpByteSource(server.uri("/file.tif"), HttpSettings.defaults());
        try (CachingByteSource cache = new CachingByteSource(http, 1 << 20, BLOCK)) {
            cache.length(); // one request: the header prefetch that also tells the length
            server.reset();
            ByteRange wide = new ByteRange(100_000, 5 * BLOCK);
            assertArrayEquals(expected(file, wide), cache.read(wide.offset(), wide.length()));
            assertEquals(1, server.requests.get(), server.log.toString());
            assertArrayEquals(expected(file, new ByteRange(110_000, 1000)), cache.read(110_000, 1000));
            assertEquals(1, server.requests.get(), "served from cache");
            assertEquals(1, cache.stats().requests(), "one delegate batch; length() is not a batch");
        }
    }

    @Test
    void concurrentReadersOfOneBlockShareOneFetch() throws Exception {
        server.reset();
        HttpByteSource http = new HttpByteSource(server.uri("/file.tif"), HttpSettings.defaults()
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5)));
        try (CachingByteSource cache = new CachingByteSource(http, 1 << 20, BLOCK)) {
            cache.length();
            server.reset();
            server.delayMillis = 300;
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch go = new CountDownLatch(1);
            try {
                List<Callable<byte[]>> tasks = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    tasks.add(() -> {
                        go.await();
                        return cache.read(200_000, 5000);
                    });
                }
                List<Future<byte[]>> futures = new ArrayList<>();
                for (Callable<byte[]> task : tasks) {
                    futures.add(pool.submit(task));
                }
                go.countDown();
                for (Future<byte[]> f : futures) {
                    assertArrayEquals(expected(file, new ByteRange(200_000, 5000)), f.get());
                }
            } finally {
                server.delayMillis = 0;
                pool.shutdownNow();
            }
            assertEquals(1, server.requests.get(), "8 readers, one fetch: " + server.log);
        }
    }

    @Test
    void concurrentRandomReadersNeverOverfillTheCache() throws Exception {
        try (CachingByteSource cache = new CachingByteSource(fileSource(), 8 * BLOCK, BLOCK)) {
            AtomicLong maxSeen = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Callable<Void>> tasks = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    long seed = 100 + t;
                    tasks.add(() -> {
                        for (ByteRange r : SourceFixtures.randomRanges(new Random(seed), file.length, 200, 2 * BLOCK)) {
                            assertArrayEquals(expected(file, r), cache.read(r.offset(), r.length()));
                            maxSeen.accumulateAndGet(cache.cachedBytes(), Math::max);
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
            assertTrue(maxSeen.get() <= 8 * BLOCK, "cache grew to " + maxSeen.get());
        }
    }

    @Test
    void endOfFileAndArguments() throws IOException {
        try (CachingByteSource cache = new CachingByteSource(fileSource(), 4 * BLOCK, BLOCK)) {
            assertEquals(file.length, cache.length());
            assertArrayEquals(expected(file, new ByteRange(file.length - 7, 100)), cache.read(file.length - 7, 100));
            assertThrows(EOFException.class, () -> cache.read(file.length, 1));
            assertEquals(0, cache.read(file.length, 0).length);
            assertEquals(SourceFixtures.fixture(FIXTURE).toString(), cache.describe());
        }
        assertThrows(IllegalArgumentException.class, () -> new CachingByteSource(fileSource(), 100, 1000));
        assertThrows(IllegalArgumentException.class, () -> new CachingByteSource(fileSource(), 100, 0));
    }

    @Test
    void failedFetchIsReportedAndNotCached() throws IOException {
        server.reset();
        server.always503 = true;
        HttpByteSource http = new HttpByteSource(server.uri("/file.tif"), HttpSettings.defaults()
                .withRetries(2, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(5)));
        try (CachingByteSource cache = new CachingByteSource(http, 1 << 20, BLOCK)) {
            assertThrows(HttpStatusException.class, () -> cache.read(0, 10));
            server.always503 = false;
            assertArrayEquals(expected(file, new ByteRange(0, 10)), cache.read(0, 10));
            assertEquals(1, cache.cachedBlocks(), "only the successful fetch was cached");
        } finally {
            server.always503 = false;
        }
    }
}
