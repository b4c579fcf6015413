package io.geocrop.imagery.s2;

import io.geocrop.domain.cost.WorkMeter;
import io.geocrop.domain.JobTile;
import io.geocrop.domain.ProcessingGrid;
import io.geocrop.domain.Season;
import io.geocrop.domain.UtmZone;
import io.geocrop.features.Band;
import io.geocrop.features.SeasonTimeSeries;
import io.geocrop.imagery.stac.LonLatBox;
import io.geocrop.imagery.stac.S2Band;
import io.geocrop.imagery.stac.StacAsset;
import io.geocrop.imagery.stac.StacItem;
import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.GeoTransform;
import io.geocrop.raster.Raster;
import io.geocrop.raster.RasterFormatException;
import io.geocrop.raster.RasterMetadata;
import io.geocrop.raster.RasterWindow;
import io.geocrop.raster.Resampling;
import io.geocrop.raster.proj.CrsTransforms;
import io.geocrop.raster.proj.Warp;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one job tile's Sentinel-2 L2A season: for every acquisition day, the ten bands the features use on the
 * tile's 10 m grid and the SCL cloud mask, several items of the same day mosaicked.
 *
 * <ul>
 *   <li>Each asset is read as a window of its COG that covers the tile (range requests of the tiles it needs,
 *       never the whole file) and warped onto the tile grid: nearest for 10 m bands on the same grid (an exact
 *       copy) and for SCL, bilinear for 20 m bands (B05, B06, B07, B8A, B11, B12) and for items in another UTM
 *       zone than the tile (those with exact per-pixel transforms, as {@code gdalwarp -et 0}).</li>
 *   <li>DN become reflectance by the asset's scale and offset ({@link StacAsset#toValue}, which never applies
 *       the BOA offset twice) and are stored as reflectance x 10000 in signed 16 bits, the layout
 *       {@link SeasonTimeSeries#ofScaledReflectance} expects: a tile's season fits in about 5 MiB per
 *       acquisition. Zero and negative reflectance (water in the SWIR after DEA's -0.1 offset, deep shadow) are
 *       kept as they are; only the asset's nodata DN (0) marks a gap. Reflectance beyond +-3.2767 (saturation)
 *       is clamped.</li>
 *   <li>Mosaic: per pixel, the first item of the day (lowest cloud cover first) that sees it clear wins; failing
 *       that, the first that sees it at all (masked).</li>
 *   <li>SCL to quality by {@link SeasonTimeSeries#qualityOfScl} (clear: 2, 4, 5, 6, 7, 11); an SCL value above 11
 *       is treated as masked; a pixel whose DN is the nodata value 0 in any band becomes no data.</li>
 *   <li>A corrupt or truncated COG skips that item for this tile and is reported in
 *       {@link SeasonStack#skipped()}; a network failure (after the source's own retries) is thrown, so the
 *       event is redelivered.</li>
 * </ul>
 * Acquisition days are read concurrently, at most {@code maxConcurrentDays} at a time; each day's items and bands
 * are read in order, so reads in flight stay bounded.
 */
public final class SeasonReader {
    private static final Logger LOG = LoggerFactory.getLogger(SeasonReader.class);
    private static final int TILE = ProcessingGrid.TILE_SIZE_PX;
    private static final int PIXELS = TILE * TILE;
    /** Source pixels read beyond the tile's footprint, so bilinear sampling at the tile edge has neighbours. */
    private static final int MARGIN_PX = 2;

    private final AssetOpener opener;
    private final int maxConcurrentDays;
    /** DN tables by scale and offset: a season's assets share a handful, each 128 KiB and 65,535 multiplications. */
    private final ReflectanceTables reflectanceTables = new ReflectanceTables();

    /**
     * @param opener            opens asset bytes (HTTP range reads in practice)
     * @param maxConcurrentDays acquisition days read at the same time (each reads 11 assets in turn)
     */
    public SeasonReader(AssetOpener opener, int maxConcurrentDays) {
        this.opener = Objects.requireNonNull(opener, "opener");
        if (maxConcurrentDays < 1) {
            throw new IllegalArgumentException("maxConcurrentDays must be at least 1, got " + maxConcurrentDays);
        }
        this.maxConcurrentDays = maxConcurrentDays;
    }

    /**
     * Groups the season's items into acquisition days: items of the season that carry every band GeoCrop reads
     * and SCL, by UTC date, each day's items lowest cloud cover first.
     */
    public static List<Acquisition> acquisitions(Season season, List<StacItem> items) {
        Map<LocalDate, List<StacItem>> byDay = new TreeMap<>();
        for (StacItem item : items) {
            LocalDate date = item.datetime().atZone(ZoneOffset.UTC).toLocalDate();
            if (date.isBefore(season.start()) || date.isAfter(season.end())) {
                continue;
            }
            if (!item.hasGeoCropBands() || item.band(S2Band.SCL).isEmpty()) {
                continue;
            }
            byDay.computeIfAbsent(date, d -> new ArrayList<>()).add(item);
        }
        Comparator<StacItem> best = Comparator
                .comparingDouble((StacItem i) -> i.cloudCover() == null ? 100.0 : i.cloudCover())
                .thenComparing(StacItem::id);
        List<Acquisition> days = new ArrayList<>();
        byDay.forEach((date, dayItems) -> {
            dayItems.sort(best);
            days.add(new Acquisition(date, (int) season.dayOfSeason(date), dayItems));
        });
        return days;
    }

    /**
     * Reads the tile's season from {@code items} (any order; items outside the season, without the needed bands
     * or not covering the tile are left out).
     *
     * @throws IOException if an asset cannot be fetched after retries
     */
    public SeasonStack read(JobTile tile, Season season, List<StacItem> items) throws IOException {
        List<Acquisition> days = tileAcquisitions(tile, season, items);
        int t = days.size();
        short[][][] dn = new short[Band.COUNT][t][];
        byte[][] quality = new byte[t][];
        List<String> skipped = readDays(tile, days, (index, day) -> {
            for (int b = 0; b < Band.COUNT; b++) {
                dn[b][index] = day.bands[b];
            }
            quality[index] = day.quality;
        });
        int[] dayIndex = days.stream().mapToInt(Acquisition::dayOfSeason).toArray();
        SeasonTimeSeries series = SeasonTimeSeries.ofScaledReflectance(season, TILE, TILE, dayIndex, dn, quality);
        return new SeasonStack(tile, series, days, skipped);
    }

    /**
     * Reads the tile's season as {@link #read} does (the same reads, warps and mosaics, so the same samples), but
     * keeps only the acquisition days being read in memory: each finished day is written to a spill file in
     * {@code spillDir}, laid out by blocks of {@code blockRows} rows, and the caller then takes the season one row
     * block at a time ({@link SpilledSeason#block}). Heap: at most {@code maxConcurrentDays} days being read
     * plus one row block of every day; disk: {@link SpilledSeason#fileBytes} (21 bytes per pixel and day).
     *
     * @param spillDir  where the spill file goes (created if needed); the file is deleted on close
     * @param blockRows rows per block (1 .. 512)
     * @throws IOException if an asset cannot be fetched after retries, or the spill file cannot be written
     */
    public SpilledSeason spill(JobTile tile, Season season, List<StacItem> items, Path spillDir, int blockRows)
            throws IOException {
        return spill(tile, season, items, spillDir, blockRows, () -> {});
    }

    /**
     * As {@link #spill(JobTile, Season, List, Path, int)}, calling {@code dayRead} as each acquisition day is read
     * and spilled (from the reading threads; it must be quick and thread-safe): how a slow tile tells that it moves.
     */
    public SpilledSeason spill(JobTile tile, Season season, List<StacItem> items, Path spillDir, int blockRows,
                               Runnable dayRead) throws IOException {
        if (blockRows < 1 || blockRows > TILE) {
            throw new IllegalArgumentException("blockRows must be within 1.." + TILE + ", got " + blockRows);
        }
        List<Acquisition> days = tileAcquisitions(tile, season, items);
        Files.createDirectories(spillDir);
        Path file = Files.createTempFile(spillDir, "season-" + tile.id() + "-", ".spill");
        SpilledSeason spilled = null;
        try {
            spilled = new SpilledSeason(tile, season, days, file, blockRows);
            SpilledSeason target = spilled;
            List<String> skipped = readDays(tile, days, (index, day) -> {
                target.writeDay(index, day.bands, day.quality);
                dayRead.run();
            });
            spilled.finish(skipped);
            return spilled;
        } catch (IOException | RuntimeException | Error e) {
            if (spilled != null) {
                spilled.close();
            } else {
                Files.deleteIfExists(file);
            }
            throw e;
        }
    }

    /** The season's acquisition days with only the items whose footprint reaches the tile. */
    private static List<Acquisition> tileAcquisitions(JobTile tile, Season season, List<StacItem> items) {
        return acquisitions(season, items).stream()
                .map(a -> new Acquisition(a.date(), a.dayOfSeason(),
                        a.items().stream().filter(i -> covers(i, tile)).toList()))
                .filter(a -> !a.items().isEmpty())
                .toList();
    }

    /** Takes a finished day's mosaic (called from the reading threads, once per day). */
    @FunctionalInterface
    private interface DaySink {
        void accept(int index, DayMosaic day) throws IOException;
    }

    /** Reads every day, at most {@code maxConcurrentDays} at a time, handing each to {@code sink}; returns the skips. */
    private List<String> readDays(JobTile tile, List<Acquisition> days, DaySink sink) throws IOException {
        int t = days.size();
        List<String> skipped = Collections.synchronizedList(new ArrayList<>());
        GeoTransform grid = GeoTransform.northUp(tile.minX(), tile.maxY(), ProcessingGrid.PIXEL_SIZE_M,
                ProcessingGrid.PIXEL_SIZE_M);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(maxConcurrentDays, Math.max(1, t)),
                Thread.ofPlatform().daemon().name("season-read-", 0).factory());
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < t; i++) {
                int index = i;
                work.add(pool.submit(WorkMeter.wrap(() -> {
                    sink.accept(index, readDay(days.get(index), tile, grid, skipped));
                    return null;
                })));
            }
            for (Future<?> f : work) {
                await(f);
            }
        } finally {
            pool.shutdownNow();
        }
        return List.copyOf(skipped);
    }

    private static void await(Future<?> f) throws IOException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the season");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
    }

    /** One day's mosaic on the tile grid. */
    private static final class DayMosaic {
        final short[][] bands = new short[Band.COUNT][PIXELS];
        final byte[] quality = new byte[PIXELS]; // NO_DATA (0) until an item covers the pixel
    }

    private DayMosaic readDay(Acquisition day, JobTile tile, GeoTransform grid, List<String> skipped)
            throws IOException {
        DayMosaic mosaic = new DayMosaic();
        for (StacItem item : day.items()) {
            try {
                mergeItem(item, tile, grid, mosaic);
            } catch (RasterFormatException e) {
                String reason = "item " + item.id() + " skipped for tile " + tile.id() + ": " + e.getMessage();
                LOG.warn(reason);
                skipped.add(reason);
            }
        }
        return mosaic;
    }

    private void mergeItem(StacItem item, JobTile tile, GeoTransform grid, DayMosaic mosaic) throws IOException {
        short[] scl = readOnGrid(item.requireBand(S2Band.SCL), item, tile, grid, Resampling.NEAREST);
        if (scl == null) {
            return;
        }
        // Which pixels this item may improve: better quality than what earlier (better) items of the day gave.
        // itemQuality holds the item's quality where it does, NO_DATA (0, never an improvement) elsewhere.
        byte[] current = mosaic.quality;
        byte[] itemQuality = new byte[PIXELS];
        int taken = 0;
        for (int p = 0; p < PIXELS; p++) {
            int code = scl[p] & 0xFFFF;
            byte q = code > 11 ? SeasonTimeSeries.MASKED : SeasonTimeSeries.qualityOfScl(code);
            if (q > current[p]) {
                itemQuality[p] = q;
                taken++;
            }
        }
        if (taken == 0) {
            return;
        }
        // DN kept as read; reflectance looked up per taken pixel below (a second 5 MiB per day in flight saved).
        short[][] raw = new short[Band.COUNT][];
        short[][] lut = new short[Band.COUNT][];
        for (Band band : Band.ALL) {
            S2Band s2 = S2Band.valueOf(band.name());
            StacAsset asset = item.requireBand(s2);
            boolean sameGrid10m = s2.resolutionM() == 10 && Objects.equals(item.epsg(), tile.epsg());
            short[] dn = readOnGrid(asset, item, tile, grid, sameGrid10m ? Resampling.NEAREST : Resampling.BILINEAR);
            raw[band.index()] = dn == null ? new short[PIXELS] : dn;
            lut[band.index()] = dn == null ? null : reflectanceTables.of(asset);
        }
        // Band by band, each pass one sequential sweep (the same result as pixel by pixel over ten arrays): a band
        // without data (DN 0) makes the pixel unusable; then the pixels still better than the mosaic take the
        // item's quality and reflectance.
        for (int b = 0; b < Band.COUNT; b++) {
            short[] dn = raw[b];
            for (int p = 0; p < PIXELS; p++) {
                if (dn[p] == 0) {
                    itemQuality[p] = SeasonTimeSeries.NO_DATA;
                }
            }
        }
        boolean[] commit = new boolean[PIXELS];
        int committed = 0;
        for (int p = 0; p < PIXELS; p++) {
            byte q = itemQuality[p];
            if (q > current[p]) {
                current[p] = q;
                commit[p] = true;
                committed++;
            }
        }
        if (committed == 0) {
            return;
        }
        for (int b = 0; b < Band.COUNT; b++) {
            // A band the item lacks (no table) is all DN 0, so none of its pixels is committed.
            short[] dn = raw[b];
            short[] table = lut[b];
            short[] target = mosaic.bands[b];
            for (int p = 0; p < PIXELS; p++) {
                if (commit[p]) {
                    target[p] = table[dn[p] & 0xFFFF];
                }
            }
        }
    }

    /**
     * The asset's pixels warped onto the tile grid (uint16, 0 = no data), or null when the asset does not reach
     * the tile.
     */
    private short[] readOnGrid(StacAsset asset, StacItem item, JobTile tile, GeoTransform grid,
                               Resampling resampling) throws IOException {
        try (GeoTiff tiff = GeoTiffReader.open(opener.open(asset))) {
            RasterMetadata meta = tiff.metadata();
            int epsg = meta.epsg() != 0 ? meta.epsg() : item.epsg() == null ? 0 : item.epsg();
            if (meta.transform() == null || !CrsTransforms.isSupported(epsg)) {
                throw new RasterFormatException(asset.href() + " has no usable georeferencing (EPSG:" + epsg + ")");
            }
            RasterWindow window = sourceWindow(tile, epsg, meta);
            if (window == null) {
                return null;
            }
            Raster source = tiff.read(0, window, new int[] {0});
            if (source.sampleType() != io.geocrop.raster.SampleType.UINT16
                    && source.sampleType() != io.geocrop.raster.SampleType.UINT8) {
                throw new RasterFormatException(asset.href() + " holds " + source.sampleType()
                        + " samples; Sentinel-2 L2A bands are uint16");
            }
            GeoTransform windowTransform = meta.transform().window(window.col(), window.row());
            if (resampling == Resampling.NEAREST && epsg == tile.epsg()) {
                short[] copied = AlignedNearest.onTileGrid(source, windowTransform, tile);
                if (copied != null) {
                    return copied;
                }
            }
            // Another UTM zone: every pixel mapped exactly (gdalwarp -et 0). The default 1/8-pixel approximation
            // would move a sharp field edge by up to 1/8 pixel, i.e. up to an eighth of the step between two fields.
            double maxError = epsg == tile.epsg() ? Warp.DEFAULT_MAX_ERROR_PIXELS : 0;
            Raster warped = Warp.warp(source, windowTransform, epsg, 0.0, grid,
                    tile.epsg(), TILE, TILE, resampling, 0.0, maxError);
            if (warped.sampleType() == io.geocrop.raster.SampleType.UINT8) {
                byte[] b = warped.bytes(0);
                short[] s = new short[PIXELS];
                for (int p = 0; p < PIXELS; p++) {
                    s[p] = (short) (b[p] & 0xFF);
                }
                return s;
            }
            return warped.shorts(0);
        }
    }

    /** The source pixels under the tile (plus a margin), clipped to the image; null if they do not meet. */
    static RasterWindow sourceWindow(JobTile tile, int sourceEpsg, RasterMetadata meta) {
        CrsTransforms.Transform toSource = CrsTransforms.between(tile.epsg(), sourceEpsg);
        double minCol = Double.POSITIVE_INFINITY, minRow = Double.POSITIVE_INFINITY;
        double maxCol = Double.NEGATIVE_INFINITY, maxRow = Double.NEGATIVE_INFINITY;
        // Corners and edge midpoints: a tile is small enough that its image in another UTM zone stays convex.
        for (double fx = 0; fx <= 1.0; fx += 0.5) {
            for (double fy = 0; fy <= 1.0; fy += 0.5) {
                double x = tile.minX() + fx * (tile.maxX() - tile.minX());
                double y = tile.minY() + fy * (tile.maxY() - tile.minY());
                double[] s = toSource.apply(x, y);
                double[] px = meta.transform().toPixel(s[0], s[1]);
                minCol = Math.min(minCol, px[0]);
                maxCol = Math.max(maxCol, px[0]);
                minRow = Math.min(minRow, px[1]);
                maxRow = Math.max(maxRow, px[1]);
            }
        }
        int c0 = (int) Math.max(0, Math.floor(minCol) - MARGIN_PX);
        int r0 = (int) Math.max(0, Math.floor(minRow) - MARGIN_PX);
        int c1 = (int) Math.min(meta.width(), Math.ceil(maxCol) + MARGIN_PX);
        int r1 = (int) Math.min(meta.height(), Math.ceil(maxRow) + MARGIN_PX);
        return c1 > c0 && r1 > r0 ? new RasterWindow(c0, r0, c1 - c0, r1 - r0) : null;
    }

    /**
     * Unsigned DN to reflectance x 10000 (signed, {@link SeasonTimeSeries#scale}) by the asset's scale and offset,
     * as a table indexed by the unsigned DN: DEA collection-1 DN 900 with offset -0.1 is -0.01, stored as -100.
     * The nodata DN 0 maps to 0; callers tell gaps by the DN, never by the reflectance.
     */
    static short[] scaledReflectanceTable(StacAsset asset) {
        short[] lut = new short[65536];
        for (int dn = 1; dn < 65536; dn++) {
            lut[dn] = SeasonTimeSeries.scale(dn * asset.scale() + asset.offset());
        }
        return lut;
    }

    /**
     * {@link #scaledReflectanceTable} shared between the assets (and the tiles) with the same scale and offset; at
     * most {@link #MAX_TABLES} are kept (a catalogue has a few processing baselines), beyond that they are built
     * per asset as before. The tables are never written after they are built.
     */
    private static final class ReflectanceTables {
        private static final int MAX_TABLES = 16;
        private final java.util.concurrent.ConcurrentHashMap<List<Double>, short[]> tables =
                new java.util.concurrent.ConcurrentHashMap<>();

        short[] of(StacAsset asset) {
            List<Double> key = List.of(asset.scale(), asset.offset());
            short[] table = tables.get(key);
            if (table != null) {
                return table;
            }
            table = scaledReflectanceTable(asset);
            if (tables.size() < MAX_TABLES) {
                short[] raced = tables.putIfAbsent(key, table);
                return raced != null ? raced : table;
            }
            return table;
        }
    }

    /** Whether the item's footprint box reaches the tile (cheap test before any read). */
    static boolean covers(StacItem item, JobTile tile) {
        return item.bbox() == null || item.bbox().intersects(footprint(tile)); // unknown box: the read will tell
    }

    /** The tile's footprint in WGS84: the box around its four UTM corners. */
    public static LonLatBox footprint(JobTile tile) {
        UtmZone zone = UtmZone.ofEpsg(tile.epsg());
        double minLon = Double.POSITIVE_INFINITY, minLat = Double.POSITIVE_INFINITY;
        double maxLon = Double.NEGATIVE_INFINITY, maxLat = Double.NEGATIVE_INFINITY;
        for (double x : new double[] {tile.minX(), tile.maxX()}) {
            for (double y : new double[] {tile.minY(), tile.maxY()}) {
                double[] ll = zone.inverse(x, y);
                minLon = Math.min(minLon, ll[0]);
                maxLon = Math.max(maxLon, ll[0]);
                minLat = Math.min(minLat, ll[1]);
                maxLat = Math.max(maxLat, ll[1]);
            }
        }
        return new LonLatBox(minLon, minLat, maxLon, maxLat);
    }
}
