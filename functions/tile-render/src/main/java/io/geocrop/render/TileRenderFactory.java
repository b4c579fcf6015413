package io.geocrop.render;

import io.geocrop.storage.ObjectStore;
import io.geocrop.tiles.CogCache;
import io.geocrop.tiles.InMemoryTileCache;
import io.geocrop.tiles.PngEncoder;
import io.geocrop.tiles.TileCache;
import io.geocrop.tiles.TilePipeline;
import io.geocrop.tiles.TileRenderer;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * Builds the plain-Java tile collaborators. All of them are created on first use and touch no storage until a
 * request needs a file, so start-up stays cheap (scale-to-zero).
 */
@Factory
final class TileRenderFactory {

    /** The in-process cache; a Redis-backed {@link TileCache} would replace this bean in the cluster. */
    @Singleton
    TileCache tileCache(TileRenderSettings settings) {
        return new InMemoryTileCache(settings.cacheBytes());
    }

    @Singleton
    CogCache cogCache(ObjectStore store, TileRenderSettings settings) {
        return new CogCache(store, settings.openCogs(), settings.cogBlockBytes(), settings.revalidateAfter(), System::nanoTime);
    }

    @Singleton
    TilePipeline tilePipeline(TileCache cache, TileRenderSettings settings) {
        return new TilePipeline(new TileRenderer(), new PngEncoder(settings.pngLevel()), cache);
    }
}
