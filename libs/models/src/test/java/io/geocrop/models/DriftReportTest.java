package io.geocrop.models;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geocrop.features.FeatureOrder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriftReportTest {
    private static final List<String> NAMES = List.of("ndvi_peak_day", "b04_sep_nov_median", "clear_fraction");

    /** Rows of 3 features: normal(mean, 1), a uniform one, and a constant with some NaN. */
    private static TrainingData rows(long seed, int n, double shift) {
        Random r = new Random(seed);
        float[] rows = new float[n * 3];
        for (int i = 0; i < n; i++) {
            rows[i * 3] = (float) (r.nextGaussian() + shift);
            rows[i * 3 + 1] = r.nextFloat();
            rows[i * 3 + 2] = i % 10 == 0 ? Float.NaN : 0.5f;
        }
        return new TrainingData(rows, new int[n], new int[n], 3);
    }

    private static FeatureHistogram histogram(TrainingDistribution d, TrainingData data) {
        FeatureHistogram h = new FeatureHistogram(d);
        for (int i = 0; i < data.size(); i++) {
            h.addPixel(data.rows(), i * 3);
        }
        return h;
    }

    @Test
    void quantileBinsHoldEqualSharesAndTiesCollapse() {
        TrainingDistribution d = TrainingDistribution.of(rows(1, 10_000, 0), NAMES, 10);
        assertEquals(9, d.features().get(0).edges().size());
        d.features().get(0).shares().subList(0, 10).forEach(s -> assertEquals(0.1, s, 0.002));
        assertEquals(0.0, d.features().get(0).shares().get(10), "no missing values");
        assertEquals(List.of(0.5), d.features().get(2).edges(), "a constant has one edge");
        assertEquals(List.of(0.0, 0.9, 0.1), d.features().get(2).shares(), "below, at or above, missing");
    }

    @Test
    void sameImageryShowsNoDriftAndAShiftedFeatureShowsMajorDrift() {
        TrainingDistribution d = TrainingDistribution.of(rows(1, 20_000, 0), NAMES, 10);
        DriftReport same = DriftReport.compare(d, histogram(d, rows(2, 5_000, 0)));
        assertTrue(same.score() < DriftReport.MODERATE, "score " + same.score());
        assertEquals("none", same.level());
        assertTrue(same.shifted().isEmpty());
        assertTrue(same.words().startsWith("This area's pixels look like the training data"), same.words());

        // The sum of two tiles is one job.
        FeatureHistogram job = histogram(d, rows(3, 2_000, 1.5));
        job.add(histogram(d, rows(4, 2_000, 1.5)));
        assertEquals(4_000, job.pixels());
        DriftReport shifted = DriftReport.compare(d, job);
        assertTrue(shifted.features().get(0).psi() > DriftReport.MAJOR, "shifted feature " + shifted.features());
        assertTrue(shifted.features().get(1).psi() < DriftReport.MODERATE, "unshifted feature " + shifted.features());
        assertEquals(List.of("ndvi_peak_day"), shifted.shifted().stream().map(DriftReport.FeaturePsi::name).toList());
        assertEquals("This area's NDVI peak day values look unlike the training data", shifted.words().split(" \\(")[0]);
    }

    @Test
    void cardsRoundTripTheDistributionAndOlderCardsLoadWithout() throws Exception {
        ModelCard plain = ModelCardsTest.card(FeatureOrder.HASH_V1, FeatureOrder.FEATURE_ORDER_V1);
        float[] r = new float[51 * 100];
        for (int i = 0; i < r.length; i++) {
            r[i] = (i * 7919 % 1000) / 1000f;
        }
        TrainingDistribution d = TrainingDistribution.of(new TrainingData(r, new int[100], new int[100], 51),
                FeatureOrder.FEATURE_ORDER_V1, 10);
        ModelCard c = plain.withTrainingDistribution(d);
        assertEquals(c, ModelCards.fromJson(ModelCards.toJson(c)));
        assertEquals(c, ModelCards.fromJson(ModelCards.toJson(c)).withVersion("3"));

        ModelCard older = ModelCards.fromJson(ModelCards.toJson(plain));
        assertNull(older.trainingDistribution());
        assertEquals("Drift unavailable: the model card has no training distribution.",
                DriftReport.unavailable(DriftReport.NO_DISTRIBUTION).words());

        ObjectNode bad = (ObjectNode) JsonMapper.builder().build().readTree(ModelCards.toJson(c));
        ((ObjectNode) bad.get("training_distribution").get("features").get(0)).putArray("shares").add(1.0);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelCards.fromJson(bad.toString()));
        assertTrue(e.getMessage().contains("training_distribution"), e.getMessage());
        assertFalse(DriftReport.unavailable("x").available());
    }
}
