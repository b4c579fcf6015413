package io.geocrop.submit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.geocrop.domain.cost.WorkCost;
import io.geocrop.jobs.JobCost;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * What a job's work has cost so far, as the job API shows it ({@code cost} of {@link JobView}; the same fields as
 * {@code summary.json}'s {@code cost}): the total, per km² of the AOI, and per stage (planning, extraction, scoring,
 * assembly) with the units (tiles) recorded. CPU seconds are summed over every thread that worked for the job.
 *
 * @param aoiKm2 the AOI circle's area
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CostView(@JsonProperty("aoi_km2") double aoiKm2, Figures total, @JsonProperty("per_km2") Figures perKm2,
                       List<StageView> stages) {

    /** One set of figures. */
    @Serdeable
    public record Figures(@JsonProperty("cpu_seconds") double cpuSeconds,
                          @JsonProperty("catalogue_requests") double catalogueRequests,
                          @JsonProperty("catalogue_bytes") double catalogueBytes,
                          @JsonProperty("bytes_written") double bytesWritten) {
        static Figures of(WorkCost c, double divisor) {
            return new Figures(round(c.cpuSeconds() / divisor, 4), round(c.catalogueRequests() / divisor, 2),
                    Math.round(c.catalogueBytes() / divisor), Math.round(c.bytesWritten() / divisor));
        }
    }

    /** One stage's figures and how many units (tiles; 1 for planning and assembly) they sum. */
    @Serdeable
    public record StageView(String stage, int units, @JsonProperty("cpu_seconds") double cpuSeconds,
                            @JsonProperty("catalogue_requests") long catalogueRequests,
                            @JsonProperty("catalogue_bytes") long catalogueBytes,
                            @JsonProperty("bytes_written") long bytesWritten) {}

    /** The view of {@code recorded}, or null when nothing is recorded yet. */
    static CostView of(JobCost recorded, double aoiKm2) {
        if (recorded == null || recorded.isEmpty()) {
            return null;
        }
        WorkCost total = recorded.total();
        List<StageView> stages = recorded.stages().entrySet().stream()
                .map(e -> new StageView(e.getKey().label(), e.getValue().units(),
                        round(e.getValue().cost().cpuSeconds(), 4), e.getValue().cost().catalogueRequests(),
                        e.getValue().cost().catalogueBytes(), e.getValue().cost().bytesWritten()))
                .toList();
        return new CostView(round(aoiKm2, 4), Figures.of(total, 1), aoiKm2 > 0 ? Figures.of(total, aoiKm2) : null,
                stages);
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
