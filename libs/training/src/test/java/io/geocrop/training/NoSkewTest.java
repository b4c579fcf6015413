package io.geocrop.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.domain.Coverage;
import io.geocrop.domain.CropClass;
import io.geocrop.domain.JobTile;
import io.geocrop.domain.UtmZone;
import io.geocrop.features.FeatureOrder;
import io.geocrop.models.ProgressListener;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Training rows are the features production computes: every row of both dataset builders equals, bit for bit,
 * {@link io.geocrop.extraction.FeaturePipeline}'s output at the row's pixel.
 */
class NoSkewTest {

    @Test
    void embeddedTruthRowsAreTheTileFeaturesAtTheirPixels() {
        Dataset truth = SimFixture.truthDataset();
        float[][] reference = SimFixture.referenceFeatures();
        assertRowsMatch(truth, reference);
    }

    @Test
    void labelledPointAndPolygonRowsAreTheTileFeaturesAtTheirPixels() throws IOException {
        JobTile tile = SimFixture.tile();
        float[][] reference = SimFixture.referenceFeatures();
        // Points at pixel centres spread over the tile, plus a polygon covering a 5 x 4 pixel rectangle.
        StringBuilder csv = new StringBuilder("lon,lat,class,wkt\n");
        List<PixelRef> expected = new ArrayList<>();
        for (int k = 0; k < 40; k++) {
            PixelRef p = new PixelRef(tile, (k * 97 + 13) % 512, (k * 53 + 7) % 512);
            double[] ll = p.lonLat();
            csv.append(String.format(Locale.ROOT, "%.8f,%.8f,%s,%n", ll[0], ll[1], CropClass.values()[k % 11].id()));
            expected.add(p);
        }
        UtmZone zone = UtmZone.ofEpsg(tile.epsg());
        double e0 = tile.minX() + 200 * 10 + 2, n0 = tile.maxY() - 300 * 10 + 2; // corner just inside pixel (200, 299)
        double[][] corners = {{e0, n0}, {e0 + 50, n0}, {e0 + 50, n0 + 40}, {e0, n0 + 40}, {e0, n0}};
        StringBuilder wkt = new StringBuilder("POLYGON ((");
        for (int i = 0; i < corners.length; i++) {
            double[] ll = zone.inverse(corners[i][0], corners[i][1]);
            wkt.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.9f %.9f", ll[0], ll[1]));
        }
        csv.append(",,trees,\"").append(wkt).append("))\"\n");
        List<LabelledPoints.Label> labels = LabelledPoints.parse(new StringReader(csv.toString()), "points.csv",
                Coverage.ZIMBABWE);
        LabelledPixels pixels = LabelledPixels.of(labels, "points.csv");
        assertEquals(40 + 20, pixels.size());
        assertEquals(List.of(tile), List.copyOf(pixels.byTile().keySet()), "every label falls in the training tile");

        Dataset dataset = new LabelledDataset(SimFixture.imagery().imagery(), SimFixture.tileFeatures())
                .build(pixels, SimFixture.SEASON, "points.csv, season 2024", ProgressListener.NONE);

        Set<PixelRef> located = new HashSet<>(dataset.locations());
        for (PixelRef p : expected) {
            boolean clear = !allNaN(reference, p.index());
            assertEquals(clear, located.contains(p), "point " + p + " kept exactly when it has a clear observation");
        }
        for (int y = 296; y <= 299; y++) {
            for (int x = 200; x <= 204; x++) {
                assertTrue(located.contains(new PixelRef(tile, x, y)) || allNaN(reference, y * 512 + x),
                        "polygon pixel " + x + "," + y);
            }
        }
        assertRowsMatch(dataset, reference);
        assertTrue(dataset.reference().startsWith("points.csv, season 2024, rows "), dataset.reference());
    }

    private static void assertRowsMatch(Dataset dataset, float[][] reference) {
        int f = FeatureOrder.COUNT;
        assertTrue(dataset.data().size() > 0);
        for (int i = 0; i < dataset.data().size(); i++) {
            int pixel = dataset.locations().get(i).index();
            float[] expected = new float[f];
            for (int k = 0; k < f; k++) {
                expected[k] = reference[k][pixel];
            }
            float[] actual = java.util.Arrays.copyOfRange(dataset.data().rows(), i * f, (i + 1) * f);
            int row = i;
            assertArrayEquals(expected, actual, () -> "row " + row + " at " + dataset.locations().get(row));
        }
    }

    static boolean allNaN(float[][] features, int pixel) {
        for (float[] band : features) {
            if (!Float.isNaN(band[pixel])) {
                return false;
            }
        }
        return true;
    }
}
