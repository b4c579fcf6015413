package io.geocrop.tiles;

/** The contract on the in-process cache. */
class InMemoryTileCacheContractTest extends TileCacheContract {
    @Override
    TileCache newCache() {
        return new InMemoryTileCache(16L << 20);
    }
}
