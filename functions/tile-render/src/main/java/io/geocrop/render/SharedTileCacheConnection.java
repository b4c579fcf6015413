package io.geocrop.render;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;

/** A Redis client and its byte-array connection for the shared tile cache; {@link #close()} releases both. */
record SharedTileCacheConnection(RedisClient client, StatefulRedisConnection<byte[], byte[]> connection)
        implements AutoCloseable {

    /** Connects with {@code timeout} on every command, so a slow Redis is a cache miss, not a stalled tile. */
    static SharedTileCacheConnection open(io.lettuce.core.RedisURI redisUri) {
        RedisClient client = RedisClient.create(redisUri);
        try {
            return new SharedTileCacheConnection(client, client.connect(ByteArrayCodec.INSTANCE));
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
