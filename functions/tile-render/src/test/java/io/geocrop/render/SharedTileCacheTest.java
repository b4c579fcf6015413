package io.geocrop.render;

import io.geocrop.platform.HttpTestClient;

import io.geocrop.tiles.TestCogs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.platform.EmbeddedTestProperties;
import io.geocrop.raster.proj.CrsTransforms;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.ObjectStore;
import io.geocrop.tiles.TieredTileCache;
import io.geocrop.tiles.TileCache;
import io.geocrop.tiles.TileMath;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** With {@code geocrop.tiles.shared-cache=redis}, rendered tiles land in the machine's real Redis for every instance. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedTileCacheTest implements TestPropertyProvider {
    static final String REDIS = System.getenv().getOrDefault("GEOCROP_TEST_REDIS_URI", "redis://127.0.0.1:6379");
    /** A valid season year; its keys in Redis are cleared first, since other runs may have left some. */
    static final int YEAR = 2017 + (int) (System.nanoTime() % 5);

    @Inject EmbeddedServer server;
    @Inject ObjectStore store;
    @Inject TileCache cache;

    @Override
    public Map<String, String> getProperties() {
        return EmbeddedTestProperties.with(Map.of("geocrop.tiles.shared-cache", "redis", "geocrop.events.redis-uri", REDIS,
                "geocrop.imagery.source", "stac"));
    }

    @Test
    void aRenderedTileIsStoredInRedisBehindTheLocalCache() throws Exception {
        assertInstanceOf(TieredTileCache.class, cache);
        RedisClient cleaner = RedisClient.create(REDIS);
        try (StatefulRedisConnection<String, String> redis = cleaner.connect()) {
            List<String> stale = redis.sync().keys("geocrop:tiles:dw-" + YEAR + "/*");
            if (!stale.isEmpty()) {
                redis.sync().del(stale.toArray(String[]::new));
            }
        } finally {
            cleaner.shutdown();
        }
        Path dw = TestCogs.writeDynamicWorldUtm(Files.createTempDirectory("shared-cache").resolve("dw.tif"));
        store.put(Bucket.BASELINES, ObjectKeys.baseline(YEAR, "dw-label.tif"), dw, "image/tiff");
        double[] ll = CrsTransforms.between(TestCogs.EPSG, CrsTransforms.WGS84).apply(TestCogs.origin()[0] + TestCogs.WIDTH * 5,
                TestCogs.origin()[1] - TestCogs.HEIGHT * 5);
        double span = TileMath.tileSpan(14);
        int x = (int) ((TileMath.mercatorX(ll[0]) + TileMath.ORIGIN_SHIFT) / span);
        int y = (int) ((TileMath.ORIGIN_SHIFT - TileMath.mercatorY(ll[1])) / span);
        HttpTestClient http = new HttpTestClient(server.getURI());
        HttpTestClient.Reply reply = http.get("/tiles/dw-" + YEAR + "/14/" + x + "/" + y + ".png");
        assertEquals(200, reply.status(), reply.body());

        RedisClient client = RedisClient.create(REDIS);
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            List<String> keys = redis.sync().keys("geocrop:tiles:dw-" + YEAR + "/*");
            assertEquals(1, keys.size(), keys.toString());
            assertTrue(keys.get(0).endsWith("/14/" + x + "/" + y + "@1"), keys.get(0));
            long ttl = redis.sync().ttl(keys.get(0));
            assertTrue(ttl > 0 && ttl <= 86_400, "TTL " + ttl);
            redis.sync().del(keys.get(0));
        } finally {
            client.shutdown();
        }
        assertArrayEquals(reply.bytes(), http.get("/tiles/dw-" + YEAR + "/14/" + x + "/" + y + ".png").bytes(),
                "the local level still serves it");
    }
}
