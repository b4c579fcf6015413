package io.geocrop.render;

import io.geocrop.platform.redis.GeoCropRedis;
import io.geocrop.storage.ObjectStore;
import io.geocrop.tiles.CogCache;
import io.geocrop.tiles.InMemoryTileCache;
import io.geocrop.tiles.MosaicIndex;
import io.geocrop.tiles.PngEncoder;
import io.geocrop.tiles.RedisTileCache;
import io.geocrop.tiles.TieredTileCache;
import io.geocrop.tiles.TileCache;
import io.geocrop.tiles.TilePipeline;
import io.geocrop.tiles.TileRenderer;
import io.lettuce.core.RedisClient;
import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Builds the plain-Java tile collaborators. All of them are created on first use and touch no storage until a
 * request needs a file, so start-up stays cheap (scale-to-zero).
 */
@Factory
final class TileRenderFactory {

    /** Tiles too large for a shared cache entry are only kept in process. */
    private static final int MAX_SHARED_TILE_BYTES = 1 << 20;

    /**
     * The in-process cache, and with {@code geocrop.tiles.shared-cache=redis} Redis behind it, shared by every
     * tile-render instance of the cluster.
     */
    @Singleton
    TileCache tileCache(TileRenderSettings settings, BeanContext context) {
        InMemoryTileCache local = new InMemoryTileCache(settings.cacheBytes());
        return switch (settings.sharedCache().toLowerCase(java.util.Locale.ROOT)) {
            case "none", "" -> local;
            case "redis" -> {
                SharedTileCacheConnection redis = context.getBean(SharedTileCacheConnection.class);
                yield new TieredTileCache(local, new RedisTileCache(redis.connection(), "geocrop:tiles:",
                        settings.sharedCacheTtl(), MAX_SHARED_TILE_BYTES));
            }
            default -> throw new IllegalArgumentException("geocrop.tiles.shared-cache must be none or redis, got "
                    + settings.sharedCache());
        };
    }

    /** The Redis connection of the shared tile cache (bytes in, bytes out), closed with the application. */
    @Singleton
    @Bean(preDestroy = "close")
    SharedTileCacheConnection sharedTileCacheConnection(@Named(GeoCropRedis.SERVER) RedisClient redis) {
        return SharedTileCacheConnection.open(redis);
    }

    @Singleton
    CogCache cogCache(ObjectStore store, TileRenderSettings settings) {
        return new CogCache(store, settings.openCogs(), settings.cogBlockBytes(), settings.decodedBlockBytes(),
                settings.revalidateAfter(), System::nanoTime);
    }

    /** The listing of each year's baseline COGs, drawn as one mosaic layer. */
    @Singleton
    MosaicIndex mosaicIndex(ObjectStore store, CogCache cogs, TileRenderSettings settings) {
        return new MosaicIndex(store, cogs, settings.baselineIndexTtl(), System::nanoTime);
    }

    @Singleton
    TilePipeline tilePipeline(TileCache cache, TileRenderSettings settings) {
        return new TilePipeline(new TileRenderer(), new PngEncoder(settings.pngLevel()), cache);
    }
}
