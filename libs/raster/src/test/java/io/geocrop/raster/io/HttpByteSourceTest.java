package io.geocrop.raster.io;

import io.geocrop.raster.ByteRange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.geocrop.raster.io.SourceFixtures.expected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HttpByteSource against a real HTTP server on loopback serving a GeoTIFF fixture. */
class HttpByteSourceTest {
    private static final String FIXTURE = "rio-tiler_cog.tif";
    private static byte[] file;
    private static RangeHttpServer server;

    /** Fast retries so failure tests take milliseconds, not seconds. */
    private static final HttpSettings FAST = HttpSettings.defaults()
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
            .withRetries(4, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(10));

    @BeforeAll
    static void start() throws IOException {
        file = SourceFixtures.bytes(FIXTURE);
        server = new RangeHttpServer(file);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void resetServer() {
        server.reset();
        server.fail503.set(0);
        server.fail429.set(0);
        server.stallNext.set(0);
        server.truncateNext.set(0);
        server.always503 = false;
        server.ignoreRange = false;
        server.headWithoutLength = false;
        server.delayMillis = 0;
        server.redirectTarget = "/file.tif";
    }

    private static HttpByteSource source(HttpSettings settings) {
        return new HttpByteSource(server.uri("/file.tif"), settings);
    }

    @Test
    void randomRangesMatchTheFile() throws IOException {
        try (HttpByteSource source = source(FAST)) {
            assertEquals(file.length, source.length());
            List<ByteRange> ranges = SourceFixtures.randomRanges(new Random(42), file.length, 60, 70_000);
            ranges.add(new ByteRange(file.length - 10, 100)); // runs past the end: the 10-byte tail
            ranges.add(new ByteRange(0, 1));
            for (ByteRange r : ranges) {
                assertArrayEquals(expected(file, r), source.read(r.offset(), r.length()), r.toString());
            }
            List<byte[]> batch = source.read(ranges);
            for (int i = 0; i < ranges.size(); i++) {
                assertArrayEquals(expected(file, ranges.get(i)), batch.get(i), ranges.get(i).toString());
            }
        }
    }

    @Test
    void firstLengthCallFetchesTheHeaderInOneRequestAndKeepsIt() throws IOException {
        try (HttpByteSource source = source(FAST)) {
            assertEquals(file.length, source.length());
            assertEquals(1, server.requests.get(), server.log.toString());
            assertTrue(server.log.getFirst().startsWith("GET /file.tif bytes=0-16383"), server.log.toString());
            assertArrayEquals(expected(file, new ByteRange(8, 4000)), source.read(8, 4000));
            assertArrayEquals(expected(file, new ByteRange(0, 16384)), source.read(0, 16384));
            assertEquals(1, server.requests.get(), "header reads are served from the prefetched bytes");
            assertEquals(2, source.stats().cacheHits());
            assertEquals(1, source.stats().requests());
            assertEquals(16384, source.stats().bytesFetched());
        }
    }

    @Test
    void lengthWithoutPrefetchUsesHeadAndFallsBackToAOneByteGet() throws IOException {
        try (HttpByteSource source = source(FAST.withHeaderPrefetchBytes(0))) {
            assertEquals(file.length, source.length());
            assertEquals(List.of("HEAD /file.tif null null"), server.log);
        }
        server.reset();
        server.headWithoutLength = true;
        try (HttpByteSource source = source(FAST.withHeaderPrefetchBytes(0))) {
            assertEquals(file.length, source.length());
            assertEquals(2, server.requests.get(), server.log.toString());
            assertTrue(server.log.get(1).startsWith("GET /file.tif bytes=0-0"), server.log.toString());
        }
    }

    @Test
    void rangeReadLearnsTheLengthFromContentRange() throws IOException {
        try (HttpByteSource source = source(FAST)) {
            source.read(50_000, 100);
            assertEquals(file.length, source.length());
            assertEquals(1, server.requests.get(), "no HEAD, no prefetch: the Content-Range total was enough");
        }
    }

    @Test
    void adjacentRangesAreMergedIntoOneRequest() throws IOException {
        try (HttpByteSource source = source(FAST)) {
            List<ByteRange> ranges = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                ranges.add(new ByteRange(100_000 + i * 4096L, 4096));
            }
            Collections.shuffle(ranges, new Random(7));
            List<byte[]> out = source.read(ranges);
            assertEquals(1, server.requests.get(), server.log.toString());
            assertTrue(server.log.getFirst().contains("bytes=100000-165535"), server.log.toString());
            for (int i = 0; i < ranges.size(); i++) {
                assertArrayEquals(expected(file, ranges.get(i)), out.get(i));
            }
        }
    }

    @Test
    void smallGapsAreReadThroughAndLargeGapsSplitRequests() throws IOException {
        try (HttpByteSource source = source(FAST.withMerging(16 * 1024, 16 * 1024 * 1024, 1))) {
            List<ByteRange> near = List.of(new ByteRange(200_000, 1000), new ByteRange(210_000, 1000),
                    new ByteRange(226_000, 1000));
            List<byte[]> out = source.read(near);
            assertEquals(1, server.requests.get(), "gaps of 9 and 15 KB are below the 16 KiB merge gap");
            for (int i = 0; i < near.size(); i++) {
                assertArrayEquals(expected(file, near.get(i)), out.get(i));
            }
            server.reset();
            List<ByteRange> far = List.of(new ByteRange(300_000, 1000), new ByteRange(400_000, 1000),
                    new ByteRange(500_000, 1000));
            out = source.read(far);
            assertEquals(3, server.requests.get());
            for (int i = 0; i < far.size(); i++) {
                assertArrayEquals(expected(file, far.get(i)), out.get(i));
            }
        }
    }

    @Test
    void mergedRequestsRunInParallelWithinTheBound() throws IOException {
        server.delayMillis = 150;
        try (HttpByteSource source = source(FAST.withMerging(0, 1 << 20, 3))) {
            List<ByteRange> ranges = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ranges.add(new ByteRange(i * 90_000L, 500));
            }
            List<byte[]> out = source.read(ranges);
            assertEquals(8, server.requests.get());
            assertTrue(server.maxInFlight.get() >= 2, "requests should overlap, max in flight was " + server.maxInFlight);
            assertTrue(server.maxInFlight.get() <= 3, "at most 3 at once, saw " + server.maxInFlight);
            for (int i = 0; i < ranges.size(); i++) {
                assertArrayEquals(expected(file, ranges.get(i)), out.get(i));
            }
        }
    }

    @Test
    void serviceUnavailableIsRetriedThenSucceeds() throws IOException {
        server.fail503.set(2);
        try (HttpByteSource source = source(FAST)) {
            assertArrayEquals(expected(file, new ByteRange(1000, 500)), source.read(1000, 500));
            assertEquals(3, server.requests.get());
            assertEquals(2, source.stats().retries());
        }
    }

    @Test
    void truncatedBodyIsRetried() throws IOException {
        server.truncateNext.set(1);
        try (HttpByteSource source = source(FAST)) {
            assertArrayEquals(expected(file, new ByteRange(70_000, 40_000)), source.read(70_000, 40_000));
            assertEquals(2, server.requests.get(), server.log.toString());
        }
    }

    @Test
    void stalledRequestTimesOutAndIsRetried() throws IOException {
        server.stallNext.set(1);
        HttpSettings settings = FAST.withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300));
        long started = System.nanoTime();
        try (HttpByteSource source = source(settings)) {
            assertArrayEquals(expected(file, new ByteRange(5000, 10)), source.read(5000, 10));
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(2, server.requests.get());
        assertTrue(millis < 2500, "the stalled request should be abandoned after 300 ms, took " + millis);
    }

    @Test
    void tooManyRequestsHonoursRetryAfter() throws IOException {
        server.fail429.set(1);
        server.retryAfterSeconds = 1;
        long started = System.nanoTime();
        try (HttpByteSource source = source(FAST)) {
            assertArrayEquals(expected(file, new ByteRange(0, 10)), source.read(0, 10));
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(2, server.requests.get());
        assertTrue(millis >= 950, "Retry-After: 1 should make it wait a second, waited " + millis + " ms");
    }

    @Test
    void retryAfterIsCapped() throws IOException {
        server.fail429.set(1);
        server.retryAfterSeconds = 3600;
        long started = System.nanoTime();
        try (HttpByteSource source = source(FAST.withMaxRetryAfter(Duration.ofMillis(100)))) {
            assertArrayEquals(expected(file, new ByteRange(0, 10)), source.read(0, 10));
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis < 2000, "Retry-After capped at 100 ms, waited " + millis + " ms");
    }

    @Test
    void exhaustedRetriesNameTheUrlAndStatus() {
        server.always503 = true;
        HttpSettings settings = FAST.withRetries(3, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5));
        try (HttpByteSource source = source(settings)) {
            HttpStatusException e = assertThrows(HttpStatusException.class, () -> source.read(0, 100));
            assertEquals(503, e.status());
            assertTrue(e.getMessage().contains(server.uri("/file.tif").toString()), e.getMessage());
            assertTrue(e.getMessage().contains("3 attempts") && e.getMessage().contains("503"), e.getMessage());
            assertEquals(3, server.requests.get());
        }
    }

    @Test
    void retryBudgetStopsRetryingEarly() {
        server.always503 = true;
        HttpSettings settings = FAST.withRetries(50, Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(250));
        try (HttpByteSource source = source(settings)) {
            IOException e = assertThrows(IOException.class, () -> source.read(0, 100));
            assertTrue(e.getMessage().contains("retry budget"), e.getMessage());
            assertTrue(server.requests.get() <= 4, "budget of 250 ms with 50-100 ms waits: " + server.requests);
        }
    }

    @Test
    void notFoundIsNotRetried() {
        try (HttpByteSource source = new HttpByteSource(server.uri("/missing"), FAST)) {
            HttpStatusException e = assertThrows(HttpStatusException.class, () -> source.read(0, 100));
            assertEquals(404, e.status());
            assertTrue(e.getMessage().contains(server.uri("/missing").toString()), e.getMessage());
            assertEquals(1, server.requests.get());
            assertThrows(HttpStatusException.class, source::length);
        }
    }

    @Test
    void connectionRefusedIsRetriedThenNamesTheUrl() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort + "/x.tif");
        try (HttpByteSource source = new HttpByteSource(nowhere,
                FAST.withRetries(2, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(5)))) {
            IOException e = assertThrows(IOException.class, () -> source.read(0, 10));
            assertTrue(e.getMessage().contains(nowhere.toString()) && e.getMessage().contains("2 attempts"),
                    e.getMessage());
            assertEquals(1, source.stats().retries());
        }
    }

    @Test
    void hostOutsideTheAllowlistIsRefusedBeforeAnyRequest() {
        HttpSettings settings = FAST.withAllowedHosts(Set.of("example.org", "*.amazonaws.com"));
        try (HttpByteSource source = source(settings)) {
            HostNotAllowedException e = assertThrows(HostNotAllowedException.class, () -> source.read(0, 10));
            assertEquals("127.0.0.1", e.host());
            assertTrue(e.getMessage().contains("127.0.0.1") && e.getMessage().contains("example.org"), e.getMessage());
            assertThrows(HostNotAllowedException.class, source::length);
            assertThrows(HostNotAllowedException.class, () -> source.read(List.of(new ByteRange(0, 5))));
        }
        assertEquals(0, server.requests.get());
        assertTrue(settings.isHostAllowed("deafrica-sentinel-2.s3.af-south-1.amazonaws.com"));
        assertFalse(settings.isHostAllowed("amazonaws.com.evil.example"));
        assertFalse(settings.isHostAllowed("sub.example.org"));
    }

    @Test
    void redirectToAHostOutsideTheAllowlistIsRefused() throws IOException {
        server.redirectTarget = "http://localhost:" + server.port() + "/file.tif";
        try (HttpByteSource source = new HttpByteSource(server.uri("/redirect"),
                FAST.withAllowedHosts(Set.of("127.0.0.1")))) {
            HostNotAllowedException e = assertThrows(HostNotAllowedException.class, () -> source.read(0, 10));
            assertEquals("localhost", e.host());
            assertEquals(1, server.requests.get(), "only the redirect itself was requested");
        }
        server.reset();
        try (HttpByteSource source = new HttpByteSource(server.uri("/redirect"),
                FAST.withAllowedHosts(Set.of("127.0.0.1", "localhost")))) {
            assertArrayEquals(expected(file, new ByteRange(20, 30)), source.read(20, 30));
            assertEquals(2, server.requests.get());
        }
    }

    @Test
    void credentialsNeverAppearInDescriptionsOrErrorsAndStayOnTheirHost() throws IOException {
        URI secretUri = URI.create("http://reader:s3cr3t@127.0.0.1:" + server.port()
                + "/missing?X-Amz-Credential=AKIDEXAMPLE&X-Amz-Signature=deadbeef");
        HttpSettings settings = FAST.withHeaders(Map.of("X-Api-Key", "topsecretkey"));
        try (HttpByteSource source = new HttpByteSource(secretUri, settings)) {
            HttpStatusException e = assertThrows(HttpStatusException.class, () -> source.read(0, 10));
            for (String text : List.of(source.describe(), e.getMessage(), e.url(), source.toString(), settings.toString())) {
                for (String secret : List.of("s3cr3t", "AKIDEXAMPLE", "deadbeef", "topsecretkey")) {
                    assertFalse(text.contains(secret), secret + " leaked into: " + text);
                }
            }
            assertTrue(source.describe().contains("/missing?X-Amz-Credential=***&X-Amz-Signature=***"),
                    source.describe());
        }
        String basic = "Basic " + Base64.getEncoder().encodeToString("reader:s3cr3t".getBytes(StandardCharsets.UTF_8));
        assertTrue(server.log.getFirst().endsWith(basic), server.log.toString());

        // A redirect to another host (localhost is not 127.0.0.1 by name) must not carry the credentials along.
        server.reset();
        server.redirectTarget = "http://localhost:" + server.port() + "/file.tif";
        URI redirecting = URI.create("http://reader:s3cr3t@127.0.0.1:" + server.port() + "/redirect");
        try (HttpByteSource source = new HttpByteSource(redirecting, FAST)) {
            assertArrayEquals(expected(file, new ByteRange(0, 10)), source.read(0, 10));
        }
        assertEquals(2, server.log.size());
        assertTrue(server.log.get(0).endsWith(basic), server.log.toString());
        assertTrue(server.log.get(1).endsWith(" null"), "credentials went to another host: " + server.log);
    }

    @Test
    void serverIgnoringRangeIsAcceptedForASmallFileAndKeptInMemory() throws IOException {
        server.ignoreRange = true;
        try (HttpByteSource source = source(FAST.withMaxWholeBodyBytes(file.length))) {
            assertArrayEquals(expected(file, new ByteRange(123_456, 789)), source.read(123_456, 789));
            assertEquals(file.length, source.length());
            assertArrayEquals(expected(file, new ByteRange(500_000, 10_000)), source.read(500_000, 10_000));
            assertThrows(EOFException.class, () -> source.read(file.length, 1));
            assertEquals(1, server.requests.get(), "the whole body is kept: no second download");
        }
    }

    @Test
    void serverIgnoringRangeOnALargeFileIsAnErrorWithoutDownloadingIt() {
        server.ignoreRange = true;
        try (HttpByteSource source = source(FAST.withMaxWholeBodyBytes(10_000))) {
            IOException e = assertThrows(IOException.class, () -> source.read(0, 100));
            assertTrue(e.getMessage().contains("ignored the Range header"), e.getMessage());
            assertTrue(e.getMessage().contains(server.uri("/file.tif").toString()), e.getMessage());
            assertEquals(1, server.requests.get(), "not retried");
            assertEquals(0, source.stats().bytesFetched());
        }
    }

    @Test
    void readsPastTheEndAreEofAndTheTailIsShort() throws IOException {
        try (HttpByteSource source = source(FAST)) {
            assertThrows(EOFException.class, () -> source.read(file.length + 10L, 5));
            assertThrows(EOFException.class, () -> source.read(file.length, 5));
            assertEquals(file.length, source.length(), "the 416 answer told the length");
            assertArrayEquals(expected(file, new ByteRange(file.length - 10, 100)), source.read(file.length - 10, 100));
            assertEquals(0, source.read(file.length, 0).length);
            assertThrows(EOFException.class, () -> source.read(List.of(new ByteRange(0, 4), new ByteRange(file.length + 1L, 4))));
        }
    }

    @Test
    void concurrentReadersGetIdenticalBytes() throws Exception {
        try (HttpByteSource http = source(FAST);
             CachingByteSource cached = new CachingByteSource(source(FAST), 256 * 1024, 16 * 1024)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Callable<Void>> tasks = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    long seed = t;
                    tasks.add(() -> {
                        Random random = new Random(seed);
                        for (ByteRange r : SourceFixtures.randomRanges(random, file.length, 25, 40_000)) {
                            assertArrayEquals(expected(file, r), http.read(r.offset(), r.length()));
                            assertArrayEquals(expected(file, r), cached.read(r.offset(), r.length()));
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
            assertTrue(cached.cachedBytes() <= 256 * 1024);
        }
    }

    @Test
    void backoffGrowsWithJitterAndRespectsRetryAfterCap() {
        HttpSettings settings = HttpSettings.defaults()
                .withRetries(10, Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofSeconds(60))
                .withMaxRetryAfter(Duration.ofMillis(3000));
        try (HttpByteSource source = new HttpByteSource(URI.create("http://127.0.0.1:1/x"), settings)) {
            for (int i = 0; i < 50; i++) {
                long first = source.backoffMillis(1, null);
                assertTrue(first >= 50 && first <= 100, "attempt 1: " + first);
                long third = source.backoffMillis(3, null);
                assertTrue(third >= 200 && third <= 400, "attempt 3: " + third);
                long late = source.backoffMillis(9, null);
                assertTrue(late >= 500 && late <= 1000, "capped at 1 s: " + late);
                assertEquals(2000, source.backoffMillis(1, Duration.ofSeconds(2)));
                assertEquals(3000, source.backoffMillis(1, Duration.ofHours(1)));
            }
        }
        HttpHeaders date = HttpHeaders.of(Map.of("Retry-After", List.of("Wed, 21 Oct 2015 07:28:00 GMT")), (a, b) -> true);
        assertEquals(Duration.ZERO, HttpByteSource.retryAfter(date));
        HttpHeaders seconds = HttpHeaders.of(Map.of("Retry-After", List.of("7")), (a, b) -> true);
        assertEquals(Duration.ofSeconds(7), HttpByteSource.retryAfter(seconds));
        assertNull(HttpByteSource.retryAfter(HttpHeaders.of(Map.of(), (a, b) -> true)));
    }

    @Test
    void rejectsUnusableUrlsAndClients() {
        assertThrows(IllegalArgumentException.class, () -> new HttpByteSource(URI.create("ftp://example.org/a.tif"), FAST));
        assertThrows(IllegalArgumentException.class, () -> new HttpByteSource(URI.create("file:///etc/passwd"), FAST));
        assertThrows(IllegalArgumentException.class, () -> new HttpByteSource(URI.create("/relative.tif"), FAST));
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.ALWAYS).build();
        assertThrows(IllegalArgumentException.class,
                () -> new HttpByteSource(server.uri("/file.tif"), FAST, following));
        assertThrows(IllegalArgumentException.class, () -> FAST.withAllowedHosts(Set.of("a*b.org")));
        assertThrows(IllegalArgumentException.class, () -> FAST.withHeaders(Map.of("Range", "bytes=0-1")));
    }

    @Test
    void sharedClientStaysOpenWhenASourceCloses() throws IOException {
        HttpClient shared = HttpByteSource.newClient(FAST);
        try (shared) {
            new HttpByteSource(server.uri("/file.tif"), FAST, shared).close();
            try (HttpByteSource second = new HttpByteSource(server.uri("/file.tif"), FAST, shared)) {
                assertArrayEquals(expected(file, new ByteRange(0, 8)), second.read(0, 8));
            }
        }
    }
}
