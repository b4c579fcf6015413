package io.geocrop.training;

import io.geocrop.domain.CropClass;
import io.geocrop.domain.JobTile;
import io.geocrop.domain.ProcessingGrid;
import io.geocrop.domain.UtmZone;
import io.geocrop.imagery.s2.SeasonReader;
import io.geocrop.imagery.sim.Scene;
import io.geocrop.imagery.sim.SimulatedLandscape;
import io.geocrop.imagery.stac.LonLatBox;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Where the demo model learns: job tiles of the simulated landscape, chosen deterministically from the seed.
 *
 * <p>The rule (this is the one place it lives): candidates are the 512 px job tiles within
 * {@value #SEARCH_RADIUS_TILES} tiles (about 60 km) of the anchor tile holding ({@value #ANCHOR_LON},
 * {@value #ANCHOR_LAT}), near Harare in UTM zone 36S; they are visited in the order of a shuffle seeded with the
 * simulation seed ({@link java.util.Random}, whose algorithm Java specifies, so every JVM agrees). A tile is taken
 * when
 * <ol>
 *   <li>the simulated catalogue answers a search of its footprint with a single 10 km scene (cheapest imagery to
 *       generate: the scene's margin covers the whole tile), and</li>
 *   <li>its ground truth (sampled every 4th pixel) holds every one of the 11 classes on at least
 *       {@value #MIN_CLASS_PIXELS} pixels, so each class has fields to learn from.</li>
 * </ol>
 * The first {@code count} such tiles are the area. If fewer qualify, the best remaining candidates (most classes
 * present, then shuffle order) fill in. The same seed gives the same tiles, always; a different seed gives a
 * different landscape and different tiles.
 */
public final class TrainingArea {
    /** Anchor of the candidate window: Harare. */
    public static final double ANCHOR_LON = 31.05, ANCHOR_LAT = -17.83;
    /** Candidates lie within this many tiles of the anchor tile (a square window). */
    public static final int SEARCH_RADIUS_TILES = 12;
    /** Pixels each class must cover in a chosen tile. */
    public static final int MIN_CLASS_PIXELS = 1000;

    private static final int TILE = ProcessingGrid.TILE_SIZE_PX;
    private static final int STRIDE = 4;

    private TrainingArea() {}

    /** The training tiles for {@code seed}: {@code count} of them, in the order chosen. */
    public static List<JobTile> choose(long seed, int count) {
        if (count < 1 || count > 16) {
            throw new IllegalArgumentException("the training area takes 1..16 tiles, got " + count);
        }
        UtmZone zone = UtmZone.of(ANCHOR_LON, ANCHOR_LAT);
        SimulatedLandscape land = new SimulatedLandscape(seed, zone);
        double[] anchor = zone.forward(ANCHOR_LON, ANCHOR_LAT);
        long col0 = (long) Math.floor(anchor[0] / ProcessingGrid.TILE_SIZE_M);
        long row0 = (long) Math.floor(anchor[1] / ProcessingGrid.TILE_SIZE_M);
        List<JobTile> candidates = new ArrayList<>();
        for (long r = row0 - SEARCH_RADIUS_TILES; r <= row0 + SEARCH_RADIUS_TILES; r++) {
            for (long c = col0 - SEARCH_RADIUS_TILES; c <= col0 + SEARCH_RADIUS_TILES; c++) {
                candidates.add(new JobTile(zone.epsg(), c, r));
            }
        }
        java.util.Collections.shuffle(candidates, new Random(seed));
        List<JobTile> chosen = new ArrayList<>();
        List<Scored> fallback = new ArrayList<>();
        for (int i = 0; i < candidates.size() && chosen.size() < count; i++) {
            JobTile tile = candidates.get(i);
            if (!singleScene(tile)) {
                continue;
            }
            int present = classesPresent(land, tile);
            if (present == CropClass.values().length) {
                chosen.add(tile);
            } else {
                fallback.add(new Scored(tile, present, i));
            }
        }
        fallback.sort(Comparator.comparingInt(Scored::classes).reversed().thenComparingInt(Scored::order));
        for (int i = 0; chosen.size() < count && i < fallback.size(); i++) {
            chosen.add(fallback.get(i).tile());
        }
        return List.copyOf(chosen);
    }

    private record Scored(JobTile tile, int classes, int order) {}

    /** Whether a search of the tile's footprint is answered with one 10 km scene. */
    static boolean singleScene(JobTile tile) {
        LonLatBox box = SeasonReader.footprint(tile);
        Scene scene = Scene.covering(box.minLon(), box.minLat(), box.maxLon(), box.maxLat());
        return scene.cellsX() == 1 && scene.cellsY() == 1;
    }

    /** Classes covering at least {@link #MIN_CLASS_PIXELS} pixels of the tile (estimated every 4th pixel). */
    static int classesPresent(SimulatedLandscape land, JobTile tile) {
        long col0 = Math.round(tile.minX() / ProcessingGrid.PIXEL_SIZE_M);
        long topRow = Math.round(tile.maxY() / ProcessingGrid.PIXEL_SIZE_M) - 1;
        int[] counts = new int[CropClass.values().length + 1];
        byte[] row = new byte[TILE];
        for (int y = STRIDE / 2; y < TILE; y += STRIDE) {
            land.classRow(col0, topRow - y, row);
            for (int x = STRIDE / 2; x < TILE; x += STRIDE) {
                counts[row[x] & 0xFF]++;
            }
        }
        int present = 0;
        for (int code = 1; code < counts.length; code++) {
            if ((long) counts[code] * STRIDE * STRIDE >= MIN_CLASS_PIXELS) {
                present++;
            }
        }
        return present;
    }
}
