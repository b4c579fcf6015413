package io.geocrop.scoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geocrop.domain.cost.CostStage;
import io.geocrop.domain.cost.WorkCost;
import io.geocrop.jobs.Job;
import io.geocrop.jobs.JobCost;
import io.geocrop.jobs.JobCosts;
import java.util.EnumMap;
import java.util.Map;

/**
 * The {@code cost} object of {@code summary.json}: what the job's work cost per stage and in total, and per km² of
 * its AOI. The same field names as the job API's {@code cost} (submit-job's {@code JobView.CostView}).
 */
final class CostSummary {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CostSummary() {}

    /**
     * The cost object from what the job store has recorded and the assembly's cost so far ({@code assemblySoFar}:
     * the summary is written during the assembly, so its own upload and the map's are not in it; the job API has the
     * final figure).
     */
    static ObjectNode json(Job job, JobCost recorded, WorkCost assemblySoFar) {
        // EnumMap's copy constructor refuses an empty map: a job with nothing recorded (work done by a process that
        // died before recording, or before costs were recorded at all) is assembled all the same.
        Map<CostStage, JobCost.Stage> stages = new EnumMap<>(CostStage.class);
        stages.putAll(recorded.stages());
        stages.putIfAbsent(CostStage.ASSEMBLY, new JobCost.Stage(1, assemblySoFar));
        JobCost cost = new JobCost(stages);
        double km2 = JobCosts.aoiKm2(job.aoi());
        ObjectNode root = JSON.createObjectNode();
        root.put("aoi_km2", round(km2, 4));
        put(root.putObject("total"), cost.total());
        WorkCost total = cost.total();
        ObjectNode perKm2 = root.putObject("per_km2");
        perKm2.put("cpu_seconds", round(total.cpuSeconds() / km2, 4));
        perKm2.put("catalogue_requests", round(total.catalogueRequests() / km2, 2));
        perKm2.put("catalogue_bytes", Math.round(total.catalogueBytes() / km2));
        perKm2.put("bytes_written", Math.round(total.bytesWritten() / km2));
        ArrayNode list = root.putArray("stages");
        cost.stages().forEach((stage, s) -> {
            ObjectNode o = list.addObject();
            o.put("stage", stage.label());
            o.put("units", s.units());
            put(o, s.cost());
        });
        root.put("note", "CPU seconds of every thread that worked for the job; the assembly as measured when this "
                + "summary was written (the job API has the final figure)");
        return root;
    }

    private static void put(ObjectNode o, WorkCost c) {
        o.put("cpu_seconds", round(c.cpuSeconds(), 4));
        o.put("catalogue_requests", c.catalogueRequests());
        o.put("catalogue_bytes", c.catalogueBytes());
        o.put("bytes_written", c.bytesWritten());
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
