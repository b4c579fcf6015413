package io.geocrop.tiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A tile from an open COG: ETag, cache lookup, render and PNG encoding, cache store. Thread-safe.
 */
public final class TilePipeline {
    private final TileRenderer renderer;
    private final PngEncoder encoder;
    private final TileCache cache;

    public TilePipeline(TileRenderer renderer, PngEncoder encoder, TileCache cache) {
        this.renderer = renderer;
        this.encoder = encoder;
        this.cache = cache;
    }

    /**
     * A rendered tile.
     *
     * @param png      the PNG bytes
     * @param eTag     strong HTTP entity tag, quoted
     * @param cacheHit whether it came from the tile cache
     */
    public record Tile(byte[] png, String eTag, boolean cacheHit) {}

    /**
     * The strong HTTP ETag (quoted) of a tile: a hash of the source object's ETag, the layer, the style version,
     * the address and the scale. It is known before rendering, so a matching {@code If-None-Match} costs no render.
     */
    public static String eTag(OpenCog cog, String layer, LayerStyle style, TileCoord tile, int scale) {
        return hash(cog.eTag() + "|" + layer + "|" + style.id() + "@" + style.version() + "|" + tile + "|" + scale);
    }

    private static String hash(String material) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * The tile {@code tile} of layer {@code layer} at {@code scale} (1 = 256 px, 2 = 512 px), from the cache or
     * rendered and then cached.
     *
     * @throws TileOutsideLayerException if the tile does not overlap the layer
     * @throws InvalidTileException      if the scale is not 1..4
     * @throws IOException               if reading the COG fails
     */
    public Tile tile(OpenCog cog, String layer, LayerStyle style, TileCoord tile, int scale) throws IOException {
        if (scale < 1 || scale > 4) {
            throw new InvalidTileException("scale", "must be 1 (256 px) .. 4 (1024 px), got " + scale);
        }
        // Refuse tiles off the layer before the cache so a miss never masks a 404.
        if (!cog.footprint().mercatorBounds().overlaps(TileMath.mercatorBounds(tile))) {
            throw new TileOutsideLayerException("tile " + tile + " lies outside the bounds of layer " + layer);
        }
        String eTag = eTag(cog, layer, style, tile, scale);
        TileKey key = new TileKey(layer, cog.eTag() + "." + style.version(), tile.z(), tile.x(), tile.y(), scale);
        Optional<byte[]> cached = cache.get(key);
        if (cached.isPresent()) {
            return new Tile(cached.get(), eTag, true);
        }
        TileImage image = renderer.render(cog.tiff(), cog.footprint(), style, tile, 256 * scale);
        byte[] png = encoder.encode(image);
        cache.put(key, png);
        return new Tile(png, eTag, false);
    }

    /**
     * The strong HTTP ETag (quoted) of a mosaic tile: like {@link #eTag(OpenCog, String, LayerStyle, TileCoord, int)}
     * with the version of the sources covering the tile in place of one object's ETag, so it changes when one of
     * them is added, replaced or removed, and not when a COG elsewhere changes.
     */
    public static String eTag(CogMosaic mosaic, String layer, LayerStyle style, TileCoord tile, int scale) {
        return hash(CogMosaic.versionOf(mosaic.covering(tile)) + "|" + layer + "|" + style.id() + "@" + style.version()
                + "|" + tile + "|" + scale);
    }

    /**
     * A tile of a mosaic layer, from the cache or rendered from the COGs covering it (opened through {@code cogs})
     * and then cached. A tile no COG covers is fully transparent. The caller decides whether the tile lies inside
     * the layer at all.
     *
     * @throws InvalidTileException if the scale is not 1..4
     * @throws IOException          if reading a COG fails
     */
    public Tile tile(CogMosaic mosaic, CogCache cogs, String layer, LayerStyle style, TileCoord tile, int scale)
            throws IOException {
        if (scale < 1 || scale > 4) {
            throw new InvalidTileException("scale", "must be 1 (256 px) .. 4 (1024 px), got " + scale);
        }
        List<MosaicSource> covering = mosaic.covering(tile);
        String version = CogMosaic.versionOf(covering);
        String eTag = eTag(mosaic, layer, style, tile, scale);
        TileKey key = new TileKey(layer, "m" + version + "." + style.version(), tile.z(), tile.x(), tile.y(), scale);
        Optional<byte[]> cached = cache.get(key);
        if (cached.isPresent()) {
            return new Tile(cached.get(), eTag, true);
        }
        List<OpenCog> open = new ArrayList<>(covering.size());
        for (MosaicSource s : covering) {
            cogs.open(mosaic.bucket(), s.key()).ifPresent(open::add); // gone since listed: drawn without it
        }
        TileImage image = renderer.renderMosaic(open, style, tile, 256 * scale);
        byte[] png = encoder.encode(image);
        cache.put(key, png);
        return new Tile(png, eTag, false);
    }

    /** The tile cache in use. */
    public TileCache cache() {
        return cache;
    }
}
