package io.geocrop.jobs;

import io.geocrop.domain.cost.CostStage;
import io.geocrop.domain.cost.WorkCost;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a job has cost so far, per stage ({@link JobStore#cost}): each stage's summed {@link WorkCost} and how many
 * units (tiles; 1 for planning and assembly) recorded one.
 *
 * @param stages the stages with at least one recorded unit, in stage order
 */
public record JobCost(Map<CostStage, Stage> stages) {

    /** One stage's total over its recorded units. */
    public record Stage(int units, WorkCost cost) {}

    /** No cost recorded. */
    public static final JobCost NONE = new JobCost(Map.of());

    public JobCost {
        EnumMap<CostStage, Stage> copy = new EnumMap<>(CostStage.class);
        copy.putAll(stages);
        stages = Collections.unmodifiableMap(copy);
    }

    /** The sum over every stage. */
    public WorkCost total() {
        WorkCost sum = WorkCost.ZERO;
        for (Stage s : stages.values()) {
            sum = sum.plus(s.cost());
        }
        return sum;
    }

    /** Whether nothing was recorded yet. */
    public boolean isEmpty() {
        return stages.isEmpty();
    }
}
