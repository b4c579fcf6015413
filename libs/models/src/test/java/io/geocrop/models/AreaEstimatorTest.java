package io.geocrop.models;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AreaEstimatorTest {

    private static final double TOL = 1e-6;

    /**
     * Olofsson et al. (2014), section 5 (Tables 8-9): strata = map classes deforestation, forest gain, stable forest,
     * stable non-forest with 200 000 / 150 000 / 3 200 000 / 6 450 000 pixels, and 640 sample units. The paper reports
     * the deforestation area as 235 086 ± 68 418 pixels (95 %); the other constants were computed once with python3
     * from eq. 9-10 and agree with that row.
     */
    @Test
    void reproducesTheWorkedExampleOfOlofsson2014() {
        long[][] counts = {{66, 0, 5, 4}, {0, 55, 8, 12}, {1, 0, 153, 11}, {2, 1, 9, 313}};
        double[] mapped = {200_000, 150_000, 3_200_000, 6_450_000};
        AreaEstimator.Estimate e = AreaEstimator.estimate(List.of(1, 2, 3, 4), counts, mapped);
        assertEquals(10_000_000, e.totalArea(), TOL);
        double[] adjusted = {235086.2470862471, 129846.15384615384, 3175221.4452214455, 6459846.153846155};
        double[] se = {0.0034907224410811637, 0.0021291530756257677, 0.008792424205322327, 0.009229963918506097};
        double[] ci = {68418.1598451908, 41731.40028226505, 172331.5144243176, 180907.2928027195};
        for (int j = 0; j < 4; j++) {
            AreaEstimator.ClassEstimate c = e.classes().get(j);
            assertEquals(j + 1, c.code());
            assertEquals(mapped[j], c.mapped(), TOL);
            assertEquals(adjusted[j], c.adjusted(), TOL, "adjusted area of class " + (j + 1));
            assertEquals(se[j], c.standardError(), TOL * 1e-3, "standard error of class " + (j + 1));
            assertEquals(ci[j], c.halfWidth95(), TOL, "95 % half-width of class " + (j + 1));
        }
        assertEquals(235_086, Math.round(e.classes().get(0).adjusted()), "the paper's rounded figure");
        assertEquals(68_418, Math.round(e.classes().get(0).halfWidth95()), "the paper's rounded figure");
        assertEquals(0.88, e.classes().get(0).usersAccuracy(), TOL, "user's accuracy of deforestation (paper: 0.88)");
        assertTrue(e.unverifiedMapClasses().isEmpty());
    }

    /**
     * A three-class example worked by hand. Mapped 100 / 300 / 600 (A = 1000, W = 0.1 / 0.3 / 0.6); sample counts,
     * rows map, columns reference: (8 2 0), (1 18 1), (0 3 27), so n_i· = 10, 20, 30.
     * p̂·1 = 0.1·0.8 + 0.3·0.05 + 0.6·0 = 0.095; p̂·2 = 0.1·0.2 + 0.3·0.9 + 0.6·0.1 = 0.35; p̂·3 = 0.3·0.05 + 0.6·0.9 = 0.555.
     * V(p̂·1) = 0.01·0.8·0.2/9 + 0.09·0.05·0.95/19 = 0.000177778 + 0.000225 = 0.000402778;
     * V(p̂·2) = 0.01·0.2·0.8/9 + 0.09·0.9·0.1/19 + 0.36·0.1·0.9/29 = 0.000177778 + 0.000426316 + 0.001117241;
     * V(p̂·3) = 0.09·0.05·0.95/19 + 0.36·0.9·0.1/29 = 0.000225 + 0.001117241.
     * Half-widths 1.96 · 1000 · sqrt(V) computed once with python3.
     */
    @Test
    void reproducesAThreeClassExampleWorkedByHand() {
        long[][] mapByReference = {{8, 2, 0}, {1, 18, 1}, {0, 3, 27}};
        double[] mapped = {100, 300, 600};
        AreaEstimator.Estimate e = AreaEstimator.estimate(List.of(1, 5, 9), mapByReference, mapped);
        assertEquals(95, e.classes().get(0).adjusted(), TOL);
        assertEquals(350, e.classes().get(1).adjusted(), TOL);
        assertEquals(555, e.classes().get(2).adjusted(), TOL);
        assertEquals(0.0004027777777777777, Math.pow(e.classes().get(0).standardError(), 2), 1e-12);
        assertEquals(0.001721334946561807, Math.pow(e.classes().get(1).standardError(), 2), 1e-12);
        assertEquals(0.001342241379310345, Math.pow(e.classes().get(2).standardError(), 2), 1e-12);
        assertEquals(39.33587562405483, e.classes().get(0).halfWidth95(), TOL);
        assertEquals(81.3183886381908, e.classes().get(1).halfWidth95(), TOL);
        assertEquals(71.80776060258822, e.classes().get(2).halfWidth95(), TOL);
        assertEquals(List.of(1, 5, 9), e.classes().stream().map(AreaEstimator.ClassEstimate::code).toList());

        // The same matrix as a model card holds it, confusion[actual][predicted], gives the same estimate.
        long[][] actualByPredicted = {{8, 1, 0}, {2, 18, 3}, {0, 1, 27}};
        assertEquals(e, AreaEstimator.fromHeldOut(List.of(1, 5, 9), actualByPredicted, mapped));
    }

    @Test
    void aPerfectModelChangesNothing() {
        long[][] counts = {{40, 0}, {0, 60}};
        AreaEstimator.Estimate e = AreaEstimator.estimate(List.of(1, 2), counts, new double[] {12.5, 87.5});
        assertEquals(12.5, e.classes().get(0).adjusted(), TOL);
        assertEquals(0, e.classes().get(0).halfWidth95(), TOL);
        assertEquals(87.5, e.classes().get(1).adjusted(), TOL);
    }

    @Test
    void aMapClassWithoutSampleRowsKeepsItsAreaAndIsNamedUnverified() {
        // Class 2 is mapped but no held-out row was predicted as it; class 3 is not mapped but receives area.
        long[][] counts = {{9, 0, 1}, {0, 0, 0}, {0, 0, 10}};
        AreaEstimator.Estimate e = AreaEstimator.estimate(List.of(1, 2, 3), counts, new double[] {50, 30, 0});
        assertEquals(List.of(2), e.unverifiedMapClasses());
        assertEquals(45, e.classes().get(0).adjusted(), TOL);
        assertEquals(30, e.classes().get(1).adjusted(), TOL);
        assertEquals(0, e.classes().get(1).halfWidth95(), TOL);
        assertEquals(3, e.classes().get(2).code());
        assertEquals(0, e.classes().get(2).mapped(), TOL);
        assertEquals(5, e.classes().get(2).adjusted(), TOL);
        assertEquals(80, e.classes().stream().mapToDouble(AreaEstimator.ClassEstimate::adjusted).sum(), TOL,
                "adjusted areas add up to the mapped total");
    }

    @Test
    void refusesBadInput() {
        assertThrows(IllegalArgumentException.class,
                () -> AreaEstimator.estimate(List.of(1, 2), new long[][] {{1, 0}}, new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> AreaEstimator.estimate(List.of(1, 2), new long[][] {{1, 0}, {0, -1}}, new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> AreaEstimator.estimate(List.of(1, 2), new long[][] {{1, 0}, {0, 1}}, new double[] {0, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> AreaEstimator.estimate(List.of(1, 2), new long[][] {{1, 0}, {0, 1}}, new double[] {1}));
    }
}
