package io.geocrop.render;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * {@code geocrop.tiles.*}: tile-render's knobs.
 *
 * @param cacheBytes       bytes of rendered PNGs kept in memory (0 turns the tile cache off)
 * @param openCogs         COGs kept open (header and IFDs parsed)
 * @param cogBlockBytes    bytes of each open COG's block cache
 * @param decodedBlockBytes bytes of decoded COG blocks shared by the open COGs (0: every tile decodes the blocks
 *                         it reads; neighbouring tiles read the same 512 px blocks)
 * @param revalidateAfter  how long an object's ETag is trusted before the store is asked again
 * @param baselineMaxAge   {@code Cache-Control: max-age} of baseline tiles (they may be regenerated)
 * @param pngLevel         DEFLATE level of the PNGs (1..9)
 * @param publicUrl        base URL written into TileJSON; empty means the request's own scheme and Host
 * @param prerenderMinZoom lowest zoom warmed when a result COG appears
 * @param prerenderMaxZoom highest zoom warmed when a result COG appears
 * @param sharedCache      {@code none}, or {@code redis}: tiles also kept in Redis ({@code geocrop.events.redis-uri})
 *                         for every instance, behind the in-process cache
 * @param sharedCacheTtl   how long a tile stays in the shared cache
 * @param baselineIndexTtl how long the listing of a year's baseline COGs is trusted before the store is listed
 *                         again (a baseline written by this process is seen at once)
 * @param baselineMinZoom  TileJSON {@code minzoom} of baseline layers at most (their cells' own overviews would
 *                         say 10; the map should show the mosaic from the country view on)
 * @param baselineGenerateMinZoom with the simulated imagery source: tiles from this zoom on generate the missing
 *                         baseline cells they cover before rendering (a z11 tile covers at most a few 10 km cells)
 * @param baselineMaxCells most 10 km cells one request may generate
 * @param baselineParallelism most baseline cells generated at the same time
 */
@ConfigurationProperties("geocrop.tiles")
public record TileRenderSettings(
        @Bindable(defaultValue = "67108864") long cacheBytes,
        @Bindable(defaultValue = "64") int openCogs,
        @Bindable(defaultValue = "8388608") long cogBlockBytes,
        @Bindable(defaultValue = "67108864") long decodedBlockBytes,
        @Bindable(defaultValue = "5s") Duration revalidateAfter,
        @Bindable(defaultValue = "5m") Duration baselineMaxAge,
        @Bindable(defaultValue = "6") int pngLevel,
        @Nullable String publicUrl,
        @Bindable(defaultValue = "8") int prerenderMinZoom,
        @Bindable(defaultValue = "12") int prerenderMaxZoom,
        @Bindable(defaultValue = "none") String sharedCache,
        @Bindable(defaultValue = "1d") Duration sharedCacheTtl,
        @Bindable(defaultValue = "10s") Duration baselineIndexTtl,
        @Bindable(defaultValue = "5") int baselineMinZoom,
        @Bindable(defaultValue = "11") int baselineGenerateMinZoom,
        @Bindable(defaultValue = "24") int baselineMaxCells,
        @Bindable(defaultValue = "2") int baselineParallelism) {}
