package io.geocrop.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.geocrop.domain.cost.CostStage;
import io.geocrop.domain.cost.WorkCost;
import io.geocrop.jobs.JobCost;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostViewTest {

    @Test
    void totalsPerKm2AndStagesInStageOrder() {
        JobCost cost = new JobCost(Map.of(
                CostStage.SCORING, new JobCost.Stage(4, new WorkCost(4_000_000_000L, 0, 0, 400_000)),
                CostStage.PLANNING, new JobCost.Stage(1, new WorkCost(500_000_000L, 3, 30_000, 0)),
                CostStage.EXTRACTION, new JobCost.Stage(4, new WorkCost(40_000_000_000L, 1000, 50_000_000, 8_000_000))));
        CostView view = CostView.of(cost, 12.566370614359172);
        assertEquals(List.of("planning", "extraction", "scoring"), view.stages().stream().map(CostView.StageView::stage).toList());
        assertEquals(new CostView.Figures(44.5, 1003, 50_030_000, 8_400_000), view.total());
        assertEquals(3.5412, view.perKm2().cpuSeconds(), 1e-9);
        assertEquals(79.82, view.perKm2().catalogueRequests(), 1e-9);
        assertEquals(12.5664, view.aoiKm2(), 1e-9);
        assertNull(CostView.of(JobCost.NONE, 12.0), "no cost recorded: the field is left out");
    }
}
