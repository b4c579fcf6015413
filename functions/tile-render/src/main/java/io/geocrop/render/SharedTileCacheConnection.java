package io.geocrop.render;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;

/**
 * The byte-array connection of the shared tile cache, opened on micronaut-redis's client of
 * {@code redis.servers.geocrop} (its URI and command timeout, so a slow Redis is a cache miss, not a stalled tile).
 * {@link #close()} closes the connection; the client is micronaut-redis's to shut down.
 */
record SharedTileCacheConnection(StatefulRedisConnection<byte[], byte[]> connection) implements AutoCloseable {

    static SharedTileCacheConnection open(RedisClient client) {
        return new SharedTileCacheConnection(client.connect(ByteArrayCodec.INSTANCE));
    }

    @Override
    public void close() {
        connection.close();
    }
}
