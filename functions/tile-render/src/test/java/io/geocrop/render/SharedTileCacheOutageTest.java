package io.geocrop.render;

import io.geocrop.platform.HttpTestClient;

import io.geocrop.tiles.TestCogs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.platform.BlackholeProxy;
import io.geocrop.platform.EmbeddedTestProperties;
import io.geocrop.raster.proj.CrsTransforms;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.ObjectStore;
import io.geocrop.tiles.TileMath;
import io.lettuce.core.RedisURI;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tiles never fail because of the shared cache: with the path to Redis black-holed (connections open, no answers),
 * every tile is still rendered, each Redis call ending at the 1 s command timeout as a miss or a skipped store.
 */
class SharedTileCacheOutageTest {

    @Test
    void aBlackholedRedisOnlyCostsTheCache() throws Exception {
        RedisURI redis = RedisURI.create(SharedTileCacheTest.REDIS);
        int year = 2017 + (int) (System.nanoTime() % 5);
        try (BlackholeProxy proxy = new BlackholeProxy(redis.getHost(), redis.getPort())) {
            Map<String, Object> props = new HashMap<>(EmbeddedTestProperties.with(Map.of("geocrop.tiles.shared-cache", "redis",
                    "geocrop.events.redis-uri", proxy.redisUri(), "geocrop.events.redis-timeout", "1s",
                    "geocrop.tiles.cache-bytes", "0", "geocrop.imagery.source", "stac")));
            try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props)) {
                ObjectStore store = server.getApplicationContext().getBean(ObjectStore.class);
                Path dw = TestCogs.writeDynamicWorldUtm(Files.createTempDirectory("outage").resolve("dw.tif"));
                store.put(Bucket.BASELINES, ObjectKeys.baseline(year, "dw-outage.tif"), dw, "image/tiff");
                double[] ll = CrsTransforms.between(TestCogs.EPSG, CrsTransforms.WGS84).apply(
                        TestCogs.origin()[0] + TestCogs.WIDTH * 5, TestCogs.origin()[1] - TestCogs.HEIGHT * 5);
                double span = TileMath.tileSpan(14);
                int x = (int) ((TileMath.mercatorX(ll[0]) + TileMath.ORIGIN_SHIFT) / span);
                int y = (int) ((TileMath.ORIGIN_SHIFT - TileMath.mercatorY(ll[1])) / span);
                String path = "/tiles/dw-" + year + "/14/" + x + "/" + y + ".png";
                HttpTestClient http = new HttpTestClient(server.getURI());
                HttpTestClient.Reply healthy = http.get(path);
                assertEquals(200, healthy.status(), healthy.body());

                proxy.blackhole();
                HttpTestClient.Reply cold = http.get(path);
                assertEquals(200, cold.status(), cold.body());
                assertTrue(cold.bytes().length > 0);
                HttpTestClient.Reply again = http.get(path.replace("/" + y + ".png", "/" + (y + 1) + ".png"));
                assertTrue(again.status() == 200 || again.status() == 204 || again.status() == 404, "never a 5xx: " + again.status());
            }
        }
    }
}
